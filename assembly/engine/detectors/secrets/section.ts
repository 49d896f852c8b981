// The SECRETS section read into flat arrays, once, when a scanner is built. Layout
// (little-endian), written by bindings/policy/encode/secrets.ts from the format table
// bindings/policy/builtin/secrets.ts:
//
//   u32 version (1)
//   u32 charsetCount, charsetCount × 32 bytes        256-bit sets: bit (b & 7) of byte b >> 3
//   u32 formatCount, per format:
//     u32 typeId | f32 score | f32 minEntropy
//     u8 flags | u8 validator | u8 spanFrom | u8 spanTo | u8 tailCharset | u8 keywordGroup
//     u8 prefixCount | u8 opCount
//     prefixCount × (u8 len, bytes)
//     opCount × (u8 kind, SEG: u8 charset, u16 min, u16 max | LIT, UNTIL: u8 len, bytes)
//   u32 keywordCount, per keyword: u8 len, bytes (lower case) | u8 group | u8 flags
//   u32 genericTypeId (NONE = off) | f32 genericScore | u32 genericGroups lo | u32 hi
//
// The compiler checked the table; a truncated section only makes the reader stop early
// (fewer formats), it never reads past `len`.

/** Format flags. */
export const enum FormatFlag {
  LEFT_BOUNDARY = 1,  // the byte before the anchor is not an ASCII letter/digit
  RIGHT_BOUNDARY = 2, // the byte after the token is not in the tail charset
  KEYWORD = 4,        // no anchor: checked against assignment values of keyed keys
  FIRST_CHARS = 8,    // anchored by its first run's charset instead of a literal
}

/** Body operations. */
export const enum OpKind {
  SEG = 1,   // run of charset bytes, min..max (greedy)
  LIT = 2,   // literal bytes
  UNTIL = 3, // anything, up to and including the literal (KMP)
}

/** Structural validators (ids from the encoder's VALIDATOR_ID). */
export const enum Validator {
  NONE = 0,
  GITHUB_CRC32 = 1,
  JWT = 2,
  OPENAI_MARKER = 3,
  ENDS_AA = 4,
  PRIVATE_KEY = 5,
  BASIC_AUTH = 6,
  AZURE_AD_LOOKBACK = 7,
  TFC_LOOKBACK = 8,
}

export const enum KeywordFlag {
  SUFFIX = 1,   // counts only when the key ends with the word
  NEGATIVE = 2, // clears its group (or, with group ALL_GENERIC, every generic group)
}

export const KW_ALL_GENERIC: u8 = 0xff;
/** "no such op / charset" in u8 fields */
export const NO_U8: i32 = 0xff;

class Reader {
  p: usize;
  end: usize;
  ok: bool = true;
  constructor(p: usize, len: i32) { this.p = p; this.end = p + <usize>len; }
  need(n: usize): bool {
    if (!this.ok || this.p + n > this.end) { this.ok = false; return false; }
    return true;
  }
  u8(): i32 { if (!this.need(1)) return 0; const v = load<u8>(this.p); this.p += 1; return <i32>v; }
  u16(): i32 { if (!this.need(2)) return 0; const v = load<u16>(this.p); this.p += 2; return <i32>v; }
  u32(): u32 { if (!this.need(4)) return 0; const v = load<u32>(this.p); this.p += 4; return v; }
  f32(): f32 { if (!this.need(4)) return 0; const v = load<f32>(this.p); this.p += 4; return v; }
}

