// Polish PESEL (Ustawa o ewidencji ludności): YYMMDDZZZXQ, weights 1,3,7,9 repeated, the
// century encoded in the month (+80 = 1800s, +0 = 1900s, +20 = 2000s, +40 = 2100s,
// +60 = 2200s). The date must exist.

import { allDigits, decimalAt, digitAt } from "./ascii";

// Weights of the first ten digits. Source: PESEL specification (MSWiA).
const WEIGHTS = memory.data<u8>([1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);

/**
 * True when the 11 digits at p are a PESEL with a valid check digit and birth date.
 *
 * @example peselValid(ptr("44051401359"), 11) == true
 */
export function peselValid(p: usize, n: i32): bool {
  if (n != 11 || !allDigits(p, n)) return false;
  let sum: u32 = 0;
  for (let i = 0; i < 10; i++) sum += digitAt(p, i) * <u32>load<u8>(WEIGHTS + <usize>i);
  if ((10 - sum % 10) % 10 != digitAt(p, 10)) return false;

  let yy = decimalAt(p, 0, 2);
  let mm = decimalAt(p, 2, 2);
  let dd = decimalAt(p, 4, 2);
  let century: u32;
  if (mm >= 81) { century = 1800; mm -= 80; }
  else if (mm >= 61) { century = 2200; mm -= 60; }
  else if (mm >= 41) { century = 2100; mm -= 40; }
  else if (mm >= 21) { century = 2000; mm -= 20; }
  else { century = 1900; }
  if (mm < 1 || mm > 12) return false;
  return dd >= 1 && dd <= daysInMonth(century + yy, mm);
}

function daysInMonth(year: u32, month: u32): u32 {
  if (month == 2) {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}
