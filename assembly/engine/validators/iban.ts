// IBAN (ISO 13616): country code, two check digits, BBAN; valid when the country's
// registry length matches and the ISO 7064 MOD 97-10 remainder is 1.

import { Char, isDigit, isUpper } from "./ascii";

// IBAN length per country, indexed (first letter - 'A') * 26 + (second letter - 'A');
// 0 = not an IBAN country. 676 bytes. Source: SWIFT IBAN Registry as of 2025,
// 89 countries, including recent entries (BI 27 since 2023, NI 28, DJ, FK, MN, OM, SO,
// YE). Territories that use a parent's IBAN code (AX -> FI, GF/GP/RE/... -> FR,
// GG/IM/JE -> GB) are not listed: their IBANs start with the parent's code.
const IBAN_LENGTH = memory.data<u8>([
  //      A  B  C  D  E  F  G  H  I  J  K  L  M  N  O  P  Q  R  S  T  U  V  W  X  Y  Z 
  /* A */  0, 0, 0,24,23, 0, 0, 0, 0, 0, 0,28, 0, 0, 0, 0, 0, 0, 0,20, 0, 0, 0, 0, 0,28,
  /* B */ 20, 0, 0, 0,16, 0,22,22,27, 0, 0, 0, 0, 0, 0, 0, 0,29, 0, 0, 0, 0, 0, 0,28, 0,
  /* C */  0, 0, 0, 0, 0, 0, 0,21, 0, 0, 0, 0, 0, 0, 0, 0, 0,22, 0, 0, 0, 0, 0, 0,28,24,
  /* D */  0, 0, 0, 0,22, 0, 0, 0, 0,27,18, 0, 0, 0,28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* E */  0, 0, 0, 0,20, 0,29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,24, 0, 0, 0, 0, 0, 0, 0,
  /* F */  0, 0, 0, 0, 0, 0, 0, 0,18, 0,18, 0, 0, 0,18, 0, 0,27, 0, 0, 0, 0, 0, 0, 0, 0,
  /* G */  0,22, 0, 0,22, 0, 0, 0,23, 0, 0,18, 0, 0, 0, 0, 0,27, 0,28, 0, 0, 0, 0, 0, 0,
  /* H */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,28, 0, 0, 0,21, 0, 0,28, 0, 0, 0, 0, 0,
  /* I */  0, 0, 0, 0,22, 0, 0, 0, 0, 0, 0,23, 0, 0, 0, 0,23, 0,26,27, 0, 0, 0, 0, 0, 0,
  /* J */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* K */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,30, 0, 0,20,
  /* L */  0,28,32, 0, 0, 0, 0, 0,21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,20,20,21, 0, 0,25, 0,
  /* M */  0, 0,27,24,22, 0, 0, 0, 0, 0,19, 0, 0,20, 0, 0, 0,27, 0,31,30, 0, 0, 0, 0, 0,
  /* N */  0, 0, 0, 0, 0, 0, 0, 0,28, 0, 0,18, 0, 0,15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* O */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,23, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* P */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0,24,28, 0, 0, 0, 0, 0, 0,29,25, 0, 0, 0, 0, 0, 0,
  /* Q */ 29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* R */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,24, 0, 0, 0,22, 0,33, 0, 0, 0, 0, 0,
  /* S */ 24, 0,31,18,24, 0, 0, 0,19, 0,24, 0,27, 0,23, 0, 0, 0, 0,25, 0,28, 0, 0, 0, 0,
  /* T */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,23, 0,24, 0, 0, 0,26, 0, 0, 0, 0, 0, 0, 0, 0,
  /* U */ 29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* V */ 22, 0, 0, 0, 0, 0,24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* W */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* X */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0,20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* Y */  0, 0, 0, 0,30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* Z */  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** Shortest (NO) and longest (RU) registry lengths. */
const MIN_LENGTH = 15;
const MAX_LENGTH = 33;

/**
 * True when the n bytes at p are an IBAN: upper-case country code with its registry
 * length, two check digits, upper-case alphanumeric BBAN, and mod 97 == 1.
 *
 * @example ibanValid(ptr("GB82WEST12345698765432"), 22) == true
 */
export function ibanValid(p: usize, n: i32): bool {
  if (n < MIN_LENGTH || n > MAX_LENGTH) return false;
  let c0 = <u32>load<u8>(p);
  let c1 = <u32>load<u8>(p, 1);
  if (!isUpper(c0) || !isUpper(c1)) return false;
  if (<i32>load<u8>(IBAN_LENGTH + (c0 - Char.A) * 26 + (c1 - Char.A)) != n) return false;
  if (!isDigit(load<u8>(p, 2)) || !isDigit(load<u8>(p, 3))) return false;
  // MOD 97-10 over the number formed by moving the first four characters to the end and
  // replacing letters by 10..35. Folding one character at a time keeps the remainder
  // below 97, so 97 * 100 + 35 fits easily in u32: no big integers needed.
  let r: u32 = 0;
  for (let k = 4; k < n + 4; k++) {
    let c = <u32>load<u8>(p + <usize>(k < n ? k : k - n));
    if (isDigit(c)) {
      r = (r * 10 + (c - Char.ZERO)) % 97;
    } else if (isUpper(c)) {
      r = (r * 100 + (c - Char.A + 10)) % 97;
    } else {
      return false;
    }
  }
  return r == 1;
}
