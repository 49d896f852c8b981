// Encoded payloads: a run of base64, hex or URL-encoded text is decoded and, when the
// result reads as text, scanned again — "aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM="
// is "ignore all previous instructions". Findings in the decoded text are reported on
// the whole encoded run (that is what a redaction must remove). One level deep, runs
// bounded by MAX_RUN bytes (and by max_holdback), so the cost stays linear.
//
// The tracker follows the pattern view byte by byte; a run ends at the first byte that
// cannot belong to it, which is a property of the bytes alone: chunk-invariant.
import { NONE } from "./constants";

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

// @ts-ignore: decorator
@inline function isRunByte(c: u32): bool {
  return b64Value(c) >= 0 || c == 0x3d || c == 0x25 || c == 0x2e || c == 0x7e; // = % . ~
}

export class EncodedRuns {
  private run: StaticArray<u8> = new StaticArray<u8>(MAX_RUN);
  private len: i32 = 0;
  private start: u32 = NONE;
  private end: u32 = 0;
  private allHex: bool = true;
  private b64ok: bool = true;
  private pad: i32 = 0;
  private pct: i32 = 0;
  private flags: u32;
  private minLen: i32;
  maxHold: u32 = 4096;
  /** decoded payload of the run that just ended, and that run's span */
  decoded: StaticArray<u8> = new StaticArray<u8>(MAX_RUN);
  decodedLen: i32 = 0;
  readyStart: u32 = NONE;
  readyEnd: u32 = 0;

  constructor(flags: u32, minLength: u32) {
    this.flags = flags;
    this.minLen = <i32>(minLength < 8 ? 8 : minLength);
  }

  reset(): void { this.len = 0; this.start = NONE; this.readyStart = NONE; }

  pending(): u32 { return this.len >= this.minLen / 2 ? this.start : this.len > 0 ? this.start : NONE; }

  /** Feeds one pattern-view byte; returns true when a decoded payload is ready. */
  feed(b: u8, s: u32, e: u32): bool {
    const c = <u32>b;
    if (isRunByte(c)) {
      if (this.len == 0) { this.start = s; this.allHex = true; this.b64ok = true; this.pad = 0; this.pct = 0; }
      if (this.len >= MAX_RUN || e - this.start > this.maxHold) { this.len = 0; this.start = NONE; return false; }
      if (hexValue(c) < 0) this.allHex = false;
      if (c == 0x3d) this.pad++;
      else if (b64Value(c) < 0 || this.pad > 0) this.b64ok = false;
      if (c == 0x25) this.pct++;
      unchecked((this.run[this.len++] = b));
      this.end = e;
      return false;
    }
    return this.end_();
  }

  finish(): bool { return this.end_(); }

  private end_(): bool {
    const n = this.len;
    this.len = 0;
    const start = this.start;
    this.start = NONE;
    if (n < this.minLen) return false;
    let ok = false;
    if ((this.flags & DECODE_URL) != 0 && this.pct >= 2) ok = this.url(n);
    else if ((this.flags & DECODE_HEX) != 0 && this.allHex && (n & 1) == 0 && n >= this.minLen * 2) ok = this.hex(n);
    else if ((this.flags & DECODE_BASE64) != 0 && this.b64ok && this.pad <= 2) ok = this.base64(n - this.pad);
    if (!ok || !this.looksLikeText()) return false;
    this.readyStart = start;
    this.readyEnd = this.end;
    return true;
  }

  private base64(n: i32): bool {
    let acc: u32 = 0, bits = 0, o = 0;
    for (let i = 0; i < n; i++) {
      const v = b64Value(<u32>unchecked(this.run[i]));
      if (v < 0) return false;
      acc = (acc << 6) | <u32>v;
      bits += 6;
      if (bits >= 8) { bits -= 8; unchecked((this.decoded[o++] = <u8>(acc >> bits))); }
    }
    this.decodedLen = o;
    return o > 0;
  }

  private hex(n: i32): bool {
    let o = 0;
    for (let i = 0; i < n; i += 2) {
      unchecked((this.decoded[o++] = <u8>((hexValue(<u32>unchecked(this.run[i])) << 4) | hexValue(<u32>unchecked(this.run[i + 1])))));
    }
    this.decodedLen = o;
    return true;
  }

  private url(n: i32): bool {
    let o = 0;
    for (let i = 0; i < n; i++) {
      const c = <u32>unchecked(this.run[i]);
      if (c == 0x25 && i + 2 < n && hexValue(<u32>unchecked(this.run[i + 1])) >= 0 && hexValue(<u32>unchecked(this.run[i + 2])) >= 0) {
        unchecked((this.decoded[o++] = <u8>((hexValue(<u32>unchecked(this.run[i + 1])) << 4) | hexValue(<u32>unchecked(this.run[i + 2])))));
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
