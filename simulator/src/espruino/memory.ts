// An approximation of Espruino's variable accounting (process.memory().usage), measured by
// walking everything the firmware can still reach: the context's globals, the closures of its
// functions (read through the V8 inspector, since a bundled firmware keeps its state in an
// IIFE's scope), timers and event handlers. Espruino stores everything in fixed 12-16 byte
// variable blocks; the costs below follow its layout closely enough to compare with budgets:
//   object / array / function header ......... 1 var
//   each property or array element ............ 1 var (the name; small numbers live in it)
//   string value .............................. ceil(len / 12) + 1 vars
//   non-integer or large number value ......... 1 var
//   ArrayBuffer (shared by its views) ......... ceil(bytes / 12) + 2 vars; each view +1
//   function code ............................. ceil(source length / 12) vars
// Built-ins and the emulator's own API objects are the interpreter's, not variables (they
// live in flash on the board), so they are measured once at power-on and left out.
// A closure scope shared by several functions is counted once (deduplicated by its contents).
import { Session } from "node:inspector";

const STRING_CHARS_PER_VAR = 12;

export function stringVars(len: number): number {
  return Math.ceil(len / STRING_CHARS_PER_VAR) + 1;
}

function numberVars(n: number): number {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 31 ? 0 : 1;
}

let session: Session | null = null;
const contextIds = new Map<string, number>();
function inspector(): Session {
  if (!session) {
    session = new Session();
    session.connect();
    session.on("Runtime.executionContextCreated", (m) => {
      const c = (m.params as { context: { id: number; name: string } }).context;
      contextIds.set(c.name, c.id);
    });
    session.on("Runtime.executionContextDestroyed", (m) => {
      const id = (m.params as { executionContextId: number }).executionContextId;
      for (const [name, v] of contextIds) if (v === id) contextIds.delete(name);
    });
    post("Runtime.enable", {});
  }
  return session;
}

/** Call before creating a board's realm so the inspector learns its id (by its unique name). */
export function watchRealms(): void {
  inspector();
}

/** The realm a walk reads closures in: its global (for probes) and its name. */
export interface Realm {
  global: Record<string, unknown>;
  name: string;
}

function post<T = any>(method: string, params: object): T {
  let result: T | undefined;
  let error: Error | null = null;
  inspector().post(method, params, (err, res) => {
    error = err;
    result = res as T;
  });
  if (error) throw error;
  return result as T;
}

const GROUP = "vt-memory-walk";
const probeKey = "__vtMemoryProbe";

interface RemoteProp {
  name: string;
  value?: { type: string; value?: unknown; objectId?: string; description?: string };
}

/** The values held in a function's closure scopes (not its global scope). */
function closureValues(realm: Realm, fn: Function, seenScopes: Set<string>, prim: (v: unknown) => void, addVars: (n: number) => void): unknown[] {
  const contextId = contextIds.get(realm.name);
  if (contextId === undefined) throw new Error(`memory walk: the inspector does not know realm "${realm.name}"`);
  const g = realm.global;
  g[probeKey] = fn;
  const out: unknown[] = [];
  try {
    const ev = post<{ result: { objectId?: string } }>("Runtime.evaluate", { expression: `globalThis.${probeKey}`, contextId, objectGroup: GROUP });
    if (!ev.result.objectId) return out;
    const own = post<{ internalProperties?: RemoteProp[] }>("Runtime.getProperties", { objectId: ev.result.objectId, ownProperties: true, objectGroup: GROUP });
    const scopes = own.internalProperties?.find((p) => p.name === "[[Scopes]]");
    if (!scopes?.value?.objectId) return out;
    const list = post<{ result: RemoteProp[] }>("Runtime.getProperties", { objectId: scopes.value.objectId, ownProperties: true, objectGroup: GROUP });
    for (const scope of list.result) {
      if (!scope.value?.objectId || scope.value.description === "Global") continue;
      const vars = post<{ result: RemoteProp[] }>("Runtime.getProperties", { objectId: scope.value.objectId, ownProperties: true, objectGroup: GROUP });
      const pulled: unknown[] = [];
      const prims: unknown[] = [];
      for (const v of vars.result) {
        if (!v.value) continue;
        if (v.value.objectId) {
          const holder: unknown[] = [];
          g[probeKey] = holder;
          const h = post<{ result: { objectId?: string } }>("Runtime.evaluate", { expression: `globalThis.${probeKey}`, contextId, objectGroup: GROUP });
          post("Runtime.callFunctionOn", {
            objectId: h.result.objectId,
            functionDeclaration: "function (v) { this.push(v); }",
            arguments: [{ objectId: v.value.objectId }],
            objectGroup: GROUP,
          });
          pulled.push(holder[0]);
        } else {
          prims.push(v.value.type === "string" ? String(v.value.value) : v.value.value);
        }
      }
      const key = vars.result.map((v) => v.name).join(",") + "|" + pulled.map(identity).join(",") + "|" + prims.map((p) => typeof p + String(p)).join(",");
      if (seenScopes.has(key)) continue;
      seenScopes.add(key);
      for (const p of prims) prim(p);
      out.push(...pulled);
      addVars(vars.result.length); // one name var per binding
    }
  } finally {
    delete g[probeKey];
    post("Runtime.releaseObjectGroup", { objectGroup: GROUP });
  }
  return out;
}

