// US Individual Taxpayer Identification Number: 9XX-GG-XXXX. The IRS assigns only the
// group ranges below (as published by the IRS; 90-92 and 94-99 were added after 70-88).

import { allDigits, decimalAt, digitAt } from "./ascii";

/**
 * True when the 9 digits at p start with 9 and digits 4-5 are in 50-65, 70-88, 90-92 or 94-99.
 *
 * @example usItinValid(ptr("912701234"), 9) == true
 */
export function usItinValid(p: usize, n: i32): bool {
  if (n != 9 || !allDigits(p, n) || digitAt(p, 0) != 9) return false;
  let group = decimalAt(p, 3, 2);
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88)
    || (group >= 90 && group <= 92) || group >= 94;
}
