// German tax identification number (Steuerliche Identifikationsnummer, IdNr; §139b AO):
// 11 digits, the last an ISO 7064 MOD 11,10 check digit. Structure rules of the BZSt:
// the first digit is not 0, and in the first ten digits exactly one digit occurs twice or
// three times (three only since 2016, and never in three adjacent positions); the other
// digits occur at most once.

import { allDigits, digitAt } from "./ascii";

/**
 * True when the 11 digits at p are a well-formed IdNr.
 *
 * @example deTaxIdValid(ptr("36574261809"), 11) == true
 */
export function deTaxIdValid(p: usize, n: i32): bool {
  if (n != 11 || !allDigits(p, n) || digitAt(p, 0) == 0) return false;
  // Occurrences of each digit in the first ten, 4 bits per digit in one u64 (no table).
  let counts: u64 = 0;
  for (let i = 0; i < 10; i++) counts += (<u64>1) << (digitAt(p, i) << 2);
  let repeated = 0;
  let repeatedDigit: u32 = 10;
  let repeatedCount: u32 = 0;
  for (let d: u32 = 0; d < 10; d++) {
    let c = <u32>(counts >> (d << 2)) & 0xf;
    if (c > 3) return false;
    if (c >= 2) {
      repeated++;
      repeatedDigit = d;
      repeatedCount = c;
    }
  }
  if (repeated != 1) return false;
  if (repeatedCount == 3) {
    for (let i = 0; i < 8; i++) {
      if (digitAt(p, i) == repeatedDigit && digitAt(p, i + 1) == repeatedDigit
        && digitAt(p, i + 2) == repeatedDigit) return false;
    }
  }
  // ISO 7064 MOD 11,10 (hybrid system): product starts at 10.
  let product: u32 = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (digitAt(p, i) + product) % 10;
    if (sum == 0) sum = 10;
    product = (sum * 2) % 11;
  }
  let check = 11 - product;
  if (check == 10) check = 0;
  return check == digitAt(p, 10);
}
