// node:http adapter for the Request → Response core: streams the request body in and the
// response body out with backpressure (waits for 'drain'), and turns a client disconnect
// into an abort of the Request's signal (the core aborts the upstream fetch on it) and a
// cancel of the response body.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { lingerOnClose } from "./lingering-close.ts";

export type WebHandler = (request: Request) => Promise<Response>;

export function toWebRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    signal,
    // @ts-expect-error: undici needs duplex for stream bodies (not in lib.dom yet)
    duplex: "half",
  });
}

/** Writes a Web Response to a node:http response, honouring backpressure. */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => { if (k !== "set-cookie") headers[k] = v; });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (!response.body) { res.end(); return; }
  const reader = response.body.getReader();
  // the client left while the answer was being prepared: cancel it (and so the upstream)
  if (res.destroyed) { reader.cancel(new Error("client disconnected")).catch(() => {}); return; }
  res.flushHeaders();
  const onClose = () => { if (!res.writableFinished) reader.cancel(new Error("client disconnected")).catch(() => {}); };
  res.on("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) { reader.cancel(new Error("client disconnected")).catch(() => {}); return; }
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => { res.off("drain", go); res.off("close", go); resolve(); };
          res.on("drain", go);
          res.on("close", go);
        });
      }
    }
    res.end();
  } catch (e) {
    res.destroy(e as Error);
  } finally {
    res.off("close", onClose);
  }
}

/** A node:http request listener around a Web handler. */
export function nodeListener(handler: WebHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const client = new AbortController();
    res.on("close", () => { if (!res.writableFinished) client.abort(new Error("client disconnected")); });
    req.on("error", () => client.abort(new Error("client request failed")));
    handler(toWebRequest(req, client.signal))
      .then((response) => {
        // refused before the body was read (413): let the client read the answer (lingering-close.ts)
        if (!req.complete && response.headers.get("connection") === "close") lingerOnClose(req);
        return writeWebResponse(response, res);
      })
      .catch((e) => {
        if (!res.headersSent) { res.writeHead(500, { "content-type": "text/plain" }); res.end("internal error\n"); }
        else res.destroy(e as Error);
      });
  };
}
