// Streaming e-mail address machine: RFC 5322 dot-atom local part, '@', then DNS labels
// (letters, digits, inner hyphens) separated by dots, ending in a TLD of >= 2 letters or
// an IDNA "xn--" label. The domain "may continue" until a byte that cannot extend it;
// the address then ends at the last byte where it was complete, so "a@b.com." drops the
// final dot. No buffer: the machine keeps counters and the start/end offsets only.
import { NONE } from "../../constants";
import { ByteClass, isAlnumClass } from "./chars";
import { PiiCode } from "./codes";
import { PiiOut } from "./out";

/** RFC 5321 §4.5.3.1: local part <= 64 octets, domain <= 255 (253 without the root). */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;
/** Base score: the shape alone is near-certain. */
const SCORE: f32 = 0.95;

const enum Mode {
  IDLE = 0,
  LOCAL = 1,
  DOMAIN = 2,
}

/** Characters allowed in a local part besides '.', in ByteClass terms. */
// @ts-ignore: decorator
@inline function isAtext(c: ByteClass): bool {
  return (
    isAlnumClass(c) || c == ByteClass.UNDERSCORE || c == ByteClass.ATEXT ||
    c == ByteClass.DASH || c == ByteClass.SLASH || c == ByteClass.PLUS
  );
}

export class EmailMachine {
  private mode: Mode = Mode.IDLE;
  /** Inside a word whose local part was abandoned (too long): no restart until it ends. */
  private blocked: bool = false;
  private start: u32 = NONE;
  private localLen: i32 = 0;
  private prevDot: bool = false;
  private domainLen: i32 = 0;
  private dots: i32 = 0;
  private labelLen: i32 = 0;
  private labelLetters: bool = true;
  private labelHyphenEnd: bool = false;
  /** Progress through an "xn--" label prefix (4 = the label is IDNA punycode). */
  private xn: i32 = 0;
  /** Original end offset of the longest complete address so far (NONE if none). */
  private lastGood: u32 = NONE;

  reset(): void {
    this.mode = Mode.IDLE;
    this.blocked = false;
    this.start = NONE;
    this.lastGood = NONE;
  }

  /** In the start state (the front end in pii_matcher.ts relies on it). */
  // @ts-ignore: decorator
  @inline idle(): bool {
    return this.mode == Mode.IDLE && !this.blocked;
  }

  pending(): u32 {
    return this.mode == Mode.IDLE ? NONE : this.start;
  }

  feed(b: u8, c: ByteClass, s: u32, e: u32, out: PiiOut): void {
    if (this.mode != Mode.IDLE && e - this.start > out.maxHold) {
      out.overflow(this.start);
      this.mode = Mode.IDLE;
      this.blocked = true;
    }
    if (this.mode == Mode.DOMAIN) {
      if (this.domainByte(b, c, e)) return;
      this.terminate(out); // then the byte may start a new local part
    } else if (this.mode == Mode.LOCAL) {
      this.localByte(c);
      return;
    }
    this.idleByte(c, s);
  }

  finish(out: PiiOut): void {
    if (this.mode == Mode.DOMAIN) this.terminate(out);
    this.reset();
  }

  private idleByte(c: ByteClass, s: u32): void {
    if (this.blocked) {
      if (isAtext(c) || c == ByteClass.DOT) return;
      this.blocked = false;
      return;
    }
    // A local part starts at a letter, digit or '_': "(john@x.com)" starts at 'j'.
    if (isAlnumClass(c) || c == ByteClass.UNDERSCORE) {
      this.mode = Mode.LOCAL;
      this.start = s;
      this.localLen = 1;
      this.prevDot = false;
    }
  }

  private localByte(c: ByteClass): void {
    if (isAtext(c)) {
      if (++this.localLen > MAX_LOCAL) {
        this.mode = Mode.IDLE;
        this.blocked = true; // a 65-char "local part" is a word, not an address
      }
      this.prevDot = false;
    } else if (c == ByteClass.DOT) {
      // "a..b" is not a dot-atom: the next atom may start a fresh local part
      if (this.prevDot) this.mode = Mode.IDLE;
      else {
        this.prevDot = true;
        this.localLen++;
      }
    } else if (c == ByteClass.AT && !this.prevDot) {
      this.mode = Mode.DOMAIN;
      this.domainLen = 0;
      this.dots = 0;
      this.labelLen = 0;
      this.lastGood = NONE;
    } else {
      this.mode = Mode.IDLE;
    }
  }

  /** Consumes one domain byte; false when the byte cannot extend the domain. */
  private domainByte(b: u8, c: ByteClass, e: u32): bool {
    if (++this.domainLen > MAX_DOMAIN) return false;
    if (isAlnumClass(c)) {
      if (this.labelLen == 0) {
        this.labelLetters = true;
        this.xn = 0;
      }
      if (++this.labelLen > MAX_LABEL) return false;
      if (c == ByteClass.DIGIT) this.labelLetters = false;
      this.labelHyphenEnd = false;
      this.trackXn(b);
      if (this.dots > 0 && ((this.labelLetters && this.labelLen >= 2) || (this.xn == 4 && this.labelLen > 4))) {
        this.lastGood = e;
      }
      return true;
    }
    if (c == ByteClass.DASH) {
      if (this.labelLen == 0) return false;
      this.labelLen++;
      this.labelLetters = false;
      this.labelHyphenEnd = true;
      this.trackXn(b);
      return true;
    }
    if (c == ByteClass.DOT) {
      if (this.labelLen == 0 || this.labelHyphenEnd) return false;
      this.dots++;
      this.labelLen = 0;
      return true;
    }
    return false;
  }

  // @ts-ignore: decorator
  @inline private trackXn(b: u8): void {
    const i = this.labelLen - 1;
    const want: u8 = i == 0 ? 0x78 : i == 1 ? 0x6e : 0x2d; // "xn--"
    if (i < 4 && this.xn == i && (i < 2 ? b | 0x20 : b) == want) this.xn = i + 1;
  }

  private terminate(out: PiiOut): void {
    if (this.lastGood != NONE) out.emit(PiiCode.EMAIL, this.start, this.lastGood, SCORE);
    this.mode = Mode.IDLE;
    this.lastGood = NONE;
  }
}
