// Bytes of the JSON grammar (RFC 8259) and the UTF-8 step shared by the scanner, the
// decoder and the encoder.
import { seqLength, secondByteOk } from "../engine/utf8";

export const enum Char {
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  QUOTE = 0x22,
  STAR = 0x2a,
  PLUS = 0x2b,
  COMMA = 0x2c,
  MINUS = 0x2d,
  DOT = 0x2e,
  SLASH = 0x2f,
  ZERO = 0x30,
  ONE = 0x31,
  NINE = 0x39,
  COLON = 0x3a,
  UPPER_E = 0x45,
  LBRACKET = 0x5b,
  BACKSLASH = 0x5c,
  RBRACKET = 0x5d,
  LOWER_A = 0x61,
  LOWER_B = 0x62,
  LOWER_E = 0x65,
  LOWER_F = 0x66,
  LOWER_L = 0x6c,
  LOWER_N = 0x6e,
  LOWER_R = 0x72,
  LOWER_S = 0x73,
  LOWER_T = 0x74,
  LOWER_U = 0x75,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
}

/** RFC 8259 §2: ws = space, horizontal tab, line feed, carriage return. Nothing else. */
// @ts-ignore: decorator
@inline export function isJsonSpace(c: u32): bool {
  return c == Char.SPACE || c == Char.LF || c == Char.CR || c == Char.TAB;
}

// @ts-ignore: decorator
@inline export function isDigit(c: u32): bool { return c - Char.ZERO < 10; }

/** Value of a hex digit, or -1 (RFC 8259 §7: HEXDIG is case-insensitive). */
// @ts-ignore: decorator
@inline export function hexValue(c: u32): i32 {
  if (c - Char.ZERO < 10) return <i32>(c - Char.ZERO);
  const l = c | 0x20; // ASCII lower case
  if (l - Char.LOWER_A < 6) return <i32>(l - Char.LOWER_A + 10);
  return -1;
}

/** The 4 hex digits at p as a UTF-16 code unit, or -1. The caller checks p + 4 <= end. */
// @ts-ignore: decorator
@inline export function hex4(p: usize): i32 {
  const a = hexValue(load<u8>(p));
  const b = hexValue(load<u8>(p, 1));
  const c = hexValue(load<u8>(p, 2));
  const d = hexValue(load<u8>(p, 3));
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/** Skips RFC 8259 whitespace from q; returns the first other position (or end). */
// @ts-ignore: decorator
@inline export function skipSpace(q: usize, end: usize): usize {
  while (q < end && isJsonSpace(load<u8>(q))) q++;
  return q;
}

/**
 * One UTF-8 sequence starting at p (p < end, load<u8>(p) >= 0x80).
 * Returns its length (2..4) when it is well formed (RFC 3629 table 3-7: no overlongs,
 * no surrogates, nothing above U+10FFFF), else the negated length of its maximal
 * subpart (1..3): the bytes that one U+FFFD replaces under the WHATWG Encoding
 * standard's UTF-8 decoder (what TextDecoder does), so encoders can mirror it.
 */
export function utf8Step(p: usize, end: usize): i32 {
  const lead = <u32>load<u8>(p);
  const n = seqLength(lead);
  if (n < 2) return -1;
  if (p + 1 >= end || !secondByteOk(lead, load<u8>(p, 1))) return -1;
  if (n == 2) return 2;
  if (p + 2 >= end || (load<u8>(p, 2) & 0xc0) != 0x80) return -2;
  if (n == 3) return 3;
  if (p + 3 >= end || (load<u8>(p, 3) & 0xc0) != 0x80) return -3;
  return 4;
}
