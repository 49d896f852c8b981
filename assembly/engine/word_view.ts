// The word view: the text as a reader sees its words, for lexicons and the injection
// heuristics. Input is code points already folded by foldWord (lower case, homoglyphs,
// diacritics). This stage adds what needs a whole word:
//   - leetspeak inside words that contain letters ("h4ck3r" -> "hacker", "sh!t" -> "shit"),
//     never in plain numbers ("4111" stays digits);
//   - spaced-out letters joined: three or more single ASCII letters separated by one
//     space, '.', '-', '_' or '*' ("i g n o r e", "f.u.c.k") become one word;
//   - runs of white space collapse to one ' '; other punctuation passes as itself;
//   - ideographic scripts without spaces (CJK, kana, Thai) are one word per character,
//     so lexicon entries in those scripts match as phrases of characters.
// It emits (1) view bytes, each with its original span, to the word-view regex set and
// (2) whole words (hash + span + whether a phrase may continue) to the lexicon.
// Everything it has not emitted yet is "pending": it begins at pending().
import { NONE } from "./constants";
import { FindingSink } from "./sink";
import { Lexicon } from "./lexicon";
import { RegexSet } from "./regex/regex_set";
import { fnvStart, fnvByte } from "./hash";
import { encodeUtf8 } from "./utf8";
import { foldWord, FOLD_DELETE } from "./normalize/fold";
import { ClassifierWindow } from "./classifier/window";

const MAX_WORD: i32 = 64;   // longer "words" (base64 blobs, URLs) are passed on unmatched
const MAX_SPACED: i32 = 48; // spaced-out letters joined at most

const enum Cls { SPACE = 0, LETTER = 1, DIGIT = 2, LEET = 3, JOIN = 4, PUNCT = 5, IDEO = 6 }

/** Word class of an ASCII byte (after lower-casing). Source: the rules in the header. */
// @ts-ignore: decorator
@inline function asciiClass(c: u32): Cls {
  if (c >= 0x61 && c <= 0x7a) return Cls.LETTER;
  if (c >= 0x30 && c <= 0x39) return Cls.DIGIT;
  if (c == 0x20 || (c >= 0x09 && c <= 0x0d)) return Cls.SPACE;
  if (c == 0x40 || c == 0x24 || c == 0x21 || c == 0x7c) return Cls.LEET; // @ $ ! |
  if (c == 0x2e || c == 0x2d || c == 0x5f || c == 0x2a) return Cls.JOIN;  // . - _ *
  return Cls.PUNCT;
}

function classOf(cp: u32): Cls {
  if (cp < 0x80) return asciiClass(cp);
  if (cp >= 0x2000 && cp <= 0x206f) return Cls.PUNCT;   // general punctuation
  if (cp >= 0x3000 && cp <= 0x303f) return Cls.PUNCT;   // CJK symbols and punctuation
  if (cp >= 0xff00 && cp <= 0xff0f) return Cls.PUNCT;
  if (cp == 0x00a0 || cp == 0x1680 || cp == 0x3000) return Cls.SPACE;
  if ((cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x0e00 && cp <= 0x0e7f) ||
      (cp >= 0x20000 && cp <= 0x2ffff)) return Cls.IDEO;
  if (cp >= 0xa1 && cp <= 0xbf) return Cls.PUNCT;       // Latin-1 punctuation and symbols
  if (cp == 0xd7 || cp == 0xf7) return Cls.PUNCT;
  return Cls.LETTER;
}

/** Leetspeak digit/symbol -> letter, applied only inside words that have letters. */
// @ts-ignore: decorator
@inline function leet(c: u32): u32 {
  switch (c) {
    case 0x30: return 0x6f; // 0 o
    case 0x31: return 0x69; // 1 i
    case 0x33: return 0x65; // 3 e
    case 0x34: return 0x61; // 4 a
    case 0x35: return 0x73; // 5 s
    case 0x37: return 0x74; // 7 t
    case 0x38: return 0x62; // 8 b
    case 0x40: return 0x61; // @ a
    case 0x24: return 0x73; // $ s
    case 0x21: return 0x69; // ! i
    case 0x7c: return 0x6c; // | l
  }
  return c;
}

