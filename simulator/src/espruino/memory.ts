// An approximation of Espruino's variable accounting (process.memory().usage), measured by
// walking everything the firmware can still reach: the context's globals, the closures of its
// functions (read through the V8 inspector, since a bundled firmware keeps its state in an
// IIFE's scope), timers and event handlers. Espruino stores everything in fixed-size variable
// blocks (16 bytes on the Pico and ESP32 builds). The rules, and where each comes from:
//
//   object / array / function header .............. 1 var
//   each property, array element or local binding . 1 var, plus 1 per further 12 chars of a
//       name longer than 4 chars. Source: a variable dump of 2v0x on the Espruino forum
//       (forum.espruino.com/conversations/290975): `Name String [2 blocks] "mqttStr"` next to
//       `Name String [1 blocks] "\xFFcod"`; small integers live in the name var itself.
//   string value .................................. ceil(len / 12) + 1 vars (conservative: a
//       16-byte block holds a few more characters than 12)
//   non-integer or large number value ............. 1 var
//   ArrayBuffer (shared by its views) ............. ceil(bytes / 12) + 1 vars; each view +1
//   closure scope (a function's execution scope) .. 1 var + its bindings, counted once however
//       many functions keep it alive
//   function defined in code loaded from Storage .. 1 + 1 per parameter + 2 ("\xFFcod" name and
//       a NativeString pointing into flash) + 1 ("\xFFsco" link) when it closes over a scope.
//       Source: the same forum dump (`"\xFFcod" -> NativeString`), and Espruino's jsparse.c
//       (jspeFunctionDefinitionInternal): when the lexer reads a native/flash string, as it
//       does for .bootcde executed from memory-mapped flash (jsiLoadBootCode on the Pico and
//       the ESP32), a function's code becomes a NativeString reference, not a copy.
//   function created from a RAM string ............ as above, but its code is a RAM string:
//       stringVars(source length) instead of the NativeString (code typed at the REPL, or
//       given to `board.evaluate`).
//
// Built-ins and the emulator's own API objects are the interpreter's, not variables (they
// live in flash on the board), so they are measured once at power-on and left out.
// V8 keeps in a closure only the bindings some inner function uses, while Espruino keeps a
// scope's every local: locals nothing captures are missed (an under-count, usually small
// since a minified bundle's module scope is mostly functions and captured state).
import { Session } from "node:inspector";
import { analyseSharedScopes, type SharedScopes } from "./shared-scopes";

/** Any function of the board's realm (only ever passed around and printed, never called). */
type AnyFunction = (...args: never[]) => unknown;

const STRING_CHARS_PER_VAR = 12;
/** Characters of a name stored in the name var itself (JSVAR_DATA_STRING_NAME_LEN). */
const NAME_CHARS_INLINE = 4;

export function stringVars(len: number): number {
  return Math.ceil(len / STRING_CHARS_PER_VAR) + 1;
}

/** Vars taken by the name of a property, element or binding (value ref included). */
export function nameVars(name: string): number {
  return name.length <= NAME_CHARS_INLINE ? 1 : 1 + Math.ceil((name.length - NAME_CHARS_INLINE) / STRING_CHARS_PER_VAR);
}

/** Vars of a function itself (not its scope, properties or prototype). */
export function functionVars(params: number, fromFlash: boolean, sourceLength: number, closes: boolean): number {
  const code = fromFlash ? 2 : 1 + stringVars(sourceLength);
  return 1 + params + code + (closes ? 1 : 0);
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
  /** Source text of the code the board runs from flash (the upload, stored as .bootcde). */
  flashCode?: string;
}

