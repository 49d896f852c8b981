// Encoded payloads: a run of base64, hex or URL-encoded text is decoded and, when the
// result reads as text, scanned again — "aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM="
// is "ignore all previous instructions". Findings in the decoded text are reported on
// the whole encoded run (that is what a redaction must remove). One level deep, runs
// bounded by MAX_RUN bytes (and by max_holdback), so the cost stays linear.
//
// The tracker follows the pattern view byte by byte; a run ends at the first byte that
// cannot belong to it, which is a property of the bytes alone: chunk-invariant.
import { NONE } from "./constants";
import { Output } from "./output";

const MAX_RUN: i32 = 4096;

export const DECODE_BASE64: u32 = 1;
export const DECODE_HEX: u32 = 2;
export const DECODE_URL: u32 = 4;

// @ts-ignore: decorator
@inline function b64Value(c: u32): i32 {
  if (c >= 0x41 && c <= 0x5a) return <i32>c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return <i32>c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30 + 52;
  if (c == 0x2b || c == 0x2d) return 62; // + (standard) or - (URL-safe)
  if (c == 0x2f || c == 0x5f) return 63; // / (standard) or _ (URL-safe)
  return -1;
}

// @ts-ignore: decorator
@inline function hexValue(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return <i32>l - 0x61 + 10;
  return -1;
}

// . and ~ belong to URL runs only: neither base64 nor hex can end with one, so at a run's
// end they are a sentence's full stop (or an ellipsis), not part of the payload.
// @ts-ignore: decorator
@inline function isUrlOnlyTail(c: u32): bool { return c == 0x2e || c == 0x7e; }

// @ts-ignore: decorator
@inline function isRunByte(c: u32): bool {
  return b64Value(c) >= 0 || c == 0x3d || c == 0x25 || c == 0x2e || c == 0x7e; // = % . ~
}

/** Decoded payloads: read by the scanner's rescan right after end_() wrote them, so one
 *  buffer serves every stream (the engine is single-threaded). */
const DECODED = new StaticArray<u8>(MAX_RUN);

export class EncodedRuns {
  /** the run's bytes, copied only once a byte's span broke the identity with the input
   *  (allocated then: most streams never need it) */
  private run: StaticArray<u8> = new StaticArray<u8>(0);
  private len: i32 = 0;
  private start: u32 = NONE;
  private end: u32 = 0;
  /** end offset of the run's last byte that is not a URL-only tail byte (see isUrlOnlyTail) */
  private coreEnd: u32 = 0;
  /** every byte so far was the input byte at start + i (ASCII): read it from the held input */
  private identity: bool = true;
  private flags: u32;
  private minLen: i32;
  private out: Output;
  maxHold: u32 = 4096;
  /** decoded payload of the run that just ended, and that run's span */
  decoded: StaticArray<u8> = DECODED;
  decodedLen: i32 = 0;
  readyStart: u32 = NONE;
  readyEnd: u32 = 0;

  constructor(flags: u32, minLength: u32, out: Output) {
    this.flags = flags;
    this.minLen = <i32>(minLength < 8 ? 8 : minLength);
    this.out = out;
  }

  reset(): void { this.len = 0; this.start = NONE; this.readyStart = NONE; }

  pending(): u32 { return this.len > 0 ? this.start : NONE; }

  /** Feeds one pattern-view byte; returns true when a decoded payload is ready. */
  feed(b: u8, s: u32, e: u32): bool {
    const c = <u32>b;
    if (!isRunByte(c)) return this.end_();
    let len = this.len;
    if (len == 0) { this.start = s; this.identity = true; }
    if (len >= MAX_RUN || e - this.start > this.maxHold) { this.len = 0; this.start = NONE; return false; }
    if (this.identity && (s != this.start + <u32>len || e != s + 1)) {
      // a folded character: from here on the run's bytes are copied
      if (this.run.length == 0) this.run = new StaticArray<u8>(MAX_RUN);
      memory.copy(changetype<usize>(this.run), this.out.at(this.start), <usize>len);
      this.identity = false;
    }
    if (!this.identity) unchecked((this.run[len] = b));
    this.len = len + 1;
    this.end = e;
    if (!isUrlOnlyTail(c)) this.coreEnd = e;
    return false;
  }