export class WordView {
  // current word: view bytes + original span of each byte
  private wb: StaticArray<u8> = new StaticArray<u8>(MAX_WORD + 4);
  private ws: StaticArray<u32> = new StaticArray<u32>(MAX_WORD + 4);
  private we: StaticArray<u32> = new StaticArray<u32>(MAX_WORD + 4);
  private wlen: i32 = 0;
  private wLetters: i32 = 0;
  private wLeets: i32 = 0;
  private wOverflow: bool = false;
  private wStart: u32 = NONE;
  /** every byte of the word has span [wStart + i, wStart + i + 1): ws/we are not filled */
  private wIdentity: bool = false;
  /** FNV hash of wb[0..wlen) while the word is built by asciiAlnum alone (0: recompute) */
  private wHash: u64 = 0;
  // spaced-out letters: queued single letters and the separator after each
  private ql: StaticArray<u8> = new StaticArray<u8>(MAX_SPACED);
  private qs: StaticArray<u32> = new StaticArray<u32>(MAX_SPACED);
  private qe: StaticArray<u32> = new StaticArray<u32>(MAX_SPACED);
  private qsep: StaticArray<u8> = new StaticArray<u8>(MAX_SPACED);   // 0 = none yet
  private qseps: StaticArray<u32> = new StaticArray<u32>(MAX_SPACED);
  private qsepe: StaticArray<u32> = new StaticArray<u32>(MAX_SPACED);
  private qn: i32 = 0;
  /** a phrase may continue into the next word (only white space, '-' or '_' since the last word) */
  private joined: bool = false;
  private lastWasSpace: bool = true;
  private tmp: StaticArray<u8> = new StaticArray<u8>(8);

  lexicon: Lexicon;
  regex: RegexSet | null;
  sink: FindingSink;
  /** [classifier hook] learned classifiers see every looked-up word (classifier/window.ts) */
  classifier: ClassifierWindow | null = null;

  constructor(lexicon: Lexicon, regex: RegexSet | null, sink: FindingSink) {
    this.lexicon = lexicon;
    this.regex = regex;
    this.sink = sink;
  }

  reset(): void {
    this.wlen = 0; this.wLetters = 0; this.wLeets = 0; this.wOverflow = false; this.wStart = NONE; this.wIdentity = false;
    this.qn = 0; this.joined = false; this.lastWasSpace = true;
    this.lexicon.reset();
    const r = this.regex;
    if (r) r.reset();
  }

  pending(): u32 {
    if (this.qn > 0) return unchecked(this.qs[0]);
    return this.wStart;
  }

  /**
   * One input code point with its original span, folded for the word view: ASCII is
   * lower-cased here, the rest goes through foldWord (which may delete it or expand it
   * to up to three ASCII letters).
   */
  feedCodePoint(cp: u32, s: u32, e: u32): void {
    if (cp < 0x80) { this.feed(cp >= 0x41 && cp <= 0x5a ? cp | 0x20 : cp, s, e); return; }
    const f = foldWord(cp);
    if (f == FOLD_DELETE) return;
    if (f & 0x80000000) {
      const n = (f >> 24) & 3;
      for (let i: u32 = 0; i < n; i++) this.feed((f >> (i * 8)) & 0xff, s, e);
      return;
    }
    this.feed(f, s, e);
  }

  /**
   * Fast path for a run of ASCII letters and digits whose spans are [s0 + i, s0 + i + 1):
   * exactly what feed() would do for each byte, without a call and a class test per byte.
   */
  asciiAlnum(ptr: usize, n: i32, s0: u32): void {
    let wlen = this.wlen;
    let i = 0;
    let fast = true;
    if (wlen == 0) { this.wStart = s0; this.wIdentity = true; this.wHash = fnvStart(); }
    else if (!this.wIdentity || this.wStart + <u32>wlen != s0) fast = false; // not contiguous: slow path below
    if (fast) {
      let letters = this.wLetters;
      let leets = this.wLeets;
      let h = this.wHash;
      const wb = changetype<usize>(this.wb);
      for (; i < n; i++) {
        if (wlen + 4 > MAX_WORD) break; // the overflow path is rare: let addToWord handle it
        const c = <u32>load<u8>(ptr + <usize>i);
        let b = c;
        if (c >= 0x41) { letters++; b = c | 0x20; } else if (c != leet(c)) leets++;
        store<u8>(wb + <usize>wlen, <u8>b);
        h = fnvByte(h, <u8>b);
        wlen++;
      }
      this.wlen = wlen;
      this.wLetters = letters;
      this.wLeets = leets;
      this.wHash = h;
    }
    for (; i < n; i++) {
      const c = <u32>load<u8>(ptr + <usize>i);
      const s = s0 + <u32>i;
      this.addToWord(c >= 0x41 ? c | 0x20 : c, c >= 0x41 ? Cls.LETTER : Cls.DIGIT, s, s + 1);
    }
  }

