// The held bytes and what leaves: original bytes are kept from the last released
// offset to the end of the input, and released in order with redaction spans replaced.
//
// Overlapping spans, defined so that a stream gives what a one-shot scan gives:
// at the first byte of a span, the longest span starting there is replaced (its
// replacement is written once) and bytes are skipped to its end; any span that starts
// before the skip ends extends the skip and writes nothing. Every span starting at
// offset p is known before p is released (the pending() contract), so the choice at p
// never depends on chunking; a span that starts inside a skip only ever extends it.
import { NONE } from "./constants";
import { Policy } from "./policy";
import { Rules, ReplKind, NO_STRING } from "./rules";
import { fnvStart, fnvByte } from "./hash";
import { Restorer } from "./restore";

const S_FIELDS: i32 = 5; // start, end, typeId, rule, pseudonym number

export class Output {
  policy: Policy;
  rules: Rules;
  // held original bytes: held[0] is absolute offset heldBase
  held: StaticArray<u8> = new StaticArray<u8>(1024);
  heldBase: u32 = 0;
  heldEnd: u32 = 0;
  released: u32 = 0;
  // released bytes of the current batch (or of the whole scan)
  out: StaticArray<u8> = new StaticArray<u8>(1024);
  outLen: i32 = 0;
  streaming: bool = false;
  /** pseudonym values to put back (rule index -2 - entry in a span) */
  restorer: Restorer | null = null;
  // pending redaction spans, sorted by start; spans[head..n) are still ahead
  private spans: StaticArray<u32> = new StaticArray<u32>(16 * S_FIELDS);
  private head: i32 = 0;
  private n: i32 = 0;
  private skipUntil: u32 = 0;
  // disclaimers to append at the end (rule indices, once each)
  private disclaimers: StaticArray<i32> = new StaticArray<i32>(8);
  private disclaimerN: i32 = 0;
  // pseudonyms: (typeId, value hash) -> number, per stream
  private pseudoType: StaticArray<u32> = new StaticArray<u32>(16);
  private pseudoHash: StaticArray<u64> = new StaticArray<u64>(16);
  private pseudoN: i32 = 0;

  constructor(policy: Policy, rules: Rules) {
    this.policy = policy;
    this.rules = rules;
  }

  reset(): void {
    this.heldBase = 0; this.heldEnd = 0; this.released = 0; this.outLen = 0;
    this.head = 0; this.n = 0; this.skipUntil = 0; this.disclaimerN = 0;
    if (!this.keepPseudonyms) this.pseudoN = 0;
  }

  /** Keep pseudonym numbers across resets: the parts of one request share them. */
  keepPseudonyms: bool = false;
  clearPseudonyms(): void { this.pseudoN = 0; }

  beginBatch(): void { if (this.streaming) this.outLen = 0; }

  /** Address of the held input byte at absolute offset `at` (must not be released yet). */
  // @ts-ignore: decorator
  @inline at(offset: u32): usize { return changetype<usize>(this.held) + <usize>(offset - this.heldBase); }

  /** Appends input bytes [at, at+len) to the held buffer. */
  hold(ptr: usize, len: i32, at: u32): void {
    // drop what was released, then make room
    const drop = <i32>(this.released - this.heldBase);
    const kept = <i32>(this.heldEnd - this.released);
    if (drop > 0) {
      memory.copy(changetype<usize>(this.held), changetype<usize>(this.held) + <usize>drop, <usize>kept);
      this.heldBase = this.released;
    }
    if (kept + len > this.held.length) {
      let cap = this.held.length;
      while (cap < kept + len) cap <<= 1;
      const next = new StaticArray<u8>(cap);
      memory.copy(changetype<usize>(next), changetype<usize>(this.held), <usize>kept);
      this.held = next;
    }
    memory.copy(changetype<usize>(this.held) + <usize>kept, ptr, <usize>len);
    this.heldEnd = at + <u32>len;
  }

