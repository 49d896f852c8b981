// Byte classes of the pattern view, as the PII machines see them. One table lookup per
// byte tells every machine what it needs: word characters, the separators that may sit
// inside a formatted number, and the extra characters RFC 5322 allows in a local part.
// Bytes >= 0x80 (the rest of non-ASCII text after normalisation) are OTHER: a boundary.

export const enum ByteClass {
  OTHER = 0,
  DIGIT = 1,
  UPPER = 2,
  LOWER = 3,
  UNDERSCORE = 4, // a word character that glues: "order_4111…" is not a card
  SPACE = 5,
  DASH = 6,
  DOT = 7,
  SLASH = 8,
  COLON = 9,
  OPEN = 10, // '('
  CLOSE = 11, // ')'
  PLUS = 12,
  AT = 13,
  ATEXT = 14, // RFC 5322 §3.2.3 atext specials: ! # $ % & ' * = ? ^ ` { | } ~
}

// Class of each ASCII byte 0x00-0x7f (values of ByteClass), 16 per row. Generated from
// the definitions above; rows 2-7 are " !\"#$%&'()*+,-./", "0-9:;<=>?", "@A-O", "P-Z[\\]^_",
// "`a-o", "p-z{|}~DEL".
const CLASS_TABLE = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  5, 14, 0, 14, 14, 14, 14, 14, 10, 11, 14, 12, 0, 6, 7, 8,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 0, 0, 14, 0, 14,
  13, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 14, 4,
  14, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 14, 14, 14, 14, 0,
]);

/** The class of byte b. */
// @ts-ignore: decorator
@inline export function byteClass(b: u8): ByteClass {
  return b < 0x80 ? <ByteClass>load<u8>(CLASS_TABLE + <usize>b) : ByteClass.OTHER;
}

/** Letters and digits: what identifiers are made of. */
// @ts-ignore: decorator
@inline export function isAlnumClass(c: ByteClass): bool {
  return <u32>(c - ByteClass.DIGIT) < 3; // DIGIT, UPPER, LOWER
}

/** Characters that continue a word (alnum or '_'): a candidate glued to one is not PII. */
// @ts-ignore: decorator
@inline export function isWordClass(c: ByteClass): bool {
  return <u32>(c - ByteClass.DIGIT) < 4; // DIGIT, UPPER, LOWER, UNDERSCORE
}

/** Upper-cases an ASCII letter (callers pass letters only). */
// @ts-ignore: decorator
@inline export function upper(b: u8): u8 {
  return b & 0xdf;
}
