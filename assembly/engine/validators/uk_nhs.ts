// UK NHS number (NHS Data Dictionary, "NHS Number"): 10 digits, modulus 11 with weights
// 10..2 over the first nine; a computed check of 10 means the number is never issued.

import { allDigits, allSame, digitAt } from "./ascii";

/**
 * True when the 10 digits at p are a valid NHS number (all-same-digit numbers rejected:
 * 0000000000 passes the checksum but is a placeholder).
 *
 * @example nhsValid(ptr("9434765919"), 10) == true
 */
export function nhsValid(p: usize, n: i32): bool {
  if (n != 10 || !allDigits(p, n) || allSame(p, n)) return false;
  let sum: u32 = 0;
  for (let i = 0; i < 9; i++) sum += digitAt(p, i) * <u32>(10 - i);
  let check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digitAt(p, 9);
}
