// Content codings of upstream answers. The proxy asks for `accept-encoding: identity`, so
// the guard sees text; an upstream that compresses anyway is still read right, because a
// Fetch-standard fetch (undici in Node, Deno's) decodes gzip, deflate and br itself, as the
// body streams, and keeps the content-encoding header (Fetch §4.6 "handle content codings").
// Any other coding (zstd, compress, an unknown token) would reach us as compressed bytes:
// those answers are refused (502), never scanned as if they were text. Decoded whole answers
// are bounded by limits.max_response_bytes (a small gzip can expand a thousandfold).

/** What the proxy asks the upstream for. */
export const ACCEPT_ENCODING = "identity";

/** Codings the runtime's fetch decodes before we read the body. */
const DECODED_BY_FETCH = new Set(["identity", "gzip", "x-gzip", "deflate", "br"]);

/**
 * The first content coding of an upstream answer that fetch leaves encoded, or null when
 * the body reaches us as plain bytes.
 * @example
 * undecodedCoding(new Headers({ "content-encoding": "gzip" }));  // null (fetch decoded it)
 * undecodedCoding(new Headers({ "content-encoding": "zstd" }));  // "zstd"
 */
export function undecodedCoding(headers: Headers): string | null {
  const value = headers.get("content-encoding");
  if (!value) return null;
  for (const token of value.split(",")) {
    const c = token.trim().toLowerCase();
    if (c && !DECODED_BY_FETCH.has(c)) return c;
  }
  return null;
}
