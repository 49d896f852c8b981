// Luhn (ISO/IEC 7812-1 annex B, "mod 10"): payment cards, Canadian SINs, IMEIs.
// Catches every single-digit error and most adjacent transpositions (not 09 <-> 90).

import { digitAt } from "./ascii";

/**
 * True when the n digits at p pass the Luhn check (n >= 2; any non-digit fails).
 *
 * @example luhnValid(ptr("4111111111111111"), 16) == true
 */
export function luhnValid(p: usize, n: i32): bool {
  if (n < 2) return false;
  let sum: u32 = 0;
  let double = false;
  // From the right: the check digit is undoubled, then every second digit is doubled
  // and its digits summed (2d - 9 when 2d > 9).
  for (let i = n - 1; i >= 0; i--) {
    let d = digitAt(p, i);
    if (d > 9) return false;
    if (double) {
      d <<= 1;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 == 0;
}
