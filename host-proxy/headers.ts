// Header hygiene between client, proxy and upstream. Credentials (authorization, x-api-key)
// pass through untouched and are never copied anywhere else.

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"];

/** Headers for the upstream request: hop-by-hop removed; content-length dropped (fetch sets it,
 *  and a redacted body has another length); accept-encoding left to fetch, which decodes. */
export function upstreamRequestHeaders(h: Headers, requestId: string): Headers {
  const out = new Headers(h);
  for (const k of HOP_BY_HOP) out.delete(k);
  out.delete("content-length");
  out.delete("accept-encoding");
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
