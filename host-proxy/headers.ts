// Header hygiene between client, proxy and upstream. Credentials (authorization, x-api-key)
// pass through untouched and are never copied anywhere else.
import { ACCEPT_ENCODING } from "./upstream-encoding.ts";

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"];

/** Headers for the upstream request: hop-by-hop removed; content-length dropped (fetch sets it,
 *  and a redacted body has another length); identity encoding asked for (upstream-encoding.ts). */
export function upstreamRequestHeaders(h: Headers, requestId: string): Headers {
  const out = new Headers(h);
  for (const k of HOP_BY_HOP) out.delete(k);
  out.delete("content-length");
  out.set("accept-encoding", ACCEPT_ENCODING);
  out.set("x-request-id", requestId);
  return out;
}

/** Headers for the client: the body is decoded and may be rewritten, so no length or encoding. */
export function clientResponseHeaders(h: Headers, requestId: string): Headers {
  const out = new Headers(h);
  for (const k of HOP_BY_HOP) out.delete(k);
  out.delete("content-length");
  out.delete("content-encoding");
  out.set("x-request-id", requestId);
  return out;
}
