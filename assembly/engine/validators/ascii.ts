// ASCII byte predicates and digit-run helpers shared by the validators.
// Validators receive (p, n): the address and length of ASCII bytes in wasm memory, with
// separators already removed and letters already upper-cased by the caller.

/** ASCII byte values used by the validators. */
export const enum Char {
  DOT = 0x2e,
  ZERO = 0x30,
  NINE = 0x39,
  COLON = 0x3a,
  A = 0x41,
  Z = 0x5a,
  LOWER_A = 0x61,
}

/** True for '0'..'9'. Unsigned wrap makes one comparison cover both bounds. */
// @ts-ignore: decorator
@inline export function isDigit(c: u32): bool {
  return c - Char.ZERO < 10;
}

/** True for 'A'..'Z' (callers upper-case first; lower case is not a letter here). */
// @ts-ignore: decorator
@inline export function isUpper(c: u32): bool {
  return c - Char.A < 26;
}

/** The value of the digit at p + i, or a value > 9 when that byte is not a digit. */
// @ts-ignore: decorator
@inline export function digitAt(p: usize, i: i32): u32 {
  return <u32>load<u8>(p + <usize>i) - Char.ZERO;
}

/** True when all n bytes at p are ASCII digits. */
export function allDigits(p: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    if (digitAt(p, i) > 9) return false;
  }
  return true;
}

/** True when all n bytes at p are the same byte (n >= 1): "111111111"-style placeholders. */
export function allSame(p: usize, n: i32): bool {
  if (n <= 0) return false;
  let first = load<u8>(p);
  for (let i = 1; i < n; i++) {
    if (load<u8>(p + <usize>i) != first) return false;
  }
  return true;
}

/** The n digits at p + start read as a decimal number (caller has checked they are digits). */
// @ts-ignore: decorator
@inline export function decimalAt(p: usize, start: i32, count: i32): u32 {
  let v: u32 = 0;
  for (let i = 0; i < count; i++) v = v * 10 + digitAt(p, start + i);
  return v;
}
