// Italian fiscal code (codice fiscale, DM 23/12/1976): 16 characters
//   SSS NNN YY M DD CCCC K
//   surname, name (6 letters) | year (2) | month letter | day (2, +40 for women) |
//   municipality (letter + 3) | check letter.
// When two people would get the same code, the Agenzia delle Entrate replaces digits
// from the right by letters (omocodia: 0-9 -> L M N P Q R S T U V); both forms are valid.

import { Char, isDigit, isUpper } from "./ascii";

const LENGTH = 16;

// Which positions hold a digit (or its omocodia letter): 6, 7, 9, 10, 12, 13, 14.
const DIGIT_POSITIONS: u32 = 1 << 6 | 1 << 7 | 1 << 9 | 1 << 10 | 1 << 12 | 1 << 13 | 1 << 14;

// Omocodia letter -> digit, indexed by letter - 'A'; 0xff = not an omocodia letter.
// L=0 M=1 N=2 P=3 Q=4 R=5 S=6 T=7 U=8 V=9 (Agenzia delle Entrate, omocodia table).
const OMOCODIA = memory.data<u8>([
  //  A     B     C     D     E     F     G     H     I     J     K     L     M
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,    0,    1,
  //  N     O     P     Q     R     S     T     U     V     W     X     Y     Z
     2, 0xff,    3,    4,    5,    6,    7,    8,    9, 0xff, 0xff, 0xff, 0xff,
]);

// Month letters A B C D E H L M P R S T = January .. December, as a mask over 'A'..'Z'.
const MONTH_LETTERS: u32 = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 7 | 1 << 11
  | 1 << 12 | 1 << 15 | 1 << 17 | 1 << 18 | 1 << 19;

// Check-character values of characters in odd positions (1st, 3rd, ... 15th), indexed by
// letter - 'A'; a digit d counts as the d-th letter. Source: DM 23/12/1976, annex "caratteri
// dispari". Characters in even positions count as their index (A/0 = 0 .. Z = 25).
const ODD_VALUE = memory.data<u8>([
  //A  B  C  D  E   F   G   H   I   J  K  L   M
   1,  0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18,
  //N  O  P  Q  R   S   T   U   V   W   X   Y   Z
  20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
]);

/**
 * True when the 16 characters at p form a codice fiscale with a valid check letter,
 * month letter and day (1-31 or 41-71), with or without omocodia substitutions.
 *
 * @example itFiscalCodeValid(ptr("RSSMRA85T10A562S"), 16) == true
 */
export function itFiscalCodeValid(p: usize, n: i32): bool {
  if (n != LENGTH) return false;
  let sum: u32 = 0;
  let day: u32 = 0;
  for (let i = 0; i < LENGTH - 1; i++) {
    let c = <u32>load<u8>(p + <usize>i);
    // Index of the character in 0-9 / A-Z terms (digits d count as letter d).
    let index: u32;
    if (isDigit(c)) {
      if (((DIGIT_POSITIONS >> i) & 1) == 0) return false;
      index = c - Char.ZERO;
    } else if (isUpper(c)) {
      index = c - Char.A;
      if (((DIGIT_POSITIONS >> i) & 1) != 0 && load<u8>(OMOCODIA + index) == 0xff) return false;
      if (i == 8 && ((MONTH_LETTERS >> index) & 1) == 0) return false;
    } else {
      return false;
    }
    if (i == 9 || i == 10) {
      let d = isDigit(c) ? index : <u32>load<u8>(OMOCODIA + index);
      day = day * 10 + d;
    }
    sum += (i & 1) == 0 ? <u32>load<u8>(ODD_VALUE + index) : index;
  }
  if (!(day >= 1 && day <= 31) && !(day >= 41 && day <= 71)) return false;
  return <u32>load<u8>(p, LENGTH - 1) == Char.A + sum % 26;
}
