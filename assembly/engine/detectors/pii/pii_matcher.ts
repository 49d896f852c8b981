// The PII matcher the engine drives: one byte of the pattern view at a time, each with
// the original span of the code point it came from. Three machines run side by side —
// e-mail addresses, IPv6 texts, and the number run (every entity written with digits) —
// and pending() is the earliest original offset any of them may still start a finding
// at, so the engine can release everything before it.
//
// Most bytes of chat text are letters of ordinary words and the spaces between them, and
// for those the three machines do nothing observable: a word of letters is at most the
// start of an e-mail local part, a NINO prefix ("AB 12 …") or an all-letter codice
// fiscale, and it is none of them once a space or a comma ends it. A front end therefore
// keeps the machines idle and only DEFERS such bytes (their byte and span in a small
// buffer): while every machine is idle, bytes that cannot start anything pass with one
// table lookup; a word of letters is only recorded; when it ends at a space or a
// punctuation mark it is dropped (nothing could have come of it), and a 1-2 letter word
// and its space stay deferred until the next word shows whether a number follows. Any
// other byte REPLAYS the deferred bytes through the machines (exactly the calls they
// would have had) before it is fed itself, so every decision is the machines' own and
// is made at the same byte as without the front end. pending() reports the first
// deferred byte, which is what the machines would report for it.
//
// @example
//   const m = new PiiMatcher(typeMap);          // typeMap[PiiCode.EMAIL] = policy type id …
//   for (…each byte b with span [s, e)…) { m.feed(b, s, e, sink); release(min(m.pending(), …)); }
//   m.finish(sink);
import { NONE } from "../../constants";
import { FindingSink } from "../../sink";
import { byteClass } from "./chars";
import { PII_CODE_COUNT, PII_DISABLED, PiiCode } from "./codes";
import { EmailMachine } from "./email";
import { Ipv6Machine } from "./ipv6";
import { NumberRun } from "./run";
import { PiiOut } from "./out";

/** Front-end byte classes. */
const enum Fc {
  LETTER = 1, // A-Z a-z
  SPACE = 2, // ' '
  END = 3, // ends a local part and a word for every machine: OTHER (',' ';' '"' '\n' …, bytes >= 0x80), ')'
  JOIN = 4, // idle bytes that a local part may contain: '-' '.' '/' and the RFC 5322 atext specials
  SLOW = 5, // digits, '_', ':', '(', '+', '@': always for the machines
}

// Fc of every byte (derived from chars.ts CLASS_TABLE: OTHER/CLOSE → END, DASH/DOT/SLASH/ATEXT
// → JOIN, DIGIT/UNDERSCORE/COLON/OPEN/PLUS/AT → SLOW); 32 per row.
const FE_CLASS = memory.data<u8>([
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  2, 4, 3, 4, 4, 4, 4, 4, 5, 3, 4, 5, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 3, 3, 4, 3, 4,
  5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 4, 5,
  4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 3,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
]);

/** Front-end states. In every state but BUSY the machines are idle (see PiiMatcher.idle). */
const enum Fe {
  IDLE = 0, // nothing deferred
  BUSY = 1, // a machine tracks something: every byte goes to the machines
  WORD = 2, // deferred: a word of letters
  PREFIX = 3, // deferred: a word of 1-2 letters and one space ("AB ")
  PREFIX_W = 4, // deferred: PREFIX and one letter ("AB C")
  PREFIX2 = 5, // deferred: PREFIX_W and one space ("AB C ")
  PREFIX2_W = 6, // deferred: PREFIX2 and one letter ("AB C D")
  JOINED = 7, // deferred: a WORD and one byte that a local part may go on with ("end." "don'")
}

/** Most deferred letters: an e-mail local part (RFC 5321 §4.5.3.1). */
const MAX_WORD = 64;
/** Without e-mail, the longest letters-only group the number run holds (a codice fiscale). */
const MAX_RUN_LETTERS = 16;

export class PiiMatcher {
  private out: PiiOut;
  private email: EmailMachine = new EmailMachine();
  private ipv6: Ipv6Machine = new Ipv6Machine();
  private run: NumberRun = new NumberRun();
  private emailOn: bool;
  private ipOn: bool;
  private runOn: bool;
  // front end
  private fe: Fe = Fe.IDLE;
  /** Deferred bytes: byte, original start and end (dSpan[2i], dSpan[2i + 1]). */
  private dBytes: StaticArray<u8> = new StaticArray<u8>(MAX_WORD + 8);
  private dSpan: StaticArray<u32> = new StaticArray<u32>(2 * (MAX_WORD + 8));
  private dn: i32 = 0;
  /** Last original end a deferred byte may have: beyond it a machine would abandon its candidate. */
  private limitE: u32 = 0;
  /** Most letters a WORD defers (0: the front end is off). */
  private wordCap: i32 = 0;
  /** Every byte goes to the machines (the reference the front end is tested against). */
  private direct: bool = false;

