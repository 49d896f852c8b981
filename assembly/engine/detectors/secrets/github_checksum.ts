// GitHub token checksum (github.blog, 2021-04-05, "Behind GitHub's new authentication
// token formats"): ghp_/gho_/ghu_/ghs_/ghr_ + 30 random base62 characters + 6 characters
// that are the CRC-32 of those 30, written in base62 (0-9A-Za-z), left-padded with '0'.
// A random 36-character string passes with probability 2^-32, so a valid checksum turns
// "looks like a token" into "is a token".
import { crc32 } from "./crc32";

const enum Char {
  ZERO = 0x30,
  UPPER_A = 0x41,
  LOWER_A = 0x61,
}

const RANDOM_LENGTH: i32 = 30;
const CHECKSUM_LENGTH: i32 = 6;

/** Value of a base62 digit in GitHub's order 0-9, A-Z, a-z; -1 for other bytes. */
// @ts-ignore: decorator
@inline function base62Digit(c: u32): i32 {
  if (c - Char.ZERO < 10) return <i32>(c - Char.ZERO);
  if (c - Char.UPPER_A < 26) return <i32>(c - Char.UPPER_A) + 10;
  if (c - Char.LOWER_A < 26) return <i32>(c - Char.LOWER_A) + 36;
  return -1;
}

/**
 * True when the n = 36 body bytes at p (after the "ghp_" prefix) end in the base62
 * CRC-32 of their first 30 bytes.
 *
 * @example githubChecksumOk(ptr(body), 36)
 */
export function githubChecksumOk(p: usize, n: i32): bool {
  if (n != RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
  let v: u64 = 0;
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    const d = base62Digit(<u32>load<u8>(p + <usize>(RANDOM_LENGTH + i)));
    if (d < 0) return false;
    v = v * 62 + <u64>d;
  }
  return v == <u64>crc32(p, RANDOM_LENGTH);
}
