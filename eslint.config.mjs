// Project lint config. typescript-eslint's recommended rules for all TypeScript; on top of
// that, code the Espruino board runs (protocol/src, firmware/src) gets the subset rules of
// firmware/build/gate, so the error shows in the editor. The gate stays the authority (it
// also finds loop bindings captured by closures and inherited static calls, which these
// selectors cannot express); keep the two in step when the profile changes.
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";
import globals from "globals";

const subset = (what, why) => `${what} is outside the Espruino 2v29 subset: ${why} (see /work/shared/docs/espruino-2v29-profile.md)`;

const restrictedSyntax = [
  ["ObjectPattern", subset("Destructuring", "ReferenceError on the board; read properties one by one")],
  ["ArrayPattern", subset("Destructuring", "ReferenceError on the board; index the array")],
  ["RestElement", subset("Rest (...x)", "SyntaxError; use arguments or pass an array")],
  ["SpreadElement", subset("Spread (...x)", "SyntaxError; use concat, Object.assign or apply")],
  [":function > AssignmentPattern", subset("A default parameter", "SyntaxError; test for undefined in the body")],
  ["ChainExpression", subset("Optional chaining ?.", "SyntaxError; test for null explicitly")],
  ["BinaryExpression[operator='**']", subset("**", "SyntaxError; multiply in a loop")],
  ["AssignmentExpression[operator='**=']", subset("**=", "SyntaxError; multiply in a loop")],
  [":function[async=true]", subset("async", "fails on the board; use callbacks or Promise.then")],
  ["AwaitExpression", subset("await", "fails on the board; use Promise.then")],
  [":function[generator=true]", subset("A generator", "SyntaxError")],
  ["BreakStatement[label]", subset("A labelled break", "fails; use a flag or return")],
  ["ContinueStatement[label]", subset("A labelled continue", "fails; use a flag or return")],
  ["Literal[bigint]", subset("A BigInt literal", "keep big values as digit strings")],
  ["Literal[raw=/^[0-9]{17,}$/]", subset("An integer literal above 2^53 - 1", "it silently wraps; keep it as a digit string")],
  ["StaticBlock", subset("A class static block", "run the code after the class")],
  ["PrivateIdentifier", subset("A #private member", "use a plain property")],
  ["ClassDeclaration[superClass.name=/Error$/]", subset("A subclass of Error", ".message is silently undefined; throw a plain Error")],
  ["ClassExpression[superClass.name=/Error$/]", subset("A subclass of Error", ".message is silently undefined; throw a plain Error")],
  ["TaggedTemplateExpression", subset("A tagged template", "call a function with the parts")],
  ["MetaProperty", subset("new.target / import.meta", "not supported")],
  ["ImportExpression", subset("Dynamic import()", "use require")],
  ["Literal[regex.pattern=/[{][0-9]+(,[0-9]*)?[}]/]", subset("A counted regex quantifier {n}", "it silently never matches; check lengths in code and use +")],
  ["Literal[regex.pattern=/[(][?]/]", subset("A (?...) regex group", "it silently never matches; use a plain ( ) group")],
  ["NewExpression[callee.name='RegExp'] > Literal.arguments:first-child[value=/[{][0-9]+(,[0-9]*)?[}]|[(][?]/]", subset("A counted quantifier or (? group in RegExp()", "it silently never matches")],
  ["CallExpression[callee.object.name='Object'][callee.property.name='create'][arguments.length>1]", subset("Object.create(proto, props)", "throws; create with one argument and assign")],
  ["CallExpression[callee.property.name='slice'][callee.object.property.name='buffer']", subset("ArrayBuffer#slice", "missing; slice the typed array instead")],
  ["TSEnumDeclaration", subset("A TypeScript enum", "use a plain const object")],
  ["TSModuleDeclaration[kind='namespace']", subset("A TypeScript namespace", "use a module")],
].map(([selector, message]) => ({ selector, message }));

const missingGlobals = ["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol", "BigInt", "Proxy", "Reflect", "TextEncoder", "TextDecoder", "Intl", "queueMicrotask", "structuredClone"].map((name) => ({
  name,
  message: subset(name, "it does not exist on the board"),
}));

const missingMembers = [
  ["Array", "from"],
  ["Array", "of"],
  ["Object", "freeze"],
  ["Object", "fromEntries"],
  ["Number", "isInteger"],
  ["Number", "isFinite"],
  ["Number", "parseInt"],
  ["Number", "parseFloat"],
  ["Math", "imul"],
  ["Math", "trunc"],
  ["Math", "pow"],
  ["Uint8Array", "from"],
  ["String", "raw"],
  ["Promise", "allSettled"],
  ["Promise", "any"],
].map(([object, property]) => ({
  object,
  property,
  message: subset(`${object}.${property}`, property === "pow" ? "it is inexact on the board (Math.pow(10, 15) is 1000000000000005.875)" : "it is missing on the board"),
}));
// Calls only, as in the gate: an own property named `at` is fine, `x.at(-1)` is not.
const missingMethods = ["flat", "flatMap", "replaceAll", "at", "findLast", "findLastIndex", "toSorted", "toReversed"].map((name) => ({
  selector: `CallExpression > MemberExpression.callee[computed=false][property.name='${name}']`,
  message: subset(`.${name}()`, "the method is missing on the board"),
}));

export default defineConfig([
  globalIgnores(["dist/", "node_modules/", "coverage/"]),
  { files: ["**/*.ts"], extends: [tseslint.configs.recommended] },
  {
    files: ["**/*.{js,cjs,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    // A leading underscore marks a binding kept on purpose (e.g. a field left out of a copy).
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Runs on the board: protocol/src/node is Node-only and may use anything.
    files: ["protocol/src/**/*.ts", "firmware/src/**/*.ts"],
    // Declaration files only describe types; nothing in them runs.
    ignores: ["protocol/src/node/**", "**/*.d.ts"],
    rules: {
      "no-restricted-syntax": ["error", ...restrictedSyntax, ...missingMethods],
      "no-restricted-globals": ["error", ...missingGlobals],
      "no-restricted-properties": ["error", ...missingMembers],
    },
  },
]);