  /** typeMap: builtin PII code -> policy type id; 0xFFFF = entity disabled. */
  constructor(typeMap: StaticArray<u16>) {
    this.out = new PiiOut(typeMap);
    let mask: u32 = 0;
    for (let code = 0; code < PII_CODE_COUNT && code < typeMap.length; code++) {
      if (unchecked(typeMap[code]) != PII_DISABLED) mask |= 1 << code;
    }
    this.emailOn = (mask & (1 << PiiCode.EMAIL)) != 0;
    this.ipOn = (mask & (1 << PiiCode.IP_ADDRESS)) != 0;
    this.runOn = (mask & ~(<u32>1 << PiiCode.EMAIL)) != 0;
    this.run.setEnabled(mask);
    // pending() of a deferred word must be what the machines would say: the e-mail local
    // part holds it up to 64 letters, the number run up to 16
    this.wordCap = this.emailOn ? MAX_WORD : this.runOn ? MAX_RUN_LETTERS : 0;
  }

  /** Longest original span (e - start) a candidate may reach; set by the engine from the policy. */
  get maxHold(): u32 {
    return this.out.maxHold;
  }
  set maxHold(v: u32) {
    this.out.maxHold = v;
  }

  /** Forgets every candidate: a new text or stream begins. */
  reset(): void {
    this.email.reset();
    this.ipv6.reset();
    this.run.reset();
    this.fe = this.direct ? Fe.BUSY : Fe.IDLE;
    this.dn = 0;
  }

  /** Tests only: feed every byte to the machines, without the front end. */
  bypassFrontEnd(): void {
    this.direct = true;
    this.wordCap = 0;
    this.reset();
  }

  /** One byte of the pattern view, from original span [s, e). */
  feed(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const k = <Fc>load<u8>(FE_CLASS + <usize>b);
    const st = this.fe;
    if (st == Fe.IDLE) {
      if (<u32>(k - Fc.SPACE) <= <u32>(Fc.JOIN - Fc.SPACE)) return; // cannot start anything
      if (k == Fc.LETTER && this.wordCap != 0) {
        this.dn = 0;
        this.defer(b, s, e);
        this.limitE = s + this.out.maxHold;
        this.fe = Fe.WORD;
        return;
      }
    } else if (st == Fe.WORD) {
      if (e <= this.limitE) {
        const n = this.dn;
        if (k == Fc.LETTER) {
          if (n < this.wordCap) {
            this.defer(b, s, e);
            return;
          }
        } else if (k == Fc.SPACE || k == Fc.END) {
          // the word ends: a local part without '@', a group of letters no entity is
          if (!this.runOn || (n > 2 && n != MAX_RUN_LETTERS)) {
            this.fe = Fe.IDLE;
            return;
          }
          if (n <= 2) {
            if (k == Fc.SPACE) {
              this.defer(b, s, e); // "AB " may lead a NINO: wait for the next word
              this.fe = Fe.PREFIX;
            } else {
              this.fe = Fe.IDLE;
            }
            return;
          }
          // 16 letters: an omocodia codice fiscale, for the machines
        } else if (k == Fc.JOIN) {
          // "end." "well-" "don'": only the local part goes on; it ends at a space or a
          // punctuation mark next without an '@' (its pending() is still the word's start)
          if (this.emailOn && n < MAX_WORD && (!this.runOn || n != MAX_RUN_LETTERS)) {
            this.defer(b, s, e);
            this.fe = Fe.JOINED;
            return;
          }
        }
      }
    } else if (st == Fe.JOINED) {
      if ((k == Fc.SPACE || k == Fc.END) && e <= this.limitE) {
        this.fe = Fe.IDLE;
        return;
      }
    } else if (st != Fe.BUSY) {
      if (e <= this.limitE) {
        if (st == Fe.PREFIX || st == Fe.PREFIX2) {
          if (k == Fc.LETTER) {
            this.defer(b, s, e);
            this.fe = st + 1;
            return;
          }
          if (<u32>(k - Fc.SPACE) <= <u32>(Fc.JOIN - Fc.SPACE)) {
            this.fe = Fe.IDLE; // the run ends at this gap: letters alone are no entity
            return;
          }
        } else if (k == Fc.LETTER) {
          // a second letter: the word is no single-letter group, the letters before it
          // end without a finding, and the word starts afresh (group 0 of a new run)
          const i = this.dn - 1;
          const span = changetype<usize>(this.dSpan);
          const ws = load<u32>(span + (<usize>i << 3));
          store<u8>(changetype<usize>(this.dBytes), load<u8>(changetype<usize>(this.dBytes) + <usize>i));
          store<u32>(span, ws);
          store<u32>(span, load<u32>(span + (<usize>i << 3), 4), 4);
          this.dn = 1;
          this.defer(b, s, e);
          this.limitE = ws + this.out.maxHold;
          this.fe = Fe.WORD;
          return;
        } else if (k == Fc.SPACE) {
          if (st == Fe.PREFIX_W) {
            this.defer(b, s, e);
            this.fe = Fe.PREFIX2;
            return;
          }
        } else if (k == Fc.END) {
          this.fe = Fe.IDLE;
          return;
        }
      }
    }
    this.slow(b, s, e, sink);
  }

