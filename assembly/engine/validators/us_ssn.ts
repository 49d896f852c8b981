// US Social Security Number: AAA-GG-SSSS with the SSA's never-issued blocks rejected
// (SSA, "SSN Randomization", 2011: areas 000, 666 and 900-999 are never assigned; group
// 00 and serial 0000 never were).

import { allDigits, allSame, decimalAt } from "./ascii";

/**
 * True when the 9 digits at p can be an issued SSN. Also rejects all-same-digit numbers
 * and the famous published ones: 078-05-1120 (Woolworth wallet insert), 219-09-9999
 * (SSA advertising) and 123-45-6789 (the usual placeholder).
 *
 * @example usSsnValid(ptr("536225674"), 9) == true
 */
export function usSsnValid(p: usize, n: i32): bool {
  if (n != 9 || !allDigits(p, n) || allSame(p, n)) return false;
  let area = decimalAt(p, 0, 3);
  let group = decimalAt(p, 3, 2);
  let serial = decimalAt(p, 5, 4);
  if (area == 0 || area == 666 || area >= 900) return false;
  if (group == 0 || serial == 0) return false;
  let whole = area * 1000000 + group * 10000 + serial;
  return whole != 78051120 && whole != 219099999 && whole != 123456789;
}
