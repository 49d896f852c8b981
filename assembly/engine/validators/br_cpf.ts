// Brazilian CPF (Cadastro de Pessoas Físicas, Receita Federal): 9 digits and two mod-11
// check digits; all-same-digit numbers pass the arithmetic but are never issued.

import { allDigits, allSame, digitAt } from "./ascii";

/**
 * True when the 11 digits at p are a CPF.
 *
 * @example brCpfValid(ptr("39053344705"), 11) == true
 */
export function brCpfValid(p: usize, n: i32): bool {
  if (n != 11 || !allDigits(p, n) || allSame(p, n)) return false;
  return checkDigit(p, 9) == digitAt(p, 9) && checkDigit(p, 10) == digitAt(p, 10);
}

/** Check digit over the first k digits: weights k+1 .. 2, 11 - (sum mod 11), 10 and 11 -> 0. */
function checkDigit(p: usize, k: i32): u32 {
  let sum: u32 = 0;
  for (let i = 0; i < k; i++) sum += digitAt(p, i) * <u32>(k + 1 - i);
  let r = 11 - sum % 11;
  return r >= 10 ? 0 : r;
}
