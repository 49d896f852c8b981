// JSON string content -> UTF-8 (RFC 8259 §7), with a carry for surrogate pairs split
// across values.
//
// A provider streams one channel (choice 0's content, tool call 1's arguments, …) as
// many small string values. A non-BMP character escaped as a UTF-16 pair (\ud83d\ude00)
// may be cut between two of them: the first delta ends with \ud83d, the next starts
// with \ude00. Decoding each value on its own would give two U+FFFD; instead the high
// half is carried in the channel's decoder until the next value shows whether its low
// half follows. So the bytes a channel yields do not depend on where the provider cut.
// A surrogate that never finds its partner becomes U+FFFD (what TextEncoder does to a
// lone surrogate in a JS string, so decode agrees with TextEncoder(JSON.parse(x))).
import { Char, hex4, utf8Step } from "./json_chars";
import { JsonOut } from "./json_out";
import { JsonStatus } from "./json_status";
import { encodeUtf8 } from "../engine/utf8";

const NO_HIGH: u32 = 0;

// @ts-ignore: decorator
@inline function isHigh(u: u32): bool { return u - 0xd800 < 0x400; }
// @ts-ignore: decorator
@inline function isLow(u: u32): bool { return u - 0xdc00 < 0x400; }

// @ts-ignore: decorator
@inline function putCodePoint(out: JsonOut, cp: u32): void {
  out.len += encodeUtf8(cp, out.ensure(4));
}

/** One per text channel: holds a trailing high surrogate until the channel's next value. */
export class JsonStringDecoder {
  /** The carried high surrogate (0xd800..0xdbff), or 0. */
  high: u32 = NO_HIGH;

  reset(): void { this.high = NO_HIGH; }

  /**
   * Decodes the content of one string value (the bytes between its quotes) into `out`,
   * appending. A high surrogate escape at the very end is carried, not written.
   * On an error `out` holds the bytes decoded before it and the carry is dropped.
   *
   * ```ts
   * const d = new JsonStringDecoder();
   * d.decode(start + 1, end - start - 2, out); // span from JsonScanner, quotes removed
   * d.finish(out);                             // at the end of the channel
   * ```
   */
  decode(p: usize, n: usize, out: JsonOut): JsonStatus {
    const end = p + n;
    let q = p;
    let run = p; // start of the pending run of bytes copied as they are
    while (q < end) {
      const c = <u32>load<u8>(q);
      if (c >= 0x20 && c < 0x80 && c != Char.BACKSLASH && c != Char.QUOTE) { q++; continue; }
      if (c >= 0x80) {
        const k = utf8Step(q, end);
        if (k < 0) return this.fail(out, run, q, JsonStatus.BAD_UTF8);
        q += <usize>k;
        continue;
      }
      if (c != Char.BACKSLASH) return this.fail(out, run, q, c == Char.QUOTE ? JsonStatus.SYNTAX : JsonStatus.CONTROL_CHAR);
      // an escape: flush the plain run first (a carried high surrogate is resolved by it)
      this.flushRun(out, run, q);
      if (q + 1 >= end) return this.fail(out, q, q, JsonStatus.BAD_ESCAPE);
      const e = <u32>load<u8>(q, 1);
      if (e == Char.LOWER_U) {
        if (q + 6 > end) return this.fail(out, q, q, JsonStatus.BAD_ESCAPE);
        const u = hex4(q + 2);
        if (u < 0) return this.fail(out, q, q, JsonStatus.BAD_ESCAPE);
        this.codeUnit(out, <u32>u);
        q += 6;
      } else {
        const b = simpleEscape(e);
        if (b < 0) return this.fail(out, q, q, JsonStatus.BAD_ESCAPE);
        this.lone(out);
        out.byte(<u32>b);
        q += 2;
      }
      run = q;
    }
    this.flushRun(out, run, q);
    return JsonStatus.OK;
  }

  /** Ends the channel: a carried high surrogate becomes U+FFFD. */
  finish(out: JsonOut): void { this.lone(out); }

  // @ts-ignore: decorator
  @inline private flushRun(out: JsonOut, from: usize, to: usize): void {
    if (to > from) {
      this.lone(out);
      out.bytes(from, to - from);
    }
  }

  /** A carried high surrogate that was not followed by its low half. */
  // @ts-ignore: decorator
  @inline private lone(out: JsonOut): void {
    if (this.high != NO_HIGH) {
      putCodePoint(out, 0xfffd);
      this.high = NO_HIGH;
    }
  }

  private codeUnit(out: JsonOut, u: u32): void {
    if (this.high != NO_HIGH && isLow(u)) {
      putCodePoint(out, 0x10000 + ((this.high - 0xd800) << 10) + (u - 0xdc00));
      this.high = NO_HIGH;
      return;
    }
    this.lone(out);
    if (isHigh(u)) this.high = u;
    else putCodePoint(out, isLow(u) ? 0xfffd : u);
  }

  private fail(out: JsonOut, run: usize, q: usize, status: JsonStatus): JsonStatus {
    this.flushRun(out, run, q);
    this.high = NO_HIGH;
    return status;
  }
}

/** The byte an escape letter stands for (RFC 8259 §7), or -1 for \u and unknown letters. */
// @ts-ignore: decorator
@inline function simpleEscape(e: u32): i32 {
  switch (e) {
    case Char.QUOTE: return Char.QUOTE;
    case Char.BACKSLASH: return Char.BACKSLASH;
    case Char.SLASH: return Char.SLASH;
    case Char.LOWER_B: return 0x08;
    case Char.LOWER_F: return 0x0c;
    case Char.LOWER_N: return Char.LF;
    case Char.LOWER_R: return Char.CR;
    case Char.LOWER_T: return Char.TAB;
  }
  return -1;
}

/**
 * Decodes the content of one JSON string value (without its quotes) into `out`.
 * With a channel's `carry`, a surrogate pair split across values decodes to one
 * character; without one, the value stands alone and a lone surrogate becomes U+FFFD.
 *
 * ```ts
 * decodeJsonString(start + 1, end - start - 2, out);          // one-shot
 * decodeJsonString(start + 1, end - start - 2, out, channel); // streamed delta
 * ```
 */
export function decodeJsonString(p: usize, n: usize, out: JsonOut, carry: JsonStringDecoder | null = null): JsonStatus {
  if (carry) return carry.decode(p, n, out);
  const d = oneShot;
  d.reset();
  const s = d.decode(p, n, out);
  if (s == JsonStatus.OK) d.finish(out);
  return s;
}

const oneShot = new JsonStringDecoder();
