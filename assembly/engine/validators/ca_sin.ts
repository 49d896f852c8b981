// Canadian Social Insurance Number: 9 digits, Luhn. First digit 0 is never issued
// (reserved for fictitious numbers) and 8 is used for business numbers, not people.

import { allDigits, digitAt } from "./ascii";
import { luhnValid } from "./luhn";

/**
 * True when the 9 digits at p are a valid SIN.
 *
 * @example caSinValid(ptr("046454286"), 9) == false  // 0 = fictitious
 */
export function caSinValid(p: usize, n: i32): bool {
  if (n != 9 || !allDigits(p, n)) return false;
  let first = digitAt(p, 0);
  return first != 0 && first != 8 && luhnValid(p, n);
}
