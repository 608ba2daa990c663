// The devices table's derived figures.
import { unsyncedOf } from "../../gateway/src/dashboard/device-rows";

describe("unsyncedOf", () => {
  it("is the journal head minus the best ack known to either side", () => {
    expect(unsyncedOf({ seqHead: 50, ackedUpto: 20 }, 30)).toBe(20);
    expect(unsyncedOf({ seqHead: 50, ackedUpto: 45 }, 30)).toBe(5);
  });
  it("never goes negative when records arrived after the status frame", () => {
    expect(unsyncedOf({ seqHead: 10, ackedUpto: 10 }, 25)).toBe(0);
  });
  it("is unknown before any status frame or with a malformed one", () => {
    expect(unsyncedOf(null, 3)).toBeNull();
    expect(unsyncedOf({ firmware: "1.0" }, 3)).toBeNull();
    expect(unsyncedOf({ seqHead: "9" }, 3)).toBeNull();
    expect(unsyncedOf({ seqHead: 9 }, 3)).toBe(6);
  });
});
