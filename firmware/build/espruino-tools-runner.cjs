// Runs espruino-tools (npm "espruino") in its own process: it installs globals (Espruino,
// esprima, $, require) that must not leak into the build or a test runner. Offline by
// construction: the board description comes from firmware/vendor, module lookups only
// search firmware/vendor/modules, and every URL fetch is refused and reported.
//
// Usage: node espruino-tools-runner.cjs <job.json>
// job: { board: "<vendor board JSON path>", modulesDir, input: "<code file>",
//        upload?: "<path>", send?: "<path>", port?: "<serial port>", result: "<path>" }
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const result = { errors: [], warnings: [], fetchRefused: [], missingModules: [], uploadBytes: 0, sendBytes: 0, sent: false };

process.on("uncaughtException", (err) => {
  result.errors.push(err && err.stack ? err.stack : String(err));
  finish(1);
});

function finish(code) {
  fs.writeFileSync(job.result, JSON.stringify(result, null, 2));
  process.exit(code);
}

// espruino-tools prints progress through console.log; the build reports its own summary.
const quietLog = console.log;
console.log = function () {};

function transform(code, saveOnSend) {
  return new Promise((resolve) => {
    Espruino.Config.SAVE_ON_SEND = saveOnSend;
    Espruino.callProcessor("transformForEspruino", code, resolve);
  });
}

function loadBoard() {
  return new Promise((resolve) => {
    const json = JSON.parse(fs.readFileSync(job.board, "utf8"));
    Espruino.Config.ENV_ON_CONNECT = false; // the board JSON is the environment, as with the CLI's --board file
    const env = Espruino.Core.Env.getData();
    env.BOARD = path.basename(job.board, ".json");
    for (const key of Object.keys(json)) env[key] = json[key];
    Espruino.callProcessor("boardJSONLoaded", env, () => {
      Espruino.Core.Env.setFirmwareVersion(json.info.binary_version);
      resolve();
    });
  });
}

function send(code) {
  return new Promise((resolve, reject) => {
    Espruino.Core.Serial.startListening((data) => {
      process.stderr.write(Buffer.from(new Uint8Array(data)));
    });
    Espruino.Core.Serial.open(
      job.port,
      (status) => {
        if (status === undefined) return reject(new Error(`cannot open ${job.port}`));
        Espruino.Core.CodeWriter.writeToEspruino(code, () => {
          result.sent = true;
          setTimeout(() => Espruino.Core.Serial.close(), 1000);
        });
      },
      () => resolve(),
    );
  });
}

require("espruino").init(async () => {
  try {
    Espruino.Core.Notifications.error = (m) => result.errors.push(String(m));
    Espruino.Core.Notifications.warning = (m) => {
      const text = String(m);
      const missing = /^Module (.+) not found$/.exec(text);
      if (missing) result.missingModules.push(missing[1]);
      else result.warnings.push(text);
    };
    const refuse = (url, callback) => {
      result.fetchRefused.push(String(url));
      callback(undefined);
    };
    Espruino.Core.Utils.getURL = refuse;
    Espruino.Core.Utils.getJSONURL = refuse;

    Object.assign(Espruino.Config, {
      // The input is already minified by esbuild: espruino-tools' bundled esmangle cannot
      // optimise ES2015 (it aborts on `continue` inside for-of and gives two classes the same
      // mangled name), and the Closure levels are an online service.
      MINIFICATION_LEVEL: "",
      MODULE_MINIFICATION_LEVEL: "",
      MODULE_URL: "", // never fetch modules from espruino.com
      MODULES_DIR_NAME: path.basename(job.modulesDir),
      MODULES_CWD: path.dirname(job.modulesDir),
      MODULE_AS_FUNCTION: true,
      COMPILATION: false, // "compiled" functions would go to an online compiler
      // Keywords and operators become the single bytes 0x8A..0xC6 the board's lexer reads
      // (Espruino's own step, offline: acorn tokens, no board access). "Auto" without the
      // online board list stays in the mode every 2v20+ lexer reads: keywords and operators
      // only. Raw string/int tokens (mode 2) made the Pico upload larger (37,440 B against
      // 36,992 B): a one-digit literal takes 2 bytes as LEX_RAW_INT8.
      PRETOKENISE: job.pretokenise ? 1 : 0,
      SET_TIME_ON_WRITE: false,
      RESET_BEFORE_SEND: true,
      LOAD_STORAGE_FILE: 1, // after writing .bootcde, load() runs it as at power-up
      // Serial only: the Bluetooth back-ends probe D-Bus and crash where it is absent.
      BLUETOOTH_LOW_ENERGY: false,
      BLUETOOTH_LOW_ENERGY_DBUS: false,
    });
    await loadBoard();
    const code = fs.readFileSync(job.input, "latin1");
    const upload = await transform(code, -1); // -1: the code as the board runs it, no upload wrapping
    result.uploadBytes = upload.length;
    if (job.upload) fs.writeFileSync(job.upload, upload, "latin1");
    if (job.send || job.port) {
      // 1: Storage.write(".bootcde", ...) in 1 KB chunks, then load(): survives power cycles.
      const commands = await transform(code, 1);
      result.sendBytes = commands.length;
      if (job.send) fs.writeFileSync(job.send, commands, "latin1");
      if (job.port) await send(commands);
    }
    finish(0);
  } catch (err) {
    result.errors.push(err && err.stack ? err.stack : String(err));
    finish(1);
  }
});

// Silence is restored only for our own last words.
process.on("exit", () => {
  console.log = quietLog;
});