export class SecretsTable {
  charsets: StaticArray<u8> = new StaticArray<u8>(0);
  formatCount: i32 = 0;
  // per format
  fType: StaticArray<u32> = new StaticArray<u32>(0);
  fScore: StaticArray<f32> = new StaticArray<f32>(0);
  fEntropy: StaticArray<f64> = new StaticArray<f64>(0);
  fFlags: StaticArray<u8> = new StaticArray<u8>(0);
  fValidator: StaticArray<u8> = new StaticArray<u8>(0);
  fSpanFrom: StaticArray<i32> = new StaticArray<i32>(0);
  fSpanTo: StaticArray<i32> = new StaticArray<i32>(0);
  fTail: StaticArray<i32> = new StaticArray<i32>(0);
  fGroup: StaticArray<i32> = new StaticArray<i32>(0);
  fOpStart: StaticArray<i32> = new StaticArray<i32>(0);
  fOpCount: StaticArray<i32> = new StaticArray<i32>(0);
  // per op (flat over all formats)
  opKind: StaticArray<u8> = new StaticArray<u8>(0);
  opCharset: StaticArray<i32> = new StaticArray<i32>(0);
  opMin: StaticArray<i32> = new StaticArray<i32>(0);
  opMax: StaticArray<i32> = new StaticArray<i32>(0);
  /** LIT/UNTIL: offset of the literal in `lits` (and of its KMP failure row in `kmp`) */
  opLit: StaticArray<i32> = new StaticArray<i32>(0);
  /** SEG: all later ops are optional runs (min 0), so the token may end after this run */
  opRestOptional: StaticArray<bool> = new StaticArray<bool>(0);
  lits: StaticArray<u8> = new StaticArray<u8>(0);
  kmp: StaticArray<i32> = new StaticArray<i32>(0);
  // anchors: prefix bytes in `prefixBytes`, with their format
  prefixOffset: Array<i32> = new Array<i32>();
  prefixLength: Array<i32> = new Array<i32>();
  prefixFormat: Array<i32> = new Array<i32>();
  prefixBytes: Array<u8> = new Array<u8>();
  // keywords (lower case)
  kwOffset: Array<i32> = new Array<i32>();
  kwLength: Array<i32> = new Array<i32>();
  kwGroup: Array<i32> = new Array<i32>();
  kwFlags: Array<i32> = new Array<i32>();
  kwBytes: Array<u8> = new Array<u8>();
  genericType: u32 = 0xffffffff;
  genericScore: f32 = 0.6;
  genericGroups: u64 = 0;

