// IP address text forms: IPv4 dotted quad (RFC 791 as written by inet_ntoa, strict: no
// leading zeros, which some parsers read as octal) and IPv6 (RFC 4291 section 2.2).

import { Char, isDigit } from "./ascii";

/** Longest IPv4 text: "255.255.255.255". */
const IPV4_MAX = 15;
/** Longest IPv6 text: six groups of 4 hex digits, then a dotted quad ("ffff:...:255.255.255.255"). */
const IPV6_MAX = 45;

// @ts-ignore: decorator
@inline function isHex(c: u32): bool {
  return isDigit(c) || (c | 0x20) - Char.LOWER_A < 6; // | 0x20 folds 'A'-'F' onto 'a'-'f'
}

/**
 * True for "192.168.0.1": exactly four decimal parts 0-255, no leading zeros except "0".
 *
 * @example ipv4Valid(ptr("10.0.0.1"), 8) == true
 */
export function ipv4Valid(p: usize, n: i32): bool {
  return n <= IPV4_MAX && dottedQuad(p, 0, n);
}

/** True when bytes [start, end) at p are exactly a dotted quad. */
function dottedQuad(p: usize, start: i32, end: i32): bool {
  let parts = 0;
  let i = start;
  while (true) {
    let digits = 0;
    let value: u32 = 0;
    let first: u32 = 0;
    while (i < end) {
      let d = <u32>load<u8>(p + <usize>i) - Char.ZERO;
      if (d > 9) break;
      if (digits == 3) return false;
      if (digits == 0) first = d;
      value = value * 10 + d;
      digits++;
      i++;
    }
    if (digits == 0 || value > 255 || (digits > 1 && first == 0)) return false;
    parts++;
    if (i == end) return parts == 4;
    if (parts == 4 || load<u8>(p + <usize>i) != Char.DOT) return false;
    i++;
  }
  return false; // unreachable: the loop returns
}

/**
 * True for RFC 4291 text: eight groups of 1-4 hex digits (either case) separated by ':',
 * at most one "::" standing for one or more zero groups, and optionally a dotted quad in
 * place of the last two groups. "a:b" is not an address (two groups and no "::").
 *
 * @example ipv6Valid(ptr("2001:db8::1"), 11) == true
 * @example ipv6Valid(ptr("::ffff:192.0.2.1"), 16) == true
 */
export function ipv6Valid(p: usize, n: i32): bool {
  if (n < 2 || n > IPV6_MAX) return false;
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (load<u8>(p) == Char.COLON) {
    // A leading colon is only allowed as the start of "::".
    if (load<u8>(p, 1) != Char.COLON) return false;
    compressed = true;
    i = 2;
    if (i == n) return true; // "::" alone: the unspecified address
  }
  while (true) {
    let start = i;
    while (i < n && i - start < 5 && isHex(load<u8>(p + <usize>i))) i++;
    if (i < n && load<u8>(p + <usize>i) == Char.DOT) {
      // Embedded IPv4 (RFC 4291 2.2 form 3): must run to the end and counts as two groups.
      if (!dottedQuad(p, start, n)) return false;
      groups += 2;
      break;
    }
    let len = i - start;
    if (len == 0 || len > 4) return false;
    groups++;
    if (i == n) break;
    if (load<u8>(p + <usize>i) != Char.COLON) return false;
    i++;
    if (i == n) return false; // a single trailing ':'
    if (load<u8>(p + <usize>i) == Char.COLON) {
      if (compressed) return false; // a second "::"
      compressed = true;
      i++;
      if (i == n) break;
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}
