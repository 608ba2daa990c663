// The dashboard's page, styles and scripts, read once from public/ and served from memory.
// Only files present at start are served: a request path is looked up, never joined onto
// the file system, so "../" cannot reach anything else.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

export const PUBLIC_DIR = join(__dirname, "public");

// Everything is local: the page may load nothing from elsewhere.
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export class StaticFiles {
  private readonly files = new Map<string, StaticFile>();

  constructor(dir = PUBLIC_DIR) {
    this.load(dir, "");
  }

  has(path: string): boolean {
    return this.files.has(path === "/" ? "/index.html" : path);
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  /** Serves `path` ("/" is the page); false when there is no such file. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const f = this.files.get(path === "/" ? "/index.html" : path);
    if (!f) return false;
    if (req.headers["if-none-match"] === f.etag) {
      res.writeHead(304, { etag: f.etag });
      res.end();
      return true;
    }
    // no-cache: revalidate each load (cheap 304s) so an upgraded gateway never serves a stale script.
    res.writeHead(200, { "content-type": f.type, "content-length": f.body.length, etag: f.etag, "cache-control": "no-cache", ...SECURITY_HEADERS });
    res.end(req.method === "HEAD" ? undefined : f.body);
    return true;
  }

  private load(dir: string, prefix: string): void {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix + "/" + entry.name;
      if (entry.isDirectory()) {
        this.load(join(dir, entry.name), rel);
        continue;
      }
      const type = TYPES[extname(entry.name)];
      if (!type) continue;
      const body = readFileSync(join(dir, entry.name));
      this.files.set(rel, { body, type, etag: '"' + createHash("sha1").update(body).digest("hex").slice(0, 16) + '"' });
    }
  }
}
