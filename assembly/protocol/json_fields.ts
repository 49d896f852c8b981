// Reading scalar fields that JsonScanner found: the event `type`, a block `index`,
// `finish_reason`. Add a pattern for the field ("type", "index",
// "choices.*.finish_reason"), scan, then test or read the matched span here. No
// allocation: escaped strings are decoded into one reused scratch buffer.
import { Char, isDigit } from "./json_chars";
import { JsonOut } from "./json_out";
import { JsonStringDecoder } from "./json_decode";
import { JsonStatus } from "./json_status";
import { encodeUtf8 } from "../engine/utf8";

const scratch = new JsonOut(64);
const decoder = new JsonStringDecoder();

/**
 * Whether the string value at [start, end) of the payload at p (quotes included, as a
 * JsonScanner match gives it) equals `lit` once decoded, so "content_block_delta" and
 * "content\u005fblock_delta" are the same event type. False for any non-string span.
 *
 * ```ts
 * if (jsonStringIs(payload, s.start(i), s.end(i), "content_block_delta")) { … }
 * ```
 */
export function jsonStringIs(p: usize, start: u32, end: u32, lit: string): bool {
  if (end < start + 2 || load<u8>(p + start) != Char.QUOTE || load<u8>(p + end - 1) != Char.QUOTE) return false;
  let a = p + start + 1;
  let n = <usize>(end - start - 2);
  // fast path: no escapes
  let plain = true;
  for (let i: usize = 0; i < n; i++) if (load<u8>(a + i) == Char.BACKSLASH) { plain = false; break; }
  if (!plain) {
    scratch.reset();
    decoder.reset();
    if (decoder.decode(a, n, scratch) != JsonStatus.OK) return false;
    decoder.finish(scratch);
    a = scratch.ptr;
    n = <usize>scratch.len;
  }
  return utf8EqualsString(a, n, lit);
}

/** Whether UTF-8 bytes [a, a + n) spell exactly the UTF-16 string `s`. */
function utf8EqualsString(a: usize, n: usize, s: string): bool {
  const w = changetype<usize>(cpBytes);
  const len = s.length;
  let q: usize = 0;
  for (let i = 0; i < len; i++) {
    let cp = <u32>s.charCodeAt(i);
    if (cp - 0xd800 < 0x400 && i + 1 < len) {
      const lo = <u32>s.charCodeAt(i + 1);
      if (lo - 0xdc00 < 0x400) { cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00); i++; }
    }
    if (cp - 0xd800 < 0x800) cp = 0xfffd; // a lone surrogate, as TextEncoder writes it
    const k = <usize>encodeUtf8(cp, w);
    if (q + k > n || memory.compare(a + q, w, k) != 0) return false;
    q += k;
  }
  return q == n;
}

const cpBytes = new StaticArray<u8>(4);

/**
 * The number value at [start, end) of the payload at p as an unsigned integer, or -1
 * when it is not a plain non-negative integer (no sign, fraction or exponent) or
 * exceeds u32. Block and choice indexes are such numbers.
 *
 * ```ts
 * const block = jsonU32(payload, s.start(i), s.end(i)); // Anthropic "index"
 * ```
 */
export function jsonU32(p: usize, start: u32, end: u32): i64 {
  if (end <= start || end - start > 10) return -1;
  let v: u64 = 0;
  for (let q = start; q < end; q++) {
    const c = <u32>load<u8>(p + q);
    if (!isDigit(c)) return -1;
    v = v * 10 + <u64>(c - Char.ZERO);
  }
  if (end - start > 1 && load<u8>(p + start) == Char.ZERO) return -1; // RFC 8259 §6: no leading zeros
  return v > 0xffffffff ? -1 : <i64>v;
}
