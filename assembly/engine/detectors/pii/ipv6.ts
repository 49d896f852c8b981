// Streaming IPv6 machine. It collects a token of hex digits, ':' and '.' that does not
// start inside a word, and validates it when a byte that cannot extend it arrives
// (RFC 4291 §2.2 text forms, "::" and an embedded dotted quad, via ipv6Valid).
// Times ("12:30:45") and MAC addresses ("00:1a:2b:3c:4d:5e") have the same alphabet:
// a token needs two colons and a digit, and one made only of 2-digit groups without
// "::" is read as a MAC (EUI-48/64), not an address.
import { NONE } from "../../constants";
import { ipv6Valid } from "../../validators/ip";
import { ByteClass, isWordClass } from "./chars";
import { PiiCode } from "./codes";
import { PiiOut } from "./out";

/** Longest textual IPv6 address, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", and "/128". */
const MAX_TOKEN = 49;
/** RFC 4291 §2.3: a prefix length is 0-128. */
const MAX_PREFIX: u32 = 128;
const SCORE: f32 = 0.8;

const enum Char {
  COLON = 0x3a,
  DOT = 0x2e,
}

// @ts-ignore: decorator
@inline function isHexLetter(b: u8): bool {
  return (<u32>(b | 0x20)) - 0x61 < 6; // a-f, either case
}

export class Ipv6Machine {
  private buf: StaticArray<u8> = new StaticArray<u8>(MAX_TOKEN);
  private ends: StaticArray<u32> = new StaticArray<u32>(MAX_TOKEN);
  private len: i32 = 0;
  private live: bool = false;
  /** Token outgrew any address or was glued to a word: ignored until it ends. */
  private dead: bool = false;
  private start: u32 = NONE;
  /** The previous byte was a word character: no token may start here. */
  private prevWord: bool = false;
  /** The previous byte was a hex digit: a token byte now continues a glued word ("text2001:…"). */
  private prevHex: bool = false;
  /** Index of the '/' of a prefix length in the token, -1 if none. */
  private slashAt: i32 = -1;
  /** Colons in the live token so far (the number run asks: "::ffff:1.2.3.4" is not IPv4). */
  colons: i32 = 0;
  private hasDigit: bool = false;

  reset(): void {
    this.live = false;
    this.dead = false;
    this.len = 0;
    this.colons = 0;
    this.prevWord = false;
  }

  /** In the start state, after a byte that is not a word character (pii_matcher.ts relies on it). */
  // @ts-ignore: decorator
  @inline idle(): bool {
    return !this.live && !this.dead && !this.prevWord;
  }

  pending(): u32 {
    return this.live ? this.start : NONE;
  }

  /** True while a live token has seen two colons: digits now are inside an IPv6 text. */
  // @ts-ignore: decorator
  @inline inAddress(): bool {
    return this.live && this.colons >= 2;
  }

  feed(b: u8, c: ByteClass, s: u32, e: u32, out: PiiOut): void {
    const hex = c == ByteClass.DIGIT || ((c == ByteClass.UPPER || c == ByteClass.LOWER) && isHexLetter(b));
    const tokenByte = hex || c == ByteClass.COLON || c == ByteClass.DOT;
    if (this.live) {
      if (e - this.start > out.maxHold) {
        out.overflow(this.start);
        this.live = false;
        this.dead = true;
      } else if (this.slashAt >= 0 && c != ByteClass.DIGIT) {
        this.finalize(out); // after "/": digits only ("2001:db8::/32")
        this.dead = tokenByte || isWordClass(c);
      } else if (tokenByte) {
        this.append(b, c, e);
      } else if (c == ByteClass.SLASH) {
        this.append(b, c, e);
        this.slashAt = this.len - 1;
      } else if (isWordClass(c)) {
        this.live = false; // "12:30:45abc": glued to a word
        this.dead = true;
      } else {
        this.finalize(out);
      }
    } else if (this.dead) {
      if (!tokenByte && !isWordClass(c)) this.dead = false;
    } else if (tokenByte && c != ByteClass.DOT) {
      if (!this.prevWord) {
        this.live = true;
        this.start = s;
        this.len = 0;
        this.colons = 0;
        this.hasDigit = false;
        this.slashAt = -1;
        this.append(b, c, e);
      } else if (this.prevHex) {
        this.dead = true; // "text2001:db8::1" is one glued word; "IP:2001:db8::1" is not
      }
    }
    this.prevWord = isWordClass(c);
    this.prevHex = hex;
  }

  finish(out: PiiOut): void {
    if (this.live) this.finalize(out);
    this.reset();
  }

  // @ts-ignore: decorator
  @inline private append(b: u8, c: ByteClass, e: u32): void {
    if (this.len == MAX_TOKEN) {
      this.live = false;
      this.dead = true;
      return;
    }
    unchecked((this.buf[this.len] = b));
    unchecked((this.ends[this.len] = e));
    this.len++;
    if (c == ByteClass.COLON) this.colons++;
    else if (c == ByteClass.DIGIT && this.slashAt < 0) this.hasDigit = true;
  }

  private finalize(out: PiiOut): void {
    this.live = false;
    let n = this.len;
    let end = n; // bytes the finding covers (the prefix length included)
    const p = changetype<usize>(this.buf);
    const slash = this.slashAt;
    let prefix = false;
    if (slash >= 0) {
      const digits = n - 1 - slash;
      prefix = digits >= 1 && digits <= 3 && decimal(p + <usize>(slash + 1), digits) <= MAX_PREFIX;
      n = slash;
      end = prefix ? this.len : slash;
    } else {
      // Sentence punctuation after an address: "… at 2001:db8::1." or "fe80::1: …".
      while (n > 0 && load<u8>(p + <usize>(n - 1)) == Char.DOT) n--;
      if (n > 1 && load<u8>(p + <usize>(n - 1)) == Char.COLON && load<u8>(p + <usize>(n - 2)) != Char.COLON) n--;
      end = n;
    }
    if (n < 2 || this.colons < 2 || !(this.hasDigit || prefix) || macLike(p, n)) return;
    if (ipv6Valid(p, n)) out.emit(PiiCode.IP_ADDRESS, this.start, unchecked(this.ends[end - 1]), SCORE);
  }
}

/** The n decimal digits at p as a number. */
function decimal(p: usize, n: i32): u32 {
  let v: u32 = 0;
  for (let i = 0; i < n; i++) v = v * 10 + (<u32>load<u8>(p + <usize>i) - 0x30);
  return v;
}

/** True for colon-separated 2-character groups without "::" (MAC / EUI-64 notation). */
function macLike(p: usize, n: i32): bool {
  let run = 0;
  for (let i = 0; i < n; i++) {
    const b = load<u8>(p + <usize>i);
    if (b == Char.COLON) {
      if (run != 2) return false;
      run = 0;
    } else if (b == Char.DOT) {
      return false;
    } else {
      run++;
    }
  }
  return run == 2;
}
