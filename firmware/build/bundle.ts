// Step 1: esbuild bundles a board entry into one script for the board's interpreter.
import { build, type Plugin } from "esbuild";
import { reservedMangleCache } from "./reserved-props";

/**
 * Bare specifiers (`require("Storage")`, `require("SSD1306")`) are Espruino modules: built
 * into the interpreter or embedded later by espruino-tools, never resolved by esbuild.
 */
const espruinoModulesExternal: Plugin = {
  name: "espruino-modules",
  setup(b) {
    b.onResolve({ filter: /^[A-Za-z@]/ }, (args) => (args.kind === "entry-point" ? undefined : { path: args.path, external: true }));
  },
};

export async function bundleEntry(entry: string, minify: boolean): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    // "cjs", wrapped in a function below, rather than "iife": for an unbound `require` the
    // iife format emits a __require shim that probes Proxy; cjs leaves Espruino's require as is.
    format: "cjs",
    platform: "neutral",
    mainFields: ["module", "main"],
    // ES2015 is what the board runs (arrows, classes, let/const, template literals, for-of).
    // Lowered because esbuild's output stays inside the subset: `?.` becomes `== null`
    // ternaries, class fields become constructor assignments (useDefineForClassFields off,
    // so no __publicField helper). Kept as written so the gate names the construct rather
    // than a helper that would smuggle in Math.pow, generators or Symbol checks: `**`,
    // object spread, async/await, generators, private members, static blocks. `??` runs.
    target: "es2015",
    supported: {
      "optional-chain": false,
      "nullish-coalescing": true,
      "exponent-operator": true,
      "object-rest-spread": true,
      "async-await": true,
      "async-generator": true,
      generator: true,
      "class-static-blocks": true,
      "class-private-field": true,
      "class-private-method": true,
      "class-private-accessor": true,
      "class-private-static-field": true,
      "class-private-static-method": true,
      "class-private-static-accessor": true,
      "class-private-brand-check": true,
      "class-static-field": false,
      "class-field": false,
    },
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    charset: "ascii", // Espruino strings are bytes: keep every non-ASCII character escaped
    // Every property name is shortened except the reserved ones (reserved-props.ts: built-ins,
    // Espruino's API, keys kept in Storage) and quoted ones (`o["device"]`), which is how
    // names read from Storage JSON are written in firmware/src.
    mangleProps: /^[A-Za-z_$]/,
    mangleCache: reservedMangleCache(),
    sourcemap: false,
    legalComments: "none",
    minify,
    logLevel: "silent",
    plugins: [espruinoModulesExternal],
  });
  // An entry's exports would make esbuild add CommonJS interop helpers (one of which keeps a
  // `for (let ...)` binding in a getter closure, wrong on Espruino); the board needs none.
  const code = out.outputFiles[0].text;
  if (/\bmodule\.exports\s*=\s*__toCommonJS\(/.test(code)) throw new Error(`${entry} is a board entry and must not export anything`);
  return minify ? `(function(){${code}})();\n` : `(function () {\n${code}})();\n`;
}
