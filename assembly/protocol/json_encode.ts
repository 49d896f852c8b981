// UTF-8 text -> JSON string content, byte for byte what JSON.stringify writes
// (ECMA-262 QuoteJSONString): \" \\ \b \f \n \r \t, \u00xx (lower-case hex) for the other
// controls below U+0020, and every other character raw, including DEL, non-ASCII and
// U+2028/U+2029. Minimal escaping keeps released text as close to the provider's own
// frames as possible; being exact lets tests compare with JSON.stringify.
import { Char, utf8Step } from "./json_chars";
import { JsonOut } from "./json_out";
import { JsonStatus } from "./json_status";

// "0123456789abcdef": JSON.stringify writes \u00xx in lower case.
const HEX = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

/** Short escape letter for a byte below 0x20 or " or \, or 0 when \u00xx is needed. */
// @ts-ignore: decorator
@inline function shortEscape(c: u32): u32 {
  switch (c) {
    case 0x08: return Char.LOWER_B;
    case Char.TAB: return Char.LOWER_T;
    case Char.LF: return Char.LOWER_N;
    case 0x0c: return Char.LOWER_F;
    case Char.CR: return Char.LOWER_R;
    case Char.QUOTE: return Char.QUOTE;
    case Char.BACKSLASH: return Char.BACKSLASH;
  }
  return 0;
}

/**
 * Appends the JSON string content (no quotes) for the UTF-8 text [p, p + n) to `out`.
 * Ill-formed UTF-8 cannot appear in JSON (RFC 8259 §8.1), so each maximal ill-formed
 * subpart is written as U+FFFD, as TextDecoder would read it. Returns how many were
 * replaced (0 for well-formed text).
 *
 * ```ts
 * out.byte(0x22); encodeJsonString(text, len, out); out.byte(0x22); // a JSON string value
 * ```
 */
export function encodeJsonString(p: usize, n: usize, out: JsonOut): i32 {
  const end = p + n;
  let q = p;
  let run = p;
  let replaced = 0;
  while (q < end) {
    const c = <u32>load<u8>(q);
    if (c >= 0x20 && c < 0x80 && c != Char.BACKSLASH && c != Char.QUOTE) { q++; continue; }
    if (c >= 0x80) {
      const k = utf8Step(q, end);
      if (k > 0) { q += <usize>k; continue; }
      out.bytes(run, q - run);
      const w = out.ensure(3); // U+FFFD
      store<u8>(w, 0xef);
      store<u8>(w, 0xbf, 1);
      store<u8>(w, 0xbd, 2);
      out.len += 3;
      replaced++;
      q += <usize>(-k);
      run = q;
      continue;
    }
    out.bytes(run, q - run);
    const e = shortEscape(c);
    if (e) {
      const w = out.ensure(2);
      store<u8>(w, Char.BACKSLASH);
      store<u8>(w, <u8>e, 1);
      out.len += 2;
    } else {
      const w = out.ensure(6);
      store<u8>(w, Char.BACKSLASH);
      store<u8>(w, Char.LOWER_U, 1);
      store<u8>(w, Char.ZERO, 2);
      store<u8>(w, Char.ZERO, 3);
      store<u8>(w, load<u8>(HEX + (c >> 4)), 4);
      store<u8>(w, load<u8>(HEX + (c & 15)), 5);
      out.len += 6;
    }
    q++;
    run = q;
  }
  out.bytes(run, q - run);
  return replaced;
}

/**
 * Rebuilds `payload` [p, p + n) into `out` with the bytes [start, end) replaced by
 * [v, v + vn); every other byte (ids, usage, unknown fields, whitespace) is copied
 * untouched. To replace several values of one payload, go from the last span to the
 * first (earlier spans keep their offsets), or splice them in one pass yourself.
 *
 * ```ts
 * replaceSpan(payload, len, s.start(i), s.end(i), newValue, newLen, out);
 * ```
 */
export function replaceSpan(p: usize, n: usize, start: usize, end: usize, v: usize, vn: usize, out: JsonOut): JsonStatus {
  if (start > end || end > n) return JsonStatus.BAD_SPAN;
  out.bytes(p, start);
  out.bytes(v, vn);
  out.bytes(p + end, n - end);
  return JsonStatus.OK;
}

/**
 * replaceSpan with a string value built from UTF-8 text: the span (a string value,
 * quotes included, as JsonScanner reports it) becomes "<encodeJsonString(text)>".
 * Returns BAD_SPAN for a span outside the payload.
 */
export function replaceStringValue(p: usize, n: usize, start: usize, end: usize, text: usize, textLen: usize, out: JsonOut): JsonStatus {
  if (start > end || end > n) return JsonStatus.BAD_SPAN;
  out.bytes(p, start);
  out.byte(Char.QUOTE);
  encodeJsonString(text, textLen, out);
  out.byte(Char.QUOTE);
  out.bytes(p + end, n - end);
  return JsonStatus.OK;
}