  // @ts-ignore: decorator
  @inline private spanS(i: i32): u32 { return this.wIdentity ? this.wStart + <u32>i : unchecked(this.ws[i]); }
  // @ts-ignore: decorator
  @inline private spanE(i: i32): u32 { return this.wIdentity ? this.wStart + <u32>i + 1 : unchecked(this.we[i]); }

  /** Leaves identity mode: writes out the spans the fast path left implicit. */
  private materialize(): void {
    if (!this.wIdentity) return;
    for (let i = 0; i < this.wlen; i++) {
      unchecked((this.ws[i] = this.wStart + <u32>i));
      unchecked((this.we[i] = this.wStart + <u32>i + 1));
    }
    this.wIdentity = false;
  }

  /** One folded code point with its original span. */
  feed(cp: u32, s: u32, e: u32): void {
    const c = classOf(cp);
    if (c == Cls.LETTER || c == Cls.DIGIT || (c == Cls.LEET && this.wlen > 0)) {
      this.addToWord(cp, c, s, e);
      return;
    }
    if (this.wlen > 0) this.endWord();
    if (c == Cls.IDEO) {
      this.addToWord(cp, c, s, e);
      this.endWord();
      this.joined = true; // adjacent ideographs form phrases
      return;
    }
    this.separator(cp, c, s, e);
  }

  finish(): void {
    if (this.wlen > 0) this.endWord();
    this.flushQueue();
    this.lexicon.breakPhrases();
    const r = this.regex;
    if (r) r.finish(this.sink);
  }

  private addToWord(cp: u32, c: Cls, s: u32, e: u32): void {
    if (this.wlen == 0) { this.wStart = s; this.wIdentity = false; }
    else this.materialize();
    this.wHash = 0; // built outside the fast path: hash at the end
    if (c == Cls.LETTER) this.wLetters++;
    else if (c == Cls.LEET || (c == Cls.DIGIT && leet(cp) != cp)) this.wLeets++;
    if (this.wlen + 4 > MAX_WORD) {
      // too long to be a lexicon word: pass it on as it is, keep going
      this.wOverflow = true;
      this.emitWordBytes(false);
      this.wlen = 0;
      this.wStart = s;
      this.wIdentity = false;
      this.wHash = 0;
    }
    let n = 1;
    if (cp < 0x80) unchecked((this.wb[this.wlen] = <u8>cp));
    else {
      n = encodeUtf8(cp, changetype<usize>(this.tmp));
      for (let i = 0; i < n; i++) unchecked((this.wb[this.wlen + i] = this.tmp[i]));
    }
    for (let i = 0; i < n; i++) {
      unchecked((this.ws[this.wlen + i] = s));
      unchecked((this.we[this.wlen + i] = e));
    }
    this.wlen += n;
  }

  private endWord(): void {
    // trailing leet symbols are punctuation ("hello!"), not letters
    let trail = this.wlen;
    while (trail > 0 && asciiClass(<u32>unchecked(this.wb[trail - 1])) == Cls.LEET) trail--;
    const tail = this.wlen - trail;
    this.wlen = trail;
    if (this.wlen > 0) {
      if (tail > 0) this.wHash = 0;
      if (!this.wOverflow && this.wLetters > 0 && this.wLeets > 0) {
        this.wHash = 0;
        for (let i = 0; i < this.wlen; i++) {
          const b = <u32>unchecked(this.wb[i]);
          if (b < 0x80) unchecked((this.wb[i] = <u8>leet(b)));
        }
      }
      const single = !this.wOverflow && this.wlen == 1 && this.wLetters == 1;
      if (single && (this.qn == 0 || unchecked(this.qsep[this.qn - 1]) != 0) && this.qn < MAX_SPACED) {
        // queue it: it may be one letter of a spaced-out word
        const q = this.qn++;
        unchecked((this.ql[q] = this.wb[0]));
        unchecked((this.qs[q] = this.spanS(0)));
        unchecked((this.qe[q] = this.spanE(0)));
        unchecked((this.qsep[q] = 0));
      } else {
        this.flushQueue();
        this.emitWordBytes(!this.wOverflow);
      }
    }
    const tailStart = trail;
    if (tail > 0) this.materialize(); // trailing symbols only come from the slow path
    this.wlen = 0; this.wLetters = 0; this.wLeets = 0; this.wOverflow = false; this.wStart = NONE; this.wIdentity = false;
    for (let i = 0; i < tail; i++) {
      // re-feed trailing symbols as separators (their bytes are still in wb past wlen)
      const b = <u32>unchecked(this.wb[tailStart + i]);
      this.separator(b, Cls.PUNCT, unchecked(this.ws[tailStart + i]), unchecked(this.we[tailStart + i]));
    }
  }

