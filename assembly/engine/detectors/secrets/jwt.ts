// JWT structure check (RFC 7519 §7.2, RFC 7515 §4.1.1): the first segment of a token is
// the base64url encoding of a JSON object that names its algorithm. Decoding it tells a
// JWT from any three dot-separated base64 words that happen to start with "eyJ".

const enum Char {
  QUOTE = 0x22,
  BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  SPACE = 0x20,
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
}

/** base64url digit value (RFC 4648 §5); -1 for other bytes (including '=' padding). */
// @ts-ignore: decorator
@inline function base64UrlDigit(c: u32): i32 {
  if (c - 0x41 < 26) return <i32>(c - 0x41);      // A-Z
  if (c - 0x61 < 26) return <i32>(c - 0x61) + 26; // a-z
  if (c - 0x30 < 10) return <i32>(c - 0x30) + 52; // 0-9
  if (c == 0x2d) return 62;                       // -
  if (c == 0x5f) return 63;                       // _
  return -1;
}

// @ts-ignore: decorator
@inline function isJsonSpace(c: u32): bool {
  return c == Char.SPACE || c == Char.TAB || c == Char.LF || c == Char.CR;
}

/** `"alg"`, the 5 bytes the decoded header must contain. */
const ALG = memory.data<u8>([0x22, 0x61, 0x6c, 0x67, 0x22]);
const ALG_LENGTH: i32 = 5;

/**
 * True when the n base64url bytes at p decode to text whose first non-space byte is '{',
 * whose last is '}' (a header cut short is not a header) and which contains `"alg"`. Decodes on the fly (no buffer): 4 digits → 3 bytes.
 *
 * @example jwtHeaderOk(ptr("eyJhbGciOiJIUzI1NiJ9"), 20) == true   // {"alg":"HS256"}
 */
export function jwtHeaderOk(p: usize, n: i32): bool {
  let acc: u32 = 0;
  let bits: i32 = 0;
  let seenBrace = false;
  let alg = 0; // bytes of `"alg"` matched so far ('"' occurs only at its ends, so no KMP table)
  let found = false;
  let last: u32 = 0; // last decoded non-space byte: '}' closes a complete header
  for (let i = 0; i < n; i++) {
    const d = base64UrlDigit(<u32>load<u8>(p + <usize>i));
    if (d < 0) return false;
    acc = (acc << 6) | <u32>d;
    bits += 6;
    if (bits < 8) continue;
    bits -= 8;
    const c = (acc >> <u32>bits) & 0xff;
    if (!seenBrace) {
      if (isJsonSpace(c)) continue;
      if (c != Char.BRACE) return false;
      seenBrace = true;
      continue;
    }
    if (!isJsonSpace(c)) last = c;
    if (found) continue;
    if (c == <u32>load<u8>(ALG + <usize>alg)) {
      if (++alg == ALG_LENGTH) found = true;
    } else {
      alg = c == Char.QUOTE ? 1 : 0;
    }
  }
  return found && last == Char.CLOSE_BRACE;
}
