// Incremental UTF-8 decoding that survives any split: a sequence cut by a chunk edge is
// completed by the next push, never restarted. Invalid bytes (stray continuation bytes,
// overlong forms, surrogates, truncated sequences) decode to U+FFFD one byte at a time,
// so the original bytes are still passed through untouched: the engine never rewrites
// bytes it does not redact.

export const REPLACEMENT_CHAR: u32 = 0xfffd;

// @ts-ignore: decorator
@inline export function seqLength(lead: u32): i32 {
  if (lead < 0x80) return 1;
  if (lead < 0xc2) return 0; // continuation byte or overlong 2-byte lead
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf5) return 4;
  return 0;
}

/** Valid range for the second byte of a sequence (RFC 3629 table 3-7). */
// @ts-ignore: decorator
@inline export function secondByteOk(lead: u32, b: u32): bool {
  if (lead == 0xe0) return b >= 0xa0 && b <= 0xbf;
  if (lead == 0xed) return b >= 0x80 && b <= 0x9f;
  if (lead == 0xf0) return b >= 0x90 && b <= 0xbf;
  if (lead == 0xf4) return b >= 0x80 && b <= 0x8f;
  return (b & 0xc0) == 0x80;
}

/** Writes cp as UTF-8 at p; returns the number of bytes. */
export function encodeUtf8(cp: u32, p: usize): i32 {
  if (cp < 0x80) { store<u8>(p, <u8>cp); return 1; }
  if (cp < 0x800) {
    store<u8>(p, <u8>(0xc0 | (cp >> 6)));
    store<u8>(p + 1, <u8>(0x80 | (cp & 0x3f)));
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (cp >> 12)));
    store<u8>(p + 1, <u8>(0x80 | ((cp >> 6) & 0x3f)));
    store<u8>(p + 2, <u8>(0x80 | (cp & 0x3f)));
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (cp >> 18)));
  store<u8>(p + 1, <u8>(0x80 | ((cp >> 12) & 0x3f)));
  store<u8>(p + 2, <u8>(0x80 | ((cp >> 6) & 0x3f)));
  store<u8>(p + 3, <u8>(0x80 | (cp & 0x3f)));
  return 4;
}