  constructor(section: usize, len: i32) {
    const r = new Reader(section, len);
    r.u32(); // version
    let csCount = <i32>r.u32();
    if (csCount < 0 || <i64>csCount * 32 > <i64>len) csCount = 0; // a damaged count allocates nothing
    const cs = new StaticArray<u8>(max(csCount, 1) * 32); // all-zero when absent: matches nothing
    if (r.need(<usize>csCount * 32)) {
      memory.copy(changetype<usize>(cs), r.p, <usize>csCount * 32);
      r.p += <usize>csCount * 32;
    }
    this.charsets = cs;

    // First pass over the formats to size the arrays; the second fills them.
    const start = r.p;
    const declared = <i32>r.u32();
    let nOps = 0, litBytes = 0, n = 0;
    for (; n < declared && r.ok; n++) {
      if (!r.need(18)) break;
      r.p += 18;
      const prefixes = r.u8();
      const ops = r.u8();
      for (let i = 0; i < prefixes; i++) { const l = r.u8(); if (r.need(<usize>l)) r.p += <usize>l; }
      for (let i = 0; i < ops; i++) {
        const kind = r.u8();
        if (kind == OpKind.SEG) { r.u8(); r.u16(); r.u16(); }
        else { const l = r.u8(); litBytes += l; if (r.need(<usize>l)) r.p += <usize>l; }
      }
      if (!r.ok) break;
      nOps += ops;
    }
    this.formatCount = n;
    this.fType = new StaticArray<u32>(n);
    this.fScore = new StaticArray<f32>(n);
    this.fEntropy = new StaticArray<f64>(n);
    this.fFlags = new StaticArray<u8>(n);
    this.fValidator = new StaticArray<u8>(n);
    this.fSpanFrom = new StaticArray<i32>(n);
    this.fSpanTo = new StaticArray<i32>(n);
    this.fTail = new StaticArray<i32>(n);
    this.fGroup = new StaticArray<i32>(n);
    this.fOpStart = new StaticArray<i32>(n);
    this.fOpCount = new StaticArray<i32>(n);
    this.opKind = new StaticArray<u8>(nOps);
    this.opCharset = new StaticArray<i32>(nOps);
    this.opMin = new StaticArray<i32>(nOps);
    this.opMax = new StaticArray<i32>(nOps);
    this.opLit = new StaticArray<i32>(nOps);
    this.opRestOptional = new StaticArray<bool>(nOps);
    this.lits = new StaticArray<u8>(max(litBytes, 1));
    this.kmp = new StaticArray<i32>(max(litBytes, 1));

    r.p = start + 4;
    r.ok = true;
    let op = 0, lit = 0;
    for (let f = 0; f < n; f++) {
      unchecked((this.fType[f] = r.u32()));
      unchecked((this.fScore[f] = r.f32()));
      unchecked((this.fEntropy[f] = <f64>r.f32()));
      unchecked((this.fFlags[f] = <u8>r.u8()));
      unchecked((this.fValidator[f] = <u8>r.u8()));
      unchecked((this.fSpanFrom[f] = r.u8()));
      unchecked((this.fSpanTo[f] = r.u8()));
      const tail = r.u8();
      unchecked((this.fTail[f] = tail < csCount ? tail : 0));
      unchecked((this.fGroup[f] = r.u8()));
      const prefixes = r.u8();
      const ops = r.u8();
      unchecked((this.fOpStart[f] = op));
      unchecked((this.fOpCount[f] = ops));
      for (let i = 0; i < prefixes; i++) {
        const l = r.u8();
        this.prefixOffset.push(this.prefixBytes.length);
        this.prefixLength.push(l);
        this.prefixFormat.push(f);
        for (let j = 0; j < l; j++) this.prefixBytes.push(<u8>r.u8());
      }
      for (let i = 0; i < ops; i++, op++) {
        const kind = <u8>r.u8();
        unchecked((this.opKind[op] = kind));
        if (kind == OpKind.SEG) {
          const charset = r.u8();
          unchecked((this.opCharset[op] = charset < csCount ? charset : 0)); // (the encoder never writes more)
          unchecked((this.opMin[op] = r.u16()));
          unchecked((this.opMax[op] = r.u16()));
        } else {
          const l = r.u8();
          unchecked((this.opLit[op] = lit));
          unchecked((this.opMin[op] = l));
          unchecked((this.opMax[op] = l));
          for (let j = 0; j < l; j++) unchecked((this.lits[lit + j] = <u8>r.u8()));
          this.buildKmp(lit, l);
          lit += l;
        }
      }
      // restOptional, from the last op backwards
      let rest = true;
      for (let i = op - 1; i >= op - ops; i--) {
        unchecked((this.opRestOptional[i] = rest));
        rest = rest && unchecked(this.opKind[i]) == OpKind.SEG && unchecked(this.opMin[i]) == 0;
      }
    }

    const kwCount = <i32>r.u32();
    for (let k = 0; k < kwCount && r.ok; k++) {
      const l = r.u8();
      this.kwOffset.push(this.kwBytes.length);
      this.kwLength.push(l);
      for (let j = 0; j < l; j++) this.kwBytes.push(<u8>r.u8());
      this.kwGroup.push(r.u8());
      this.kwFlags.push(r.u8());
    }
    if (!r.ok) { // a truncated keyword list: drop the partial last entry
      const k = this.kwGroup.length;
      this.kwOffset.length = k; this.kwLength.length = k; this.kwFlags.length = k;
    }
    const generic = r.u32();
    const score = r.f32();
    const lo = r.u32();
    const hi = r.u32();
    if (r.ok) {
      this.genericType = generic;
      this.genericScore = score;
      this.genericGroups = (<u64>hi << 32) | <u64>lo;
    }
  }

  /** KMP failure function of the literal at lits[off, off+len): kmp[off+i] = length of the
   *  longest proper border of lits[off, off+i]. */
  private buildKmp(off: i32, len: i32): void {
    if (len == 0) return;
    unchecked((this.kmp[off] = 0));
    let k = 0;
    for (let i = 1; i < len; i++) {
      while (k > 0 && unchecked(this.lits[off + i]) != unchecked(this.lits[off + k])) k = unchecked(this.kmp[off + k - 1]);
      if (unchecked(this.lits[off + i]) == unchecked(this.lits[off + k])) k++;
      unchecked((this.kmp[off + i] = k));
    }
  }

  // @ts-ignore: decorator
  @inline inSet(charset: i32, b: u32): bool {
    return ((<u32>unchecked(this.charsets[(charset << 5) + <i32>(b >> 3)]) >> (b & 7)) & 1) != 0;
  }
}
