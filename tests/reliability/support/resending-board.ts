// A scanner board as the gateway sees it over MQTT: an append-only journal of records, one
// batch frame in flight, the journal kept until the gateway acks, and a resend of
// everything unacked after a reconnect or when no ack comes in time (as the firmware does).
import mqtt, { type MqttClient } from "mqtt";
import { decodeDown } from "../../../protocol/src/frame/decode-down";
import { encodeBatchNode } from "../../../protocol/src/node/encode";
import { nodeHashing } from "../../../protocol/src/node/hashing";
import { EV_DISPENSE, type ScanRecord } from "../../../protocol/src/record";
import { deviceDown, deviceUp } from "../../../protocol/src/topics";

export const BOARD_T0 = 1_750_000_000;

export interface BoardOptions {
  /** Records per batch frame at most. */
  batchMax: number;
  /** No ack progress for this long: send the unacked records again. */
  ackTimeoutMs: number;
}

export class ResendingBoard {
  /** Highest seq recorded (the journal holds 1..head). */
  head = 0;
  /** Highest seq the gateway has acked: the board may reclaim flash up to here. */
  acked = 0;
  framesSent = 0;
  resends = 0;
  private sentUpto = 0;
  private lastProgress = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(readonly id: string, readonly secret: Uint8Array, private readonly client: MqttClient, private readonly o: BoardOptions) {}

  static async connect(url: string, id: string, secret: Uint8Array, o: BoardOptions): Promise<ResendingBoard> {
    const client = mqtt.connect(url, { clientId: "rel-board-" + id + "-" + process.pid, clean: true, reconnectPeriod: 200, connectTimeout: 5000, protocolVersion: 4 });
    const b = new ResendingBoard(id, secret, client, o);
    client.on("message", (_t, payload) => b.onDown(new Uint8Array(payload)));
    client.on("connect", () => {
      client.subscribe(deviceDown(id), { qos: 1 }, () => b.resendAll());
    });
    client.on("error", () => undefined); // reconnects on its own; the broker restart test causes these
    await new Promise<void>((resolve) => client.once("connect", () => resolve()));
    b.timer = setInterval(() => b.tick(), 50);
    return b;
  }

  /** The code of this board's record `seq`: unique across the fleet. */
  static codeOf(id: string, seq: number): string {
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 99_991;
    return "8" + String(h).padStart(5, "0") + String(seq).padStart(14, "0");
  }

  record(n: number): void {
    this.head += n;
    this.pump();
  }

  /** Every record the board has made, as the platform must eventually have them. */
  keys(): string[] {
    const out: string[] = [];
    for (let s = 1; s <= this.head; s++) out.push(this.id + ":" + s);
    return out;
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.client.endAsync(true);
  }

  private recordAt(seq: number): ScanRecord {
    return { seq, time: BOARD_T0 + seq, trusted: true, boot: 1, uptime: 10 + seq, event: EV_DISPENSE, session: 0, code: ResendingBoard.codeOf(this.id, seq) };
  }

  private onDown(bytes: Uint8Array): void {
    const r = decodeDown(bytes, this.secret, nodeHashing);
    if (!r.ok || r.value.type !== 2) return;
    const upto = r.value.ack.upto;
    if (upto > this.acked) {
      this.acked = upto;
      this.lastProgress = Date.now();
      if (this.sentUpto < this.acked) this.sentUpto = this.acked;
      this.pump();
    }
  }

  private resendAll(): void {
    if (this.sentUpto > this.acked) this.resends++;
    this.sentUpto = this.acked;
    this.lastProgress = Date.now();
    this.pump();
  }

  private tick(): void {
    if (this.sentUpto > this.acked && Date.now() - this.lastProgress > this.o.ackTimeoutMs) this.resendAll();
  }

  /** One frame in flight: the next one goes when the previous one is acked. */
  private pump(): void {
    if (this.stopped || !this.client.connected || this.sentUpto > this.acked || this.head <= this.acked) return;
    const from = this.acked + 1;
    const to = Math.min(this.head, this.acked + this.o.batchMax);
    const records: ScanRecord[] = [];
    for (let s = from; s <= to; s++) records.push(this.recordAt(s));
    const bytes = encodeBatchNode({ device: this.id, boot: 1, uptime: 10 + to, time: BOARD_T0 + to, trusted: true, records }, this.secret, nodeHashing);
    this.sentUpto = to;
    this.lastProgress = Date.now();
    this.framesSent++;
    this.client.publish(deviceUp(this.id), Buffer.from(bytes), { qos: 1 }, () => undefined);
  }
}