  /**
   * Fast path for a run of ASCII letters and digits with spans [s0 + i, s0 + i + 1): the
   * same state changes as feed() per byte, in O(1) while the run stays contiguous.
   */
  asciiAlnum(ptr: usize, n: i32, s0: u32): void {
    if (n == 0) return;
    let len = this.len;
    if (len == 0) { this.start = s0; this.identity = true; }
    if (this.identity && this.start + <u32>len == s0 && len + n < MAX_RUN && s0 + <u32>n - this.start <= this.maxHold) {
      this.len = len + n;
      this.end = s0 + <u32>n;
      this.coreEnd = this.end;
      return;
    }
    for (let i = 0; i < n; i++) { const s = s0 + <u32>i; this.feed(load<u8>(ptr + <usize>i), s, s + 1); }
  }

  finish(): bool { return this.end_(); }

  private end_(): bool {
    const n = this.len;
    this.len = 0;
    const start = this.start;
    this.start = NONE;
    if (n < this.minLen) return false;
    const p = this.identity ? this.out.at(start) : changetype<usize>(this.run);
    // base64 and hex are judged without the trailing . and ~ ("…bnM=." ends a sentence)
    let m = n;
    while (m > 0 && isUrlOnlyTail(<u32>load<u8>(p + <usize>(m - 1)))) m--;
    let allHex = true, b64ok = true, pad = 0, pct = 0;
    for (let i = 0; i < n; i++) {
      const c = <u32>load<u8>(p + <usize>i);
      if (c == 0x25) pct++;
      if (i >= m) continue;
      if (hexValue(c) < 0) allHex = false;
      if (c == 0x3d) pad++;
      else if (b64Value(c) < 0 || pad > 0) b64ok = false;
    }
    let ok = false;
    let end = this.end;
    if ((this.flags & DECODE_URL) != 0 && pct >= 2) ok = this.url(p, n);
    else if (m < this.minLen) ok = false;
    else if ((this.flags & DECODE_HEX) != 0 && allHex && (m & 1) == 0 && m >= this.minLen * 2) { ok = this.hex(p, m); end = this.coreEnd; }
    else if ((this.flags & DECODE_BASE64) != 0 && b64ok && pad <= 2) { ok = this.base64(p, m - pad); end = this.coreEnd; }
    if (!ok || !this.looksLikeText()) return false;
    this.readyStart = start;
    this.readyEnd = end;
    return true;
  }

  private base64(p: usize, n: i32): bool {
    let acc: u32 = 0, bits = 0, o = 0;
    for (let i = 0; i < n; i++) {
      const v = b64Value(<u32>load<u8>(p + <usize>i));
      if (v < 0) return false;
      acc = (acc << 6) | <u32>v;
      bits += 6;
      if (bits >= 8) { bits -= 8; unchecked((this.decoded[o++] = <u8>(acc >> bits))); }
    }
    this.decodedLen = o;
    return o > 0;
  }

  private hex(p: usize, n: i32): bool {
    let o = 0;
    for (let i = 0; i < n; i += 2) {
      unchecked((this.decoded[o++] = <u8>((hexValue(<u32>load<u8>(p + <usize>i)) << 4) | hexValue(<u32>load<u8>(p + <usize>i + 1)))));
    }
    this.decodedLen = o;
    return true;
  }

  private url(p: usize, n: i32): bool {
    let o = 0;
    for (let i = 0; i < n; i++) {
      const c = <u32>load<u8>(p + <usize>i);
      if (c == 0x25 && i + 2 < n && hexValue(<u32>load<u8>(p + <usize>i + 1)) >= 0 && hexValue(<u32>load<u8>(p + <usize>i + 2)) >= 0) {
        unchecked((this.decoded[o++] = <u8>((hexValue(<u32>load<u8>(p + <usize>i + 1)) << 4) | hexValue(<u32>load<u8>(p + <usize>i + 2)))));
        i += 2;
      } else unchecked((this.decoded[o++] = c == 0x2b ? 0x20 : <u8>c));
    }
    this.decodedLen = o;
    return true;
  }

  /** Text, not binary: valid UTF-8, no NUL, ≥ 90 % printable (random bytes almost never are). */
  private looksLikeText(): bool {
    const n = this.decodedLen;
    if (n < 4) return false;
    let printable = 0;
    for (let i = 0; i < n; i++) {
      const c = <u32>unchecked(this.decoded[i]);
      if (c == 0) return false;
      if (c >= 0x80) {
        const len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
        if (len == 0 || i + len > n) return false;
        for (let k = 1; k < len; k++) if ((unchecked(this.decoded[i + k]) & 0xc0) != 0x80) return false;
        i += len - 1;
        printable += len;
      } else if ((c >= 0x20 && c < 0x7f) || c == 0x0a || c == 0x0d || c == 0x09) printable++;
    }
    return printable * 10 >= n * 9;
  }
}