function post<T = unknown>(method: string, params: object): T {
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
/**
 * Copies every closure scope of a [[Scopes]] list into a holder in one call: per scope its
 * binding count, then name, value, name, value... (each entry is {description, object}).
 */
const COPY_SCOPES =
  "function (h) { for (var i = 0; i < this.length; i++) { var s = this[i]; if (!s || s.description === 'Global') continue;" +
  " var o = s.object; var k = Object.getOwnPropertyNames(o); h.push(k.length); for (var j = 0; j < k.length; j++) { h.push(k[j]); h.push(o[k[j]]); } } }";

interface RemoteProp {
  name: string;
  value?: { type: string; value?: unknown; objectId?: string; description?: string };
}

/** One closure scope as read: its binding names and their values (same order). */
interface ScopeRead {
  names: string[];
  values: unknown[];
}

/** Reads closures through the inspector; one per walk (its probe lives in the realm). */
class ClosureReader {
  private readonly contextId: number;
  private holderId: string | null = null;
  private readonly holder: unknown[] = [];
  calls = 0;

  constructor(private readonly realm: Realm) {
    const id = contextIds.get(realm.name);
    if (id === undefined) throw new Error(`memory walk: the inspector does not know realm "${realm.name}"`);
    this.contextId = id;
  }

  private remote(v: unknown): string | undefined {
    this.realm.global[probeKey] = v;
    this.calls++;
    const ev = post<{ result: { objectId?: string } }>("Runtime.evaluate", { expression: `globalThis.${probeKey}`, contextId: this.contextId, objectGroup: GROUP });
    return ev.result.objectId;
  }

  /** The closure scopes of `fn` (Global left out: the walk starts there anyway). */
  scopes(fn: AnyFunction): ScopeRead[] {
    const out: ScopeRead[] = [];
    const fnId = this.remote(fn);
    if (!fnId) return out;
    this.holderId ??= this.remote(this.holder) ?? null;
    this.calls++;
    const own = post<{ internalProperties?: RemoteProp[] }>("Runtime.getProperties", { objectId: fnId, ownProperties: true, objectGroup: GROUP });
    const list = own.internalProperties?.find((p) => p.name === "[[Scopes]]");
    if (!list?.value?.objectId || !this.holderId) return out;
    this.holder.length = 0;
    this.calls++;
    post("Runtime.callFunctionOn", { objectId: list.value.objectId, functionDeclaration: COPY_SCOPES, arguments: [{ objectId: this.holderId }], objectGroup: GROUP });
    const h = this.holder;
    for (let i = 0; i < h.length; ) {
      const n = h[i++] as number;
      const names: string[] = [];
      const values: unknown[] = [];
      for (let j = 0; j < n; j++, i += 2) {
        names.push(String(h[i]));
        values.push(h[i + 1]);
      }
      out.push({ names, values });
    }
    this.holder.length = 0;
    return out;
  }

  close(): void {
    delete this.realm.global[probeKey];
    this.holder.length = 0;
    post("Runtime.releaseObjectGroup", { objectGroup: GROUP });
  }
}

const ids = new WeakMap<object, number>();
let nextIdentity = 1;
function identity(o: unknown): number {
  if ((typeof o !== "object" && typeof o !== "function") || o === null) return 0;
  let id = ids.get(o);
  if (!id) ids.set(o, (id = nextIdentity++));
  return id;
}

/** Identifies a scope by its bindings and what they hold (V8 gives scope objects no identity). */
function scopeKey(s: ScopeRead): string {
  let k = s.names.join(",") + "|";
  for (const v of s.values) k += (typeof v === "object" || typeof v === "function") && v !== null ? "#" + identity(v) + "," : typeof v + ":" + String(v) + ",";
  return k;
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

/** Per program text: which of its functions share closure scopes (analysed once). */
const sharedScopesOf = new Map<string, SharedScopes>();
function sharedScopes(flashCode: string): SharedScopes {
  let s = sharedScopesOf.get(flashCode);
  if (!s) {
    if (sharedScopesOf.size >= 8) sharedScopesOf.clear(); // a few uploads per process at most
    s = analyseSharedScopes(flashCode);
    sharedScopesOf.set(flashCode, s);
  }
  return s;
}

/** Per function: its scope group, or null to read it alone (never changes, so cached). */
const scopeGroups = new WeakMap<AnyFunction, string | null>();
function scopeGroup(fn: AnyFunction, flashCode: string | undefined): string | null {
  let g = scopeGroups.get(fn);
  if (g === undefined) {
    g = flashCode && isFromFlash(fn, flashCode) ? sharedScopes(flashCode).groupOf(Function.prototype.toString.call(fn)) : null;
    scopeGroups.set(fn, g);
  }
  return g;
}

/** Per function: whether its code is in flash (never changes, so cached across walks). */
const flashBacked = new WeakMap<AnyFunction, boolean>();
function isFromFlash(fn: AnyFunction, flashCode: string | undefined): boolean {
  let v = flashBacked.get(fn);
  if (v === undefined) {
    v = !!flashCode && flashCode.includes(Function.prototype.toString.call(fn));
    flashBacked.set(fn, v);
  }
  return v;
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

/** What a walk measured, for budgets and for the cost of measuring. */
export interface VarCount {
  vars: number;
  functions: number;
  scopes: number;
  inspectorCalls: number;
}

/** Counts the variables held by what is reachable from `roots`. */
export function countVars(roots: unknown[], baseline: MemoryBaseline, realm: Realm | null): number {
  return walkVars(roots, baseline, realm).vars;
}

/** countVars with the walk's own figures. */
export function walkVars(roots: unknown[], baseline: MemoryBaseline, realm: Realm | null, opts: { shareScopes?: boolean } = {}): VarCount {
  let vars = 0;
  const groupScopeCount = new Map<string, number>();
  let functions = 0;
  const seen = new WeakSet<object>();
  const seenScopes = new Set<string>();
  // an explicit stack (never recursion or push(...spread)): deep or wide data cannot overflow it
  const stack: unknown[] = [];
  for (const r of roots) stack.push(r);
  const reader = realm ? new ClosureReader(realm) : null;
  const realmFunction = realm ? (realm.global.Function as FunctionConstructor) : null;
  const prim = (v: unknown): void => {
    if (typeof v === "string") vars += stringVars(v.length);
    else if (typeof v === "number") vars += numberVars(v);
  };
  try {
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
      if (typeof v === "function" && realmFunction && !(v instanceof realmFunction)) continue;
      if (!builtinNames) {
        if (typeof v === "function") {
          const fn = v as AnyFunction;
          functions++;
          const fromFlash = isFromFlash(fn, realm?.flashCode);
          // functions made once by the run-once IIFE share their scopes: read them once a walk
          const group = reader && opts.shareScopes !== false ? scopeGroup(fn, realm?.flashCode) : null;
          const known = group === null ? undefined : groupScopeCount.get(group);
          const scopes = known !== undefined || !reader ? [] : reader.scopes(fn);
          if (group !== null && known === undefined) groupScopeCount.set(group, scopes.length);
          vars += functionVars(fn.length, fromFlash, fromFlash ? 0 : Function.prototype.toString.call(v).length, (known ?? scopes.length) > 0);
          for (const s of scopes) {
            const key = scopeKey(s);
            if (seenScopes.has(key)) continue;
            seenScopes.add(key);
            vars += 1;
            for (let i = 0; i < s.names.length; i++) {
              vars += nameVars(s.names[i]);
              stack.push(s.values[i]);
            }
          }
        } else {
          vars += 1;
          if (ArrayBuffer.isView(v)) {
            stack.push(v.buffer);
            continue;
          }
          const bytes = arrayBufferBytes(v);
          if (bytes >= 0) {
            vars += Math.ceil(bytes / 12) + 1;
            continue;
          }
        }
        const proto = Object.getPrototypeOf(v);
        if (proto) stack.push(proto);
      }
      const isArray = Array.isArray(v);
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
        if (isArray && k === "length") continue;
        // array elements are named by their index, which fits in the name var
        vars += isArray ? 1 : nameVars(k);
        const d = Reflect.getOwnPropertyDescriptor(v, k);
        if (d && "value" in d) stack.push(d.value);
        else {
          if (d?.get) stack.push(d.get);
          if (d?.set) stack.push(d.set);
        }
      }
    }
  } finally {
    reader?.close();
  }
  return { vars, functions, scopes: seenScopes.size, inspectorCalls: reader?.calls ?? 0 };
}