  private separator(cp: u32, c: Cls, s: u32, e: u32): void {
    // A single joinable separator right after a queued letter keeps the queue open.
    if (this.qn > 0) {
      const last = this.qn - 1;
      if (unchecked(this.qsep[last]) == 0 && (c == Cls.SPACE || c == Cls.JOIN) && cp < 0x80) {
        unchecked((this.qsep[last] = <u8>(c == Cls.SPACE ? 0x20 : cp)));
        unchecked((this.qseps[last] = s));
        unchecked((this.qsepe[last] = e));
        return;
      }
      this.flushQueue();
    }
    this.emitSeparator(cp, c, s, e);
  }

  private emitSeparator(cp: u32, c: Cls, s: u32, e: u32): void {
    if (c == Cls.SPACE) {
      if (!this.lastWasSpace) { this.viewByte(0x20, s, e); this.lastWasSpace = true; }
      return;
    }
    this.lastWasSpace = false;
    if (!(cp == 0x2d || cp == 0x5f)) { this.joined = false; this.lexicon.breakPhrases(); }
    if (cp < 0x80) { this.viewByte(<u8>cp, s, e); return; }
    const n = encodeUtf8(cp, changetype<usize>(this.tmp));
    for (let i = 0; i < n; i++) this.viewByte(unchecked(this.tmp[i]), s, e);
  }

  /** Emits the queued single letters: as one joined word (>= 3), else one by one. */
  private flushQueue(): void {
    const n = this.qn;
    if (n == 0) return;
    this.qn = 0;
    if (n >= 3) {
      let h = fnvStart();
      for (let i = 0; i < n; i++) {
        const b = unchecked(this.ql[i]);
        h = fnvByte(h, b);
        this.viewByte(b, unchecked(this.qs[i]), unchecked(this.qe[i]));
      }
      this.lastWasSpace = false;
      this.lexicon.word(h, unchecked(this.qs[0]), unchecked(this.qe[n - 1]), this.joined, this.sink);
      const cw = this.classifier; // [classifier hook]
      if (cw) cw.word(changetype<usize>(this.ql), n, h, unchecked(this.qs[0]), unchecked(this.qe[n - 1]));
      this.joined = true;
      // the separator after the last letter, if any, is an ordinary separator
      const sep = unchecked(this.qsep[n - 1]);
      if (sep != 0) this.emitSeparator(<u32>sep, asciiClass(<u32>sep), unchecked(this.qseps[n - 1]), unchecked(this.qsepe[n - 1]));
      return;
    }
    for (let i = 0; i < n; i++) {
      const b = unchecked(this.ql[i]);
      this.viewByte(b, unchecked(this.qs[i]), unchecked(this.qe[i]));
      this.lastWasSpace = false;
      const h1 = fnvByte(fnvStart(), b);
      this.lexicon.word(h1, unchecked(this.qs[i]), unchecked(this.qe[i]), this.joined, this.sink);
      const cw = this.classifier; // [classifier hook]
      if (cw) cw.word(changetype<usize>(this.ql) + <usize>i, 1, h1, unchecked(this.qs[i]), unchecked(this.qe[i]));
      this.joined = true;
      const sep = unchecked(this.qsep[i]);
      if (sep != 0) this.emitSeparator(<u32>sep, asciiClass(<u32>sep), unchecked(this.qseps[i]), unchecked(this.qsepe[i]));
    }
  }

  private emitWordBytes(lookup: bool): void {
    const n = this.wlen;
    const wb = changetype<usize>(this.wb);
    let h = this.wHash;
    if (h == 0) {
      h = fnvStart();
      for (let i = 0; i < n; i++) h = fnvByte(h, load<u8>(wb + <usize>i));
    }
    const r = this.regex;
    if (r) {
      if (this.wIdentity) r.feedRun(wb, n, this.wStart, this.sink); // one call, DFA state in a local
      else for (let i = 0; i < n; i++) r.feed(load<u8>(wb + <usize>i), this.spanS(i), this.spanE(i), this.sink);
    }
    this.lastWasSpace = false;
    if (lookup && n > 0) {
      this.lexicon.word(h, this.spanS(0), this.spanE(n - 1), this.joined, this.sink);
      this.joined = true;
      const cw = this.classifier; // [classifier hook]
      if (cw) cw.word(wb, n, h, this.spanS(0), this.spanE(n - 1));
    } else {
      this.lexicon.breakPhrases();
      this.joined = false;
    }
  }

  // @ts-ignore: decorator
  @inline private viewByte(b: u8, s: u32, e: u32): void {
    const r = this.regex;
    if (r) r.feed(b, s, e, this.sink);
  }
}
