// Evaluated inside each board's fresh vm context (never in Node's own realm). It builds the
// Espruino 2v29 API out of a bridge of host functions that only take and return primitives,
// so no object of Node's realm (with its Map, Array.from...) ever reaches the firmware, then
// removes every built-in the real interpreter lacks. It returns the hooks the host uses to
// deliver events into the context. Plain ES5-style code on purpose: it is the "interpreter".
(function (bridge, facts) {
  "use strict";
  var g = globalThis;
  var NativeProxy = Proxy;
  var NativeReflect = Reflect;
  var NativeDate = Date;
  var slice = Array.prototype.slice;

  // A host error becomes an error of this realm; a power cut stays what it is (uncatchable in
  // effect: after it every bridge call throws again and the host discards the context).
  function call(fn, args) {
    try {
      return fn.apply(null, args);
    } catch (e) {
      if (bridge.isOff()) throw e;
      throw new Error(String(e && e.message ? e.message : e));
    }
  }
  function hidden(o, k, v) {
    Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false });
  }
  function define(name, value) {
    hidden(g, name, value);
  }

  // Espruino keeps listeners in hidden "#on<event>" properties (they cost variables there too).
  function on(ev, fn) {
    var k = "#on" + ev;
    if (!this[k]) hidden(this, k, []);
    this[k].push(fn);
    return this;
  }
  function emit(ev) {
    var l = this["#on" + ev];
    if (!l || !l.length) return false;
    var args = slice.call(arguments, 1);
    var self = this;
    l.slice().forEach(function (fn) { fn.apply(self, args); });
    return true;
  }
  function removeListener(ev, fn) {
    var l = this["#on" + ev];
    if (l) { var i = l.indexOf(fn); if (i >= 0) l.splice(i, 1); }
    return this;
  }
  function removeAllListeners(ev) {
    if (ev === undefined) { var self = this; Object.getOwnPropertyNames(this).forEach(function (k) { if (k.indexOf("#on") === 0) delete self[k]; }); }
    else delete this["#on" + ev];
    return this;
  }
  function eventful(o) {
    hidden(o, "on", on); hidden(o, "emit", emit);
    hidden(o, "removeListener", removeListener); hidden(o, "removeAllListeners", removeAllListeners);
    return o;
  }

  // Byte strings: one char per byte, as Espruino strings are.
  function toByteString(data) {
    if (typeof data === "string") return data;
    if (data === undefined || data === null) return "";
    if (typeof data === "number") return String.fromCharCode(data & 255);
    var u = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    var s = "";
    for (var i = 0; i < u.length; i++) s += typeof u[i] === "string" ? u[i] : String.fromCharCode(u[i] & 255);
    return s;
  }
  function toBytes(s) {
    var u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 255;
    return u;
  }
  function show(v) {
    if (typeof v === "string") return v;
    if (v === undefined) return "undefined";
    if (typeof v === "function") return "function";
    if (v instanceof Error) return (v.name || "Error") + ": " + v.message;
    try { var j = JSON.stringify(v); return j === undefined ? String(v) : j; } catch (e) { return String(v); }
  }

  // ---- pins ----
  function Pin(name) { hidden(this, "pin", name); }
  Pin.prototype.read = function () { return call(bridge.pinRead, [this.pin]) === 1; };
  Pin.prototype.write = function (v) { call(bridge.pinWrite, [this.pin, v ? 1 : 0]); };
  Pin.prototype.set = function () { call(bridge.pinWrite, [this.pin, 1]); };
  Pin.prototype.reset = function () { call(bridge.pinWrite, [this.pin, 0]); };
  Pin.prototype.toggle = function () { var v = call(bridge.pinRead, [this.pin]) ? 0 : 1; call(bridge.pinWrite, [this.pin, v]); return v === 1; };
  Pin.prototype.mode = function () {};
  Pin.prototype.toString = function () { return this.pin; };
  function pinName(p) {
    if (p instanceof Pin) return p.pin;
    if (typeof p === "string" && facts.pins.indexOf(p) >= 0) return p;
    throw new Error("Expecting a pin, got " + show(p));
  }
  facts.pins.forEach(function (name) { define(name, new Pin(name)); });
  facts.leds.forEach(function (l) { define(l.global, new Pin(l.pin)); });
  facts.button.globals.forEach(function (name) { define(name, new Pin(facts.button.pin)); });

  define("digitalWrite", function (pin, v) { call(bridge.pinWrite, [pinName(pin), v ? 1 : 0]); });
  define("digitalRead", function (pin) { return call(bridge.pinRead, [pinName(pin)]); });
  define("digitalPulse", function () {});
  define("pinMode", function (pin) { pinName(pin); });
  define("analogWrite", function (pin, duty, opts) {
    var freq = opts && typeof opts.freq === "number" ? opts.freq : 0;
    call(bridge.analogWrite, [pinName(pin), +duty || 0, freq]);
  });
  define("setWatch", function (fn, pin, opts) {
    if (typeof fn !== "function") throw new Error("Function or String not supplied!");
    var o = typeof opts === "object" && opts ? opts : {};
    var edge = o.edge === "rising" || o.edge === 1 ? "rising" : o.edge === "falling" || o.edge === -1 ? "falling" : "both";
    return call(bridge.setWatch, [fn, pinName(pin), !!o.repeat, edge, +o.debounce || 0]);
  });
  define("clearWatch", function (id) { call(bridge.clearWatch, [id === undefined ? -1 : id]); });

  // ---- time ----
  define("getTime", function () { return bridge.getTime(); });
  define("setTime", function (s) { call(bridge.setTime, [+s]); });
  function addTimer(fn, ms, repeat, args) {
    if (typeof fn !== "function") throw new Error("Function or String not supplied!");
    return call(bridge.timerSet, [fn, +ms || 0, repeat, args]);
  }
  define("setTimeout", function (fn, ms) { return addTimer(fn, ms, false, slice.call(arguments, 2)); });
  define("setInterval", function (fn, ms) { return addTimer(fn, ms, true, slice.call(arguments, 2)); });
  define("clearTimeout", function (id) { call(bridge.timerClear, [id === undefined ? -1 : id]); });
  define("clearInterval", function (id) { call(bridge.timerClear, [id === undefined ? -1 : id]); });
  define("changeInterval", function (id, ms) { call(bridge.timerChange, [id, +ms || 0]); });
  // Date follows the board clock, not the host's.
  var VDate = new NativeProxy(NativeDate, {
    construct: function (target, args, nt) {
      return NativeReflect.construct(target, args.length ? args : [bridge.getTime() * 1000], nt);
    },
    apply: function () { return new NativeDate(bridge.getTime() * 1000).toString(); },
  });
  NativeDate.now = function () { return bridge.getTime() * 1000; };
  define("Date", VDate);
  Math.random = function () { return (bridge.hwRand() >>> 0) / 4294967296; };

  define("btoa", function (s) { return call(bridge.btoa, [toByteString(s)]); });
  define("atob", function (s) { return call(bridge.atob, [String(s)]); });

  // ---- console ----
  function print() { bridge.print(slice.call(arguments).map(show).join(" ")); }
  define("print", print);
  define("console", { log: print, info: print, warn: print, error: print, debug: print });

  // ---- E ----
  var E = eventful({});
  E.CRC32 = function (d) { return bridge.crc32(toByteString(d)); };
  E.hwRand = function () { return bridge.hwRand() | 0; };
  E.toUint8Array = function () {
    var s = "";
    for (var i = 0; i < arguments.length; i++) s += toByteString(Array.isArray(arguments[i]) ? arguments[i] : arguments[i]);
    return toBytes(s);
  };
  E.toString = function () {
    var s = "";
    for (var i = 0; i < arguments.length; i++) s += toByteString(arguments[i]);
    return s;
  };
  E.toArrayBuffer = function (s) { return toBytes(String(s)).buffer; };
  E.getErrorFlags = function () { return JSON.parse(bridge.errorFlags()); };
  E.reboot = function () { call(bridge.reboot, []); };
  E.setTimeZone = function (z) { bridge.setTimeZone(+z || 0); };
  E.getSizeOf = function () { return 1; };
  define("E", E);

  // ---- process ----
  define("process", {
    version: "2v29",
    env: { VERSION: "2v29", BOARD: facts.id === "pico" ? "PICO_R1_3" : "ESP32" },
    memory: function () { return JSON.parse(bridge.memory()); },
  });

  // ---- UARTs ----
  function Serial(port) { hidden(this, "port", port); }
  eventful(Serial.prototype);
  Serial.prototype.setup = function (baud, opts) {
    var o = opts || {};
    call(bridge.serialSetup, [this.port, +baud || 9600, o.rx ? pinName(o.rx) : "", o.tx ? pinName(o.tx) : ""]);
  };
  Serial.prototype.write = function () {
    var s = "";
    for (var i = 0; i < arguments.length; i++) s += toByteString(arguments[i]);
    call(bridge.serialWrite, [this.port, s]);
  };
  Serial.prototype.print = function (s) { this.write(String(s)); };
  Serial.prototype.println = function (s) { this.write(String(s) + "\r\n"); };
  var serials = {};
  ["Serial1", "Serial2"].forEach(function (n) { serials[n] = new Serial(n); define(n, serials[n]); });
  // The console device: print() goes there, and input there goes to the REPL, not to "data"
  // handlers. setConsole() moves it (the Pico's USB while plugged in, else Serial1).
  Serial.prototype.setConsole = function (force) { call(bridge.setConsole, [this.port, !!force]); };
  if (facts.usb) {
    serials.USB = new Serial("USB");
    define("USB", serials.USB);
    ["LoopbackA", "LoopbackB"].forEach(function (n) { serials[n] = new Serial(n); define(n, serials[n]); });
  }

  // ---- I2C ----
  function I2C(name) { hidden(this, "bus", name); }
  I2C.prototype.setup = function (opts) {
    var o = opts || {};
    call(bridge.i2cSetup, [this.bus, o.scl ? pinName(o.scl) : "", o.sda ? pinName(o.sda) : ""]);
  };
  I2C.prototype.writeTo = function () {};
  define("I2C1", new I2C("I2C1"));

  // ---- modules ----
  var Storage = {
    read: function (name, offset, length) { return call(bridge.storageRead, [String(name), offset === undefined ? 0 : +offset, length === undefined ? -1 : +length]); },
    readArrayBuffer: function (name) { var s = this.read(name); return s === undefined ? undefined : toBytes(s).buffer; },
    readJSON: function (name, noExceptions) {
      var s = this.read(name);
      if (s === undefined) return undefined;
      try { return JSON.parse(s); } catch (e) { if (noExceptions) return undefined; throw e; }
    },
    write: function (name, data, offset, size) {
      return call(bridge.storageWrite, [String(name), toByteString(data), offset === undefined ? 0 : +offset, size === undefined ? 0 : +size]);
    },
    writeJSON: function (name, v) { return this.write(name, JSON.stringify(v)); },
    erase: function (name) { call(bridge.storageErase, [String(name)]); },
    list: function (regex) {
      var names = JSON.parse(call(bridge.storageList, []));
      return regex ? names.filter(function (n) { return n.match(regex) !== null; }) : names;
    },
    getFree: function () { return call(bridge.storageFree, []); },
    getStats: function () { return JSON.parse(call(bridge.storageStats, [])); },
    compact: function () { call(bridge.storageCompact, []); },
  };
  // Sockets and Graphics get their methods from prototypes, as the board's built-in classes do
  // (their code is the interpreter's, not the program's variables).
  function Socket() {}
  eventful(Socket.prototype);
  Socket.prototype.write = function (d) { call(bridge.netWrite, [this.id, toByteString(d)]); return true; };
  Socket.prototype.end = function (d) { if (d !== undefined) this.write(d); call(bridge.netEnd, [this.id]); };
  Socket.prototype.destroy = function () { call(bridge.netEnd, [this.id]); };
  var net = {
    connect: function (opts, cb) {
      var o = opts || {};
      var sock = new Socket();
      var id = call(bridge.netConnect, [String(o.host), +o.port || 0, sock]);
      hidden(sock, "id", id);
      if (typeof cb === "function") sock.on("connect", cb);
      return sock;
    },
  };
  var Wifi = eventful({
    connect: function (ssid, opts, cb) {
      var o = opts || {};
      call(bridge.wifiConnect, [String(ssid), o.password === undefined ? "" : String(o.password), typeof cb === "function" ? cb : null]);
    },
    disconnect: function (cb) { call(bridge.wifiDisconnect, [typeof cb === "function" ? cb : null]); },
    getStatus: function () { return { station: bridge.wifiConnected() ? "connected" : "off" }; },
    getIP: function () { return { ip: bridge.wifiConnected() ? "10.0.0.2" : "0.0.0.0" }; },
  });
  // the SSD1306 module draws into a 1-bit frame buffer in RAM: it costs the board variables
  function Graphics() { hidden(this, "lines", []); hidden(this, "buffer", new Uint8Array((facts.display.width * facts.display.height) >> 3)); }
  Graphics.prototype.clear = function () { hidden(this, "lines", []); return this; };
  ["setFont", "setFontVector", "setColor", "setFontAlign", "fillRect", "drawRect"].forEach(function (m) {
    Graphics.prototype[m] = function () { return this; };
  });
  Graphics.prototype.drawString = function (t, x, y) { this.lines.push([String(t), +x || 0, +y || 0]); return this; };
  Graphics.prototype.getWidth = function () { return facts.display.width; };
  Graphics.prototype.getHeight = function () { return facts.display.height; };
  Graphics.prototype.flip = function () { call(bridge.displayFlip, [JSON.stringify(this.lines)]); };
  var SSD1306 = {
    connect: function (i2c, cb) {
      var gfx = new Graphics();
      if (typeof cb === "function") setTimeout(cb, 50);
      return gfx;
    },
  };
  // require("crypto") on builds that have it: digests as ArrayBuffers, like the board's.
  function digest(alg) {
    return function (data) {
      var hex = call(bridge.sha, [alg, toByteString(data)]);
      var u = new Uint8Array(hex.length / 2);
      for (var i = 0; i < u.length; i++) u[i] = parseInt(hex.substr(i * 2, 2), 16);
      return u.buffer;
    };
  }
  var crypto = { SHA1: digest("sha1"), SHA256: digest("sha256") };
  define("require", function (name) {
    if (name === "Storage") return Storage;
    if (facts.hasNet && name === "net") return net;
    if (facts.hasNet && name === "Wifi") return Wifi;
    if (facts.display && name === "SSD1306") return SSD1306;
    if (facts.crypto && name === "crypto") return crypto;
    throw new Error('Module "' + name + '" not found');
  });
  define("global", g);

  // ---- what 2v29 does not have ----
  ["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol", "BigInt", "BigInt64Array",
    "BigUint64Array", "Proxy", "Reflect", "Intl", "WebAssembly", "SharedArrayBuffer", "Atomics", "TextEncoder",
    "TextDecoder", "queueMicrotask", "structuredClone", "Buffer"].forEach(function (n) { delete g[n]; });
  delete Array.from; delete Array.of;
  delete Array.prototype.flat; delete Array.prototype.flatMap;
  delete Object.freeze; delete Object.fromEntries;
  delete Number.isInteger; delete Number.isFinite; delete Number.parseInt; delete Number.parseFloat;
  delete Math.imul; delete Math.trunc;
  var TypedArray = Object.getPrototypeOf(Uint8Array);
  delete TypedArray.from; delete TypedArray.of;
  delete ArrayBuffer.prototype.slice;
  var nativeCreate = Object.create;
  Object.create = function create(proto) {
    if (arguments.length > 1) throw new Error("propertiesObject is not supported yet");
    return nativeCreate(proto);
  };
  // Silent trap reproduced: counted quantifiers and non-capturing groups never match on 2v29.
  var nativeExec = RegExp.prototype.exec;
  var unsupported = /(^|[^\\])(\{[0-9]+(,[0-9]*)?\}|\(\?:)/;
  RegExp.prototype.exec = function exec(s) {
    if (nativeExec.call(unsupported, this.source) !== null) { this.lastIndex = 0; return null; }
    return nativeExec.call(this, s);
  };
  // Silent trap reproduced: an instance of a subclass of Error has no message on 2v29.
  var NativeError = Error;
  var ErrorProxy = new NativeProxy(NativeError, {
    construct: function (target, args, nt) {
      var e = NativeReflect.construct(target, args, nt);
      if (nt !== ErrorProxy && nt !== NativeError) e.message = undefined;
      return e;
    },
  });
  define("Error", ErrorProxy);

  // Hooks for the host: deliver events as objects of this realm.
  return {
    emit: function (target, ev, a, b) {
      if (target === "E") return E.emit(ev, a, b);
      if (target === "Wifi") return Wifi.emit(ev, a, b);
      return serials[target].emit(ev, a, b);
    },
    emitOn: function (obj, ev, a) { return obj.emit(ev, a); },
    watchEvent: function (fn, state, time, lastTime) { fn({ state: state, time: time, lastTime: lastTime }); },
    callArgs: function (fn, args) { fn.apply(undefined, args); },
    // the interpreter's own objects the program reaches only through require(): not its memory
    internals: [Storage, net, Wifi, SSD1306, crypto, Socket.prototype, Graphics.prototype],
    errorText: function (e) { return e instanceof Error || (e && typeof e.message === "string") ? (e.name || "Error") + ": " + e.message : show(e); },
  };
});
