// Serves the built playground (dist/playground/) for the proxy at GET /playground/…:
// static files only, no directory listing, no path outside that folder. Runs in Node and
// Deno (node:fs/promises, loaded on first use).
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8",
  wasm: "application/wasm", wlp: "application/octet-stream", map: "application/json; charset=utf-8",
};

/** dist/playground/ (from browser/static.ts in the source tree, or dist/cli.js when bundled). */
export const PLAYGROUND_DIR = new URL("../dist/playground/", import.meta.url);

export function isPlaygroundPath(pathname: string): boolean {
  return pathname === "/playground" || pathname.startsWith("/playground/");
}

export async function servePlayground(request: Request, dir: URL = PLAYGROUND_DIR): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/playground") return new Response(null, { status: 308, headers: { location: "/playground/" + url.search } });
  let rel: string;
  try { rel = decodeURIComponent(url.pathname.slice("/playground/".length)) || "index.html"; }
  catch { return notFound(); }
  if (rel.split("/").some((p) => p === ".." || p === "." || p === "") || rel.includes("\\") || rel.includes("\0")) return notFound();
  const ext = rel.slice(rel.lastIndexOf(".") + 1);
  const type = TYPES[ext];
  if (!type) return notFound();
  const { readFile } = await import("node:fs/promises");
  let body: Uint8Array;
  try { body = await readFile(new URL(rel, dir)); }
  catch { return notFound(rel === "index.html" ? "the playground is not built: run npm run build" : undefined); }
  return new Response(request.method === "HEAD" ? null : (body as Uint8Array<ArrayBuffer>), {
    status: 200,
    headers: { "content-type": type, "content-length": String(body.byteLength), "cache-control": "no-cache", "x-content-type-options": "nosniff" },
  });
}

function notFound(detail = "not found"): Response {
  return new Response(detail + "\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}