  /** Registers a redaction span; returns its pseudonym number (0 when not pseudonymised). */
  redact(start: u32, end: u32, typeId: u32, rule: i32, pseudo: bool): u32 {
    if (start < this.released) start = this.released; // cannot happen if pending() holds; never leak
    let number: u32 = 0;
    if (pseudo) number = this.pseudonym(typeId, start, end);
    if (start < this.skipUntil) {
      if (end > this.skipUntil) this.skipUntil = end;
      return number;
    }
    // sorted insert among the spans still ahead
    let i = this.n;
    if ((i + 1) * S_FIELDS > this.spans.length) this.growSpans();
    while (i > this.head && unchecked(this.spans[(i - 1) * S_FIELDS]) > start) {
      for (let f = 0; f < S_FIELDS; f++) unchecked((this.spans[i * S_FIELDS + f] = this.spans[(i - 1) * S_FIELDS + f]));
      i--;
    }
    const o = i * S_FIELDS;
    unchecked((this.spans[o] = start));
    unchecked((this.spans[o + 1] = end));
    unchecked((this.spans[o + 2] = typeId));
    unchecked((this.spans[o + 3] = <u32>rule));
    unchecked((this.spans[o + 4] = number));
    this.n++;
    return number;
  }

  disclaimer(rule: i32): void {
    for (let i = 0; i < this.disclaimerN; i++) if (unchecked(this.disclaimers[i]) == rule) return;
    if (this.disclaimerN < this.disclaimers.length) unchecked((this.disclaimers[this.disclaimerN++] = rule));
  }

  finishDisclaimers(): void {
    for (let i = 0; i < this.disclaimerN; i++) {
      const s = this.rules.messageString(unchecked(this.disclaimers[i]));
      if (s != NO_STRING) this.write(this.policy.stringPtr(s), this.policy.stringLen(s));
    }
  }

  /** Releases original bytes up to absolute offset upTo (exclusive). */
  release(upTo: u32): void {
    let p = this.released;
    if (upTo <= p) return;
    while (p < upTo) {
      if (p < this.skipUntil) { p = this.skipUntil < upTo ? this.skipUntil : upTo; continue; }
      if (this.head < this.n && unchecked(this.spans[this.head * S_FIELDS]) < upTo) {
        const start = unchecked(this.spans[this.head * S_FIELDS]);
        if (start > p) { this.copy(p, start); p = start; }
        // the longest span starting here is written; the others only extend the skip
        let best = this.head;
        let end = unchecked(this.spans[best * S_FIELDS + 1]);
        let j = this.head + 1;
        while (j < this.n && unchecked(this.spans[j * S_FIELDS]) == start) {
          const e = unchecked(this.spans[j * S_FIELDS + 1]);
          if (e > end) { end = e; best = j; }
          j++;
        }
        this.replacement(best);
        while (j < this.n && unchecked(this.spans[j * S_FIELDS]) < end) {
          const e = unchecked(this.spans[j * S_FIELDS + 1]);
          if (e > end) end = e;
          j++;
        }
        this.head = j;
        this.skipUntil = end;
        if (this.head == this.n) { this.head = 0; this.n = 0; }
        continue;
      }
      this.copy(p, upTo);
      p = upTo;
    }
    this.released = upTo;
  }

  private copy(from: u32, to: u32): void {
    this.write(changetype<usize>(this.held) + <usize>(from - this.heldBase), <i32>(to - from));
  }

  private write(ptr: usize, len: i32): void {
    if (this.outLen + len > this.out.length) {
      let cap = this.out.length;
      while (cap < this.outLen + len) cap <<= 1;
      const next = new StaticArray<u8>(cap);
      memory.copy(changetype<usize>(next), changetype<usize>(this.out), <usize>this.outLen);
      this.out = next;
    }
    memory.copy(changetype<usize>(this.out) + <usize>this.outLen, ptr, <usize>len);
    this.outLen += len;
  }

  // @ts-ignore: decorator
  @inline private writeByte(b: u8): void {
    if (this.outLen + 1 > this.out.length) this.growOut();
    unchecked((this.out[this.outLen++] = b));
  }

  private growOut(): void {
    const next = new StaticArray<u8>(this.out.length << 1);
    memory.copy(changetype<usize>(next), changetype<usize>(this.out), <usize>this.outLen);
    this.out = next;
  }