  /**
   * The front end's commonest work in bulk: the letters at the head of a run of ASCII
   * letters and digits at p (spans [s0 + i, s0 + i + 1)) that feed() would only defer as
   * part of a word. Takes them — with exactly feed()'s effect on each — and returns how
   * many it took; the caller feeds the rest byte by byte. Nothing is emitted here.
   */
  takeLetters(p: usize, n: i32, s0: u32): i32 {
    let i = 0;
    if (this.fe == Fe.IDLE) {
      if (this.wordCap == 0 || n == 0 || (<u32>load<u8>(p) | 0x20) - 0x61 >= 26) return 0;
      this.dn = 0;
      this.defer(load<u8>(p), s0, s0 + 1);
      this.limitE = s0 + this.out.maxHold;
      this.fe = Fe.WORD;
      i = 1;
    } else if (this.fe != Fe.WORD) {
      return 0;
    }
    const cap = this.wordCap, limitE = this.limitE;
    const bytes = changetype<usize>(this.dBytes), span = changetype<usize>(this.dSpan);
    let dn = this.dn;
    for (; i < n; i++) {
      const b = load<u8>(p + <usize>i);
      const s = s0 + <u32>i;
      if ((<u32>b | 0x20) - 0x61 >= 26 || s + 1 > limitE || dn >= cap) break;
      store<u8>(bytes + <usize>dn, b);
      const q = span + (<usize>dn << 3);
      store<u32>(q, s);
      store<u32>(q, s + 1, 4);
      dn++;
    }
    this.dn = dn;
    return i;
  }

  /** End of text: every candidate still open is final now. */
  finish(sink: FindingSink): void {
    const out = this.out;
    out.sink = sink;
    if (this.fe >= Fe.WORD) this.replay(out);
    this.email.finish(out);
    this.ipv6.finish(out);
    this.run.finish(out);
    this.fe = this.direct ? Fe.BUSY : Fe.IDLE;
    out.sink = null;
  }

  /** Earliest original offset at which a finding may still be emitted; NONE when none. */
  pending(): u32 {
    if (this.fe >= Fe.WORD) return load<u32>(changetype<usize>(this.dSpan));
    if (this.fe == Fe.IDLE) return NONE;
    const a = this.email.pending();
    const b = this.ipv6.pending();
    const c = this.run.pending();
    return min(a, min(b, c));
  }

  // @ts-ignore: decorator
  @inline private defer(b: u8, s: u32, e: u32): void {
    const n = this.dn;
    store<u8>(changetype<usize>(this.dBytes) + <usize>n, b);
    const p = changetype<usize>(this.dSpan) + (<usize>n << 3);
    store<u32>(p, s);
    store<u32>(p, e, 4);
    this.dn = n + 1;
  }

  /** Feeds the machines the deferred bytes, then this one. */
  private slow(b: u8, s: u32, e: u32, sink: FindingSink): void {
    const out = this.out;
    out.sink = sink;
    if (this.fe >= Fe.WORD) this.replay(out);
    this.machines(b, s, e, out);
    this.fe = this.idle() && !this.direct ? Fe.IDLE : Fe.BUSY;
  }

  private replay(out: PiiOut): void {
    const n = this.dn;
    const bytes = changetype<usize>(this.dBytes);
    const span = changetype<usize>(this.dSpan);
    for (let i = 0; i < n; i++) {
      const p = span + (<usize>i << 3);
      this.machines(load<u8>(bytes + <usize>i), load<u32>(p), load<u32>(p, 4), out);
    }
    this.dn = 0;
    this.fe = Fe.BUSY;
  }

  // @ts-ignore: decorator
  @inline private machines(b: u8, s: u32, e: u32, out: PiiOut): void {
    const c = byteClass(b);
    if (this.emailOn) this.email.feed(b, c, s, e, out);
    if (this.ipOn) this.ipv6.feed(b, c, s, e, out);
    if (this.runOn) this.run.feed(b, c, s, e, out, this.ipOn && this.ipv6.inAddress());
  }

  /** Every machine is in its start state: a byte the front end calls inert leaves it there. */
  // @ts-ignore: decorator
  @inline private idle(): bool {
    return this.email.idle() && this.ipv6.idle() && this.run.idle();
  }
}
