// Spanish personal tax numbers: DNI/NIF (8 digits + control letter) and NIE for foreigners
// (X/Y/Z + 7 digits + control letter). The letter is CONTROL[number mod 23]
// (Ministerio del Interior, "Cálculo del dígito de control del NIF/NIE").

import { allDigits, decimalAt, digitAt, isUpper } from "./ascii";

// Control letters indexed by number mod 23. Source: Spanish Ministry of the Interior.
const CONTROL = memory.data<u8>([
  0x54, 0x52, 0x57, 0x41, 0x47, 0x4d, 0x59, 0x46, 0x50, 0x44, 0x58, 0x42, // T R W A G M Y F P D X B
  0x4e, 0x4a, 0x5a, 0x53, 0x51, 0x56, 0x48, 0x4c, 0x43, 0x4b, 0x45,       // N J Z S Q V H L C K E
]);

/** NIE prefix letters; each stands for a leading digit (X = 0, Y = 1, Z = 2). */
const enum NiePrefix {
  X = 0x58,
  Z = 0x5a,
}

/**
 * True for "12345678Z": 8 digits and the matching control letter.
 *
 * @example esNifValid(ptr("12345678Z"), 9) == true
 */
export function esNifValid(p: usize, n: i32): bool {
  if (n != 9 || !allDigits(p, 8)) return false;
  return controlMatches(decimalAt(p, 0, 8), load<u8>(p, 8));
}

/**
 * True for "X1234567L": X, Y or Z (read as 0, 1, 2), 7 digits and the control letter.
 *
 * @example esNieValid(ptr("X1234567L"), 9) == true
 */
export function esNieValid(p: usize, n: i32): bool {
  if (n != 9) return false;
  let lead = <u32>load<u8>(p) - NiePrefix.X;
  if (lead > <u32>(NiePrefix.Z - NiePrefix.X)) return false;
  for (let i = 1; i < 8; i++) {
    if (digitAt(p, i) > 9) return false;
  }
  return controlMatches(lead * 10000000 + decimalAt(p, 1, 7), load<u8>(p, 8));
}

// @ts-ignore: decorator
@inline function controlMatches(number: u32, letter: u32): bool {
  return isUpper(letter) && load<u8>(CONTROL + number % 23) == letter;
}