  private writeString(s: u32): void {
    if (s != NO_STRING) this.write(this.policy.stringPtr(s), this.policy.stringLen(s));
  }

  private writeDecimal(v: u32): void {
    if (v >= 10) this.writeDecimal(v / 10);
    this.writeByte(<u8>(0x30 + v % 10));
  }

  private replacement(i: i32): void {
    const o = i * S_FIELDS;
    const start = unchecked(this.spans[o]);
    const end = unchecked(this.spans[o + 1]);
    const typeId = unchecked(this.spans[o + 2]);
    const rule = <i32>unchecked(this.spans[o + 3]);
    const number = unchecked(this.spans[o + 4]);
    if (number != 0) { // pseudonym: <TYPE_n>
      this.writeByte(0x3c);
      this.writeString(this.policy.typeName(typeId));
      this.writeByte(0x5f);
      this.writeDecimal(number);
      this.writeByte(0x3e);
      return;
    }
    if (rule <= -2) { // a pseudonym placeholder: the original value
      const r = this.restorer;
      if (r) this.write(r.valuePtr(-2 - rule), r.valueLen(-2 - rule));
      return;
    }
    const kind = rule >= 0 ? this.rules.replKind(rule) : ReplKind.TYPE;
    if (kind == ReplKind.TEXT) { this.writeString(this.rules.replTextString(rule)); return; }
    if (kind == ReplKind.TYPE) {
      this.writeByte(0x5b);
      this.writeString(this.policy.typeName(typeId));
      this.writeByte(0x5d);
      return;
    }
    // MASK / KEEP_LAST: one mask char per code point; KEEP_LAST keeps the last `count`
    // letters and digits and every separator (so "4111 1111 1111 1111" -> "**** **** **** 1111")
    const mask = this.rules.replChar(rule);
    const base = changetype<usize>(this.held) - <usize>this.heldBase;
    let keep = 0;
    if (kind == ReplKind.KEEP_LAST) {
      const want = this.rules.replCount(rule);
      let q = end;
      while (q > start && keep < want) {
        q--;
        if (isAlnum(load<u8>(base + <usize>q))) keep++;
      }
      keep = <i32>q; // offset from which everything is kept
    } else keep = <i32>end;
    let p = start;
    while (p < end) {
      const b = load<u8>(base + <usize>p);
      if (p >= <u32>keep || (kind == ReplKind.KEEP_LAST && !isAlnum(b) && b < 0x80)) {
        this.writeByte(b);
      } else if ((b & 0xc0) != 0x80) {
        this.writeByte(mask); // one per code point: continuation bytes write nothing
      }
      p++;
    }
  }

  private pseudonym(typeId: u32, start: u32, end: u32): u32 {
    let h = fnvStart();
    const base = changetype<usize>(this.held) - <usize>this.heldBase;
    for (let p = start; p < end; p++) h = fnvByte(h, load<u8>(base + <usize>p));
    let same: u32 = 0;
    for (let i = 0; i < this.pseudoN; i++) {
      if (unchecked(this.pseudoType[i]) == typeId) {
        same++;
        if (unchecked(this.pseudoHash[i]) == h) return same;
      }
    }
    if (this.pseudoN == this.pseudoType.length) {
      const t = new StaticArray<u32>(this.pseudoN << 1);
      const hh = new StaticArray<u64>(this.pseudoN << 1);
      memory.copy(changetype<usize>(t), changetype<usize>(this.pseudoType), <usize>this.pseudoN << 2);
      memory.copy(changetype<usize>(hh), changetype<usize>(this.pseudoHash), <usize>this.pseudoN << 3);
      this.pseudoType = t; this.pseudoHash = hh;
    }
    unchecked((this.pseudoType[this.pseudoN] = typeId));
    unchecked((this.pseudoHash[this.pseudoN] = h));
    this.pseudoN++;
    return same + 1;
  }

  private growSpans(): void {
    const next = new StaticArray<u32>(this.spans.length << 1);
    memory.copy(changetype<usize>(next), changetype<usize>(this.spans), <usize>this.spans.length << 2);
    this.spans = next;
  }
}

// @ts-ignore: decorator
@inline function isAlnum(b: u8): bool {
  return (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a);
}
