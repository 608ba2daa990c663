// Acceptance check: the protocol module passes the same gate as the firmware. Every board-side
// file under protocol/src (not protocol/src/node, which is Node-only) is stripped of its
// TypeScript by esbuild, with no lowering and no bundling, and must show no violation.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { transformSync } from "esbuild";
import { checkEspruinoSubset, formatViolations } from "../../../firmware/build/gate";

const ROOT = join(__dirname, "..", "..", "..");
const PROTOCOL = join(ROOT, "protocol", "src");

function boardFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== join(PROTOCOL, "node")) out.push(...boardFiles(path));
    } else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  return out;
}

const files = boardFiles(PROTOCOL);

test("protocol/src has board-side files to check", () => {
  expect(files.length).toBeGreaterThan(0);
});

test.each(files.map((f) => [relative(ROOT, f), f]))("the protocol module passes the same gate: %s", (rel, path) => {
  const js = transformSync(readFileSync(path, "utf8"), { loader: "ts", format: "esm", target: "esnext", sourcefile: rel }).code;
  const violations = checkEspruinoSubset(js, rel);
  if (violations.length) throw new Error(formatViolations(violations, rel + " (as JavaScript)"));
});