const ids = new WeakMap<object, number>();
let nextIdentity = 1;
function identity(o: unknown): number {
  if ((typeof o !== "object" && typeof o !== "function") || o === null) return 0;
  let id = ids.get(o);
  if (!id) ids.set(o, (id = nextIdentity++));
  return id;
}

const byteLengthOf = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!.get!;

/** Byte length of an ArrayBuffer of any realm, or -1 for anything else. */
function arrayBufferBytes(v: object): number {
  try {
    return byteLengthOf.call(v) as number;
  } catch {
    return -1;
  }
}

/** Objects (and, per object, property names) that belong to the interpreter, not the program. */
export class MemoryBaseline {
  private props = new WeakMap<object, Set<string>>();

  /** Records everything reachable from `roots` as built-in. */
  capture(roots: unknown[]): void {
    const stack = roots.slice();
    while (stack.length) {
      const o = stack.pop();
      if ((typeof o !== "object" && typeof o !== "function") || o === null || this.props.has(o)) continue;
      const names = new Set<string>();
      this.props.set(o, names);
      for (const k of Reflect.ownKeys(o)) {
        if (typeof k !== "string") continue;
        names.add(k);
        const d = Reflect.getOwnPropertyDescriptor(o, k);
        if (d && "value" in d) stack.push(d.value);
        if (d?.get) stack.push(d.get);
        if (d?.set) stack.push(d.set);
      }
      stack.push(Object.getPrototypeOf(o));
    }
  }

  isBuiltin(o: object): boolean {
    return this.props.has(o);
  }

  builtinProps(o: object): Set<string> | undefined {
    return this.props.get(o);
  }
}

/** Counts the variables held by what is reachable from `roots`. */
export function countVars(roots: unknown[], baseline: MemoryBaseline, realm: Realm | null): number {
  let vars = 0;
  const seen = new WeakSet<object>();
  const seenScopes = new Set<string>();
  const stack: unknown[] = roots.slice();
  const prim = (v: unknown): void => {
    if (typeof v === "string") vars += stringVars(v.length);
    else if (typeof v === "number") vars += numberVars(v);
  };
  while (stack.length) {
    const v = stack.pop();
    if ((typeof v !== "object" && typeof v !== "function") || v === null) {
      prim(v);
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    const builtinNames = baseline.builtinProps(v);
    // never follow the emulator's own (host) functions: they are the interpreter, not data
    if (typeof v === "function" && realm && !(v instanceof (realm.global.Function as FunctionConstructor))) continue;
    if (!builtinNames) {
      vars += 1;
      if (typeof v === "function") {
        vars += Math.ceil(Function.prototype.toString.call(v).length / 12);
        if (realm) stack.push(...closureValues(realm, v as Function, seenScopes, prim, (n) => (vars += n)));
      } else if (ArrayBuffer.isView(v)) {
        stack.push(v.buffer);
        continue;
      } else {
        const bytes = arrayBufferBytes(v);
        if (bytes >= 0) {
          vars += Math.ceil(bytes / 12) + 1;
          continue;
        }
      }
      const proto = Object.getPrototypeOf(v);
      if (proto) stack.push(proto);
    }
    for (const k of Reflect.ownKeys(v)) {
      if (typeof k !== "string") continue;
      if (builtinNames?.has(k)) {
        // the interpreter's own property: free, but what it holds may have grown
        const d = Reflect.getOwnPropertyDescriptor(v, k);
        if (d && "value" in d && (typeof d.value === "object" || typeof d.value === "function")) stack.push(d.value);
        continue;
      }
      if (typeof v === "function" && (k === "length" || k === "name" || k === "prototype" || k === "arguments" || k === "caller")) {
        // Espruino makes a function's prototype only when used: count it once it holds methods
        const p = k === "prototype" ? (v as { prototype?: unknown }).prototype : undefined;
        if (p && typeof p === "object" && Reflect.ownKeys(p).some((n) => n !== "constructor")) stack.push(p);
        continue;
      }
      if (Array.isArray(v) && k === "length") continue;
      vars += 1;
      const d = Reflect.getOwnPropertyDescriptor(v, k);
      if (d && "value" in d) stack.push(d.value);
      else {
        if (d?.get) stack.push(d.get);
        if (d?.set) stack.push(d.set);
      }
    }
  }
  return vars;
}
