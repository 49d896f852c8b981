// Finds the VALUE of an assignment whose key names a secret, one byte at a time:
//
//   password = "s3cr3t…"      DB_PASSWORD=s3cr3t…     "api_key": "…"     token: …
//   secret := "…"             auth => '…'             Authorization: Bearer …
//
// A key is a run of [A-Za-z0-9_.-]; keywords inside it ("password", "api_key", "token",
// a provider name such as "datadog") are found by one Aho-Corasick automaton over the
// key's bytes lower-cased with '-' and '.' read as '_', and recorded as a bit mask of
// keyword groups. Then, within a few bytes: optional closing quote / ']' / spaces, a
// separator (= : := => == ===), optional spaces, and a value — quoted (up to the same
// unescaped quote, including `\"…\"` inside JSON strings) or bare (up to a space or
// , ; ) ] } & quote). The matcher decides whether the value is a secret.
//
// Only the value is ever a finding, so nothing is held while the key is read: the
// value's first byte is the earliest a finding can start.
//
// Speed: most bytes of chat text are ordinary words, and every word is read as a key.
// In the WORDS state (no keyword found yet) a byte costs one transition of the keyword
// automaton, extended by a column for "not a key byte" that leads back to the root, and
// no branch that depends on where words begin or end: only a transition into a state
// where a keyword ends (a row ≥ `kwHotRow`, or the KEY_END row when a key ends with a
// suffix keyword) leaves it. The byte before the current key is kept by a select.
import { Automaton, NO_NODE } from "./automaton";
import { SecretsTable, KeywordFlag, KW_ALL_GENERIC } from "./section";

const enum Char {
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  DQUOTE = 0x22,
  AMP = 0x26,
  SQUOTE = 0x27,
  LPAREN = 0x28,
  PLUS = 0x2b,
  LT = 0x3c,
  SLASH = 0x2f,
  QUESTION = 0x3f,
  BANG = 0x21,
  RPAREN = 0x29,
  COMMA = 0x2c,
  DASH = 0x2d,
  DOT = 0x2e,
  COLON = 0x3a,
  SEMI = 0x3b,
  EQ = 0x3d,
  GT = 0x3e,
  LBRACKET = 0x5b,
  BACKSLASH = 0x5c,
  RBRACKET = 0x5d,
  UNDERSCORE = 0x5f,
  BACKTICK = 0x60,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
}

const enum State {
  WORDS,      // between keys, or inside a key with no keyword yet
  KEY,        // inside a key with a keyword (or after a type word)
  AFTER_KEY,  // key with keywords read; closing quote / spaces / a type word / separator may follow
  SEPARATOR,  // inside a separator run (= : := => == ::= ?= .= += !=)
  PRE_VALUE,  // separator read; spaces / opening quote / value may follow
  QUOTED,
  BARE,
}

/** Bytes allowed between a key and its value besides the separator. */
const MAX_GAP: i32 = 8;
/** … and between <key> and </key> content (indentation, newlines). */
const MAX_XML_GAP: i32 = 32;
const MAX_SEPARATOR: i32 = 4;
/** Longer values are not secrets a keyword rule should judge (and bound the hold). */
export const MAX_VALUE: u32 = 256;

// First bytes of a bare value that name an auth scheme, not a secret (lower case, LE).
const SCHEME_BEARER: u64 = 0x726572616562;  // "bearer"
const SCHEME_BASIC: u64 = 0x6369736162;     // "basic"
const SCHEME_TOKEN: u64 = 0x6e656b6f74;     // "token"

// @ts-ignore: decorator
@inline function isKeyByte(c: u32): bool {
  return c - 0x61 < 26 || c - 0x41 < 26 || c - 0x30 < 10 || c == Char.UNDERSCORE || c == Char.DASH || c == Char.DOT;
}

// @ts-ignore: decorator
@inline function isQuote(c: u32): bool {
  return c == Char.DQUOTE || c == Char.SQUOTE || c == Char.BACKTICK;
}

/** Bytes of a separator run: '=' or a lone ':' makes it an assignment. */
// @ts-ignore: decorator
@inline function isSeparatorByte(c: u32): bool {
  return c == Char.EQ || c == Char.COLON || c == Char.GT || c == Char.QUESTION || c == Char.DOT || c == Char.PLUS || c == Char.BANG;
}

// @ts-ignore: decorator
@inline function endsBare(c: u32): bool {
  return c <= <u32>Char.SPACE || isQuote(c) || c == Char.COMMA || c == Char.SEMI || c == Char.RPAREN ||
    c == Char.RBRACKET || c == Char.RBRACE || c == Char.AMP || c == Char.LT;
}

/** Key byte as the keyword automaton reads it: lower case, '-' and '.' as '_'. */
function keyFold(c: u32): u32 {
  if (c - 0x41 < 26) return c | 0x20;
  if (c == Char.DASH || c == Char.DOT) return Char.UNDERSCORE;
  return c;
}

/** keyword ranks: a suffix keyword matters when the key ends, any other as it is read */
const RANK_SUFFIX: u8 = 1;
const RANK_INNER: u8 = 2;

export class Assignment {
  private kw!: Automaton;
  /** keyword automaton with one more column (`notKey`): [row + class] → row, where
   *  row = state × (classes + 1); from a state with suffix keywords, `notKey` leads to
   *  the KEY_END row (`kwEnd`), from any other to the root */
  //  Rows are named by their address (so a step is one load from the current row's
  //  address + the column's byte offset, which feed() is given).
  private kwNext: StaticArray<u32> = new StaticArray<u32>(0);
  private kwBase: usize = 0;
  private kwStride: i32 = 1;
  /** rows from here on: a keyword ends at this state (suffix or not) */
  private kwOutRow: usize = 0;
  /** rows from here on (and kwEnd): a keyword that counts anywhere in the key ends here */
  private kwHotRow: usize = 0;
  private kwEnd: usize = 0;
  /** the column (byte offset in a row) of bytes that are not key bytes */
  notKey: u32 = 0;
  /** byte → keyword automaton column (case and '-'/'.' folded), or the not-key column */
  keyClass: StaticArray<u32> = new StaticArray<u32>(256);
  // per keyword-automaton state: groups of the keywords ending there (dictionary links
  // included), anywhere in the key / only at its end, positive / negative
  private kwPos: StaticArray<u64> = new StaticArray<u64>(0);
  private kwNeg: StaticArray<u64> = new StaticArray<u64>(0);
  private kwSufPos: StaticArray<u64> = new StaticArray<u64>(0);
  private kwSufNeg: StaticArray<u64> = new StaticArray<u64>(0);

  private state: State = State.WORDS;
  private prev: u32 = 0;       // the previous byte
  private kwRow: usize = 0;
  // keyword groups seen in the key (with those of the key before a type word: "var
  // token string = …"), and groups cancelled by a negative keyword; both 0 outside KEY
  private groups: u64 = 0;
  private negated: u64 = 0;
  private carried: bool = false;
  private keyPrev: u32 = 0;    // the byte before the key: '"' ("KEY", "value"), '<' (<key>value</key>)
  private spaced: bool = false;    // whitespace since the key ended
  private closed: bool = false;    // a quote since the key ended
  private gap: i32 = 0;
  private sepLength: i32 = 0;
  private sepEq: bool = false;
  private xml: bool = false;       // value of <key>…</key>: newlines allowed before it
  private needQuote: bool = false; // value after ("KEY", : must be quoted
  private quote: u32 = 0;
  private quoteEscaped: bool = false; // the value opened with \" (a JSON string inside a string)
  private backslash: bool = false;
  private head: u64 = 0;       // first 8 bytes of a bare value, lower case
  private start: u32 = 0;

  // the value just completed (valid after feed() returned true)
  keyGroups: u64 = 0;
  valueStart: u32 = 0;
  valueEnd: u32 = 0;
  quoted: bool = false;

  /** `like`: an Assignment of the same table whose (read-only) automaton this one shares. */
  constructor(t: SecretsTable, like: Assignment | null = null) {
    if (like) {
      this.kw = like.kw;
      this.kwNext = like.kwNext;
      this.kwBase = like.kwBase;
      this.kwRow = like.kwBase;
      this.kwStride = like.kwStride;
      this.kwOutRow = like.kwOutRow;
      this.kwHotRow = like.kwHotRow;
      this.kwEnd = like.kwEnd;
      this.notKey = like.notKey;
      this.keyClass = like.keyClass;
      this.kwPos = like.kwPos;
      this.kwNeg = like.kwNeg;
      this.kwSufPos = like.kwSufPos;
      this.kwSufNeg = like.kwSufNeg;
    } else {
      const n = t.kwOffset.length;
      const flags = new Array<u8>(n);
      const ranks = new Array<u8>(n);
      for (let i = 0; i < n; i++) ranks[i] = (t.kwFlags[i] & KeywordFlag.SUFFIX) ? RANK_SUFFIX : RANK_INNER;
      const kw = new Automaton(t.kwBytes, t.kwOffset, t.kwLength, flags, ranks, RANK_INNER);
      this.kw = kw;
      const m = kw.nodes;
      const C = kw.classes;
      const W = C + 1;
      const table = new StaticArray<u32>(m * W);
      const base = changetype<usize>(table);
      const end = base + (<usize>(m * W) << 2); // the KEY_END "row": past the table
      const outRow = unchecked(kw.rankRow[RANK_SUFFIX]); // (rows of stride C)
      for (let s = 0; s < m; s++) {
        for (let c = 0; c < C; c++) unchecked((table[s * W + c] = <u32>(base + (<usize>(unchecked(kw.next[s * C + c]) / C * W) << 2))));
        unchecked((table[s * W + C] = <u32>(s * C >= outRow ? end : base)));
      }
      this.kwNext = table;
      this.kwBase = base;
      this.kwRow = base;
      this.kwStride = W;
      this.kwOutRow = base + (<usize>(outRow / C * W) << 2);
      this.kwHotRow = base + (<usize>(unchecked(kw.rankRow[RANK_INNER]) / C * W) << 2);
      this.kwEnd = end;
      this.notKey = <u32>C << 2;
      for (let b: u32 = 0; b < 256; b++) {
        unchecked((this.keyClass[b] = isKeyByte(b) ? <u32>unchecked(kw.classOf[keyFold(b)]) : <u32>C));
      }
      const pos = new StaticArray<u64>(m), neg = new StaticArray<u64>(m);
      const sufPos = new StaticArray<u64>(m), sufNeg = new StaticArray<u64>(m);
      for (let s = 0; s < m; s++) {
        let node = unchecked(kw.outFirst[s]) != NO_NODE ? s : unchecked(kw.dictLink[s]);
        while (node != NO_NODE) {
          for (let e = unchecked(kw.outFirst[node]); e != NO_NODE; e = unchecked(kw.outNext[e])) {
            const k = unchecked(kw.outPattern[e]);
            const group = t.kwGroup[k];
            const fl = t.kwFlags[k];
            const bits = group == <i32>KW_ALL_GENERIC ? t.genericGroups : (<u64>1) << <u64>group;
            if (fl & KeywordFlag.NEGATIVE) {
              if (fl & KeywordFlag.SUFFIX) unchecked((sufNeg[s] |= bits));
              else unchecked((neg[s] |= bits));
            } else if (fl & KeywordFlag.SUFFIX) unchecked((sufPos[s] |= bits));
            else unchecked((pos[s] |= bits));
          }
          node = unchecked(kw.dictLink[node]);
        }
      }
      this.kwPos = pos;
      this.kwNeg = neg;
      this.kwSufPos = sufPos;
      this.kwSufNeg = sufNeg;
    }
  }

  reset(): void {
    this.state = State.WORDS;
    this.kwRow = this.kwBase;
    this.prev = 0;
    this.keyPrev = 0;
    this.backslash = false;
    this.groups = 0;
    this.negated = 0;
  }

  /** Ring position of the first byte of the value being read, or -1 (as u32) when none. */
  holding(): u32 {
    return this.state == State.QUOTED || this.state == State.BARE ? this.start : 0xffffffff;
  }

  /** Reads byte b (column offset kc: keyClass[b] × 4) at ring position p; true when a
   *  value ended (fields above are set). */
  // @ts-ignore: decorator
  @inline feed(kc: u32, b: u32, p: u32): bool {
    let r = false;
    if (this.state == State.WORDS) r = this.word(kc, b, p);
    else r = this.byte(b, p);
    this.prev = b;
    return r;
  }

  /** A byte in the WORDS state. */
  // @ts-ignore: decorator
  @inline private word(kc: u32, b: u32, p: u32): bool {
    const next = <usize>load<u32>(this.kwRow + <usize>kc);
    if (next >= this.kwHotRow) return this.keyword(next, b, p);
    this.kwRow = next;
    const kp = this.keyPrev;
    this.keyPrev = select<u32>(b, kp, kc == this.notKey); // (no branch on word edges)
    return false;
  }

  /** WORDS, and a keyword ends at b (row `next`), or the key ends at b (kwEnd) after a
   *  suffix keyword. */
  private keyword(next: usize, b: u32, p: u32): bool {
    if (next != this.kwEnd) { // a keyword that counts anywhere in the key: read on as KEY
      this.state = State.KEY;
      this.carried = false;
      this.kwRow = next;
      this.inner(next); // (groups and negated are 0 in WORDS)
      return false;
    }
    const s = this.stateOf(this.kwRow);
    const g = unchecked(this.kwSufPos[s]) & ~unchecked(this.kwSufNeg[s]);
    this.kwRow = this.kwBase;
    if (g == 0) { this.keyPrev = b; return false; }
    this.carried = false;
    return this.keyEnded(g, b, p);
  }

  /** The key ended at b (not a key byte) with keyword groups g. */
  private keyEnded(g: u64, b: u32, p: u32): bool {
    this.keyGroups = g;
    this.state = State.AFTER_KEY;
    this.gap = 0;
    this.spaced = false;
    this.closed = false;
    return this.afterKey(b, p);
  }

  /** Back to WORDS after b, which does not begin a key. */
  private words(b: u32): bool {
    this.state = State.WORDS;
    this.kwRow = this.kwBase;
    this.keyPrev = b;
    return false;
  }

  private byte(b: u32, p: u32): bool {
    switch (this.state) {
      case State.KEY: {
        if (isKeyByte(b)) { this.keyByte(unchecked(this.keyClass[b]) << 2); return false; }
        let g = this.groups;
        let neg = this.negated;
        this.groups = 0;
        this.negated = 0;
        const row = this.kwRow;
        if (row >= this.kwOutRow) { // suffix keywords ending at the key's last byte
          const s = this.stateOf(row);
          g |= unchecked(this.kwSufPos[s]);
          neg |= unchecked(this.kwSufNeg[s]);
        }
        g &= ~neg;
        if (g == 0) return this.words(b);
        return this.keyEnded(g, b, p);
      }
      case State.AFTER_KEY: return this.afterKey(b, p);
      case State.SEPARATOR: {
        if (isSeparatorByte(b) && ++this.sepLength <= MAX_SEPARATOR) {
          if (b == Char.EQ) this.sepEq = true;
          return false;
        }
        // "=", ":=", "=>", "==", "::=", "?=", ".=", "+=", "!=" or a lone ":"; not "::" or ">"
        if (!(this.sepEq || (this.sepLength == 1 && this.prev == Char.COLON))) return this.restart(b, p);
        if (!this.sepEq && b == Char.SLASH) return this.restart(b, p); // "https://…", not "key: value"
        this.state = State.PRE_VALUE;
        this.gap = 0;
        return this.preValue(b, p);
      }
      case State.PRE_VALUE: return this.preValue(b, p);
      case State.QUOTED: {
        if (this.backslash) {
          this.backslash = false;
          if (this.quoteEscaped && b == this.quote) return this.complete(p - 1, true, b);
        } else if (b == Char.BACKSLASH) {
          this.backslash = true;
        } else if (b == this.quote && !this.quoteEscaped) {
          return this.complete(p, true, b);
        } else if (b == Char.LF || b == Char.CR) {
          return this.words(b);
        }
        if (p + 1 - this.start > MAX_VALUE) return this.words(b);
        return false;
      }
      default: { // BARE
        if (endsBare(b)) {
          // "Authorization: Bearer <token>": the scheme word is not the value
          const n = p - this.start;
          if (b == Char.SPACE && ((n == 6 && this.head == SCHEME_BEARER) || (n == 5 && (this.head == SCHEME_BASIC || this.head == SCHEME_TOKEN)))) {
            this.state = State.PRE_VALUE;
            this.gap = 0;
            return false;
          }
          return this.complete(p, false, b);
        }
        if (b == Char.LPAREN) return this.words(b); // a call, not a literal
        const n = p - this.start;
        if (n < 8) this.head |= <u64>(b - 0x41 < 26 ? b | 0x20 : b) << (<u64>n << 3);
        if (n + 1 > MAX_VALUE) return this.words(b);
        return false;
      }
    }
  }

  /** End of input: a value still being read ends here (an answer cut mid-value). */
  finish(pos: u32): bool {
    const s = this.state;
    this.words(0);
    this.groups = 0;
    this.negated = 0;
    if (s == State.QUOTED) { this.quoted = true; return this.set(pos); }
    if (s == State.BARE) { this.quoted = false; return this.set(pos); }
    return false;
  }

  /** Not an assignment after all: b may begin the next key. */
  private restart(b: u32, p: u32): bool {
    this.state = State.WORDS;
    this.keyPrev = this.prev;
    const kc = unchecked(this.keyClass[b]) << 2;
    const next = <usize>load<u32>(this.kwBase + <usize>kc);
    if (next >= this.kwHotRow) return this.keyword(next, b, p); // (never kwEnd: from the root)
    this.kwRow = next;
    if (kc == this.notKey) this.keyPrev = b;
    return false;
  }

  /** A key begins with a byte of key class kc. */
  private beginKey(kc: u32, carry: u64, carried: bool): void {
    this.state = State.KEY;
    this.kwRow = this.kwBase;
    this.groups = carry; // (negated is 0 outside KEY)
    this.carried = carried;
    this.keyPrev = this.prev;
    // a type word reads as "_word", so negative suffixes ("_name", "_count") apply to it
    if (carried) this.keyByte(unchecked(this.keyClass[Char.UNDERSCORE]) << 2);
    this.keyByte(kc);
  }

  // @ts-ignore: decorator
  @inline private keyByte(kc: u32): void { // (a key byte: never the kwEnd column)
    const row = <usize>load<u32>(this.kwRow + <usize>kc);
    this.kwRow = row;
    if (row >= this.kwHotRow) this.inner(row);
  }

  /** The keyword automaton's state at a row address. */
  // @ts-ignore: decorator
  @inline private stateOf(row: usize): i32 {
    return <i32>((row - this.kwBase) >> 2) / this.kwStride;
  }

  /** Keywords that count anywhere in the key end at this row. */
  private inner(row: usize): void {
    const s = this.stateOf(row);
    this.groups |= unchecked(this.kwPos[s]);
    this.negated |= unchecked(this.kwNeg[s]);
  }

  private afterKey(b: u32, p: u32): bool {
    if (isSeparatorByte(b) && b != Char.GT) {
      this.state = State.SEPARATOR;
      this.sepLength = 1;
      this.sepEq = b == Char.EQ;
      this.xml = false;
      this.needQuote = false;
      return false;
    }
    if (b == Char.GT && this.keyPrev == Char.LT && !this.spaced) { // <password>value</password>
      this.state = State.PRE_VALUE;
      this.gap = 0;
      this.xml = true;
      this.needQuote = false;
      return false;
    }
    if (b == Char.COMMA && isQuote(this.keyPrev) && this.closed) { // setProperty("TOKEN", "value")
      this.state = State.PRE_VALUE;
      this.gap = 0;
      this.xml = false;
      this.needQuote = true;
      return false;
    }
    if (b == Char.SPACE || b == Char.TAB) this.spaced = true;
    else if (isQuote(b)) this.closed = true;
    if ((b == Char.SPACE || b == Char.TAB || isQuote(b) || b == Char.BACKSLASH || b == Char.RBRACKET) && ++this.gap <= MAX_GAP) return false;
    // one type word between key and separator: "var token string = …", "password is: …"
    if (isKeyByte(b) && this.spaced && !this.closed && !this.carried) {
      this.beginKey(unchecked(this.keyClass[b]) << 2, this.keyGroups, true);
      return false;
    }
    return this.restart(b, p);
  }

  private preValue(b: u32, p: u32): bool {
    if (b == Char.SPACE || b == Char.TAB || (this.xml && (b == Char.LF || b == Char.CR))) {
      if (++this.gap > (this.xml ? MAX_XML_GAP : MAX_GAP)) return this.words(b);
      return false;
    }
    if (b == Char.BACKSLASH) { this.backslash = true; return false; }
    if (isQuote(b)) {
      this.state = State.QUOTED;
      this.quote = b;
      this.quoteEscaped = this.backslash;
      this.backslash = false;
      this.start = p + 1;
      return false;
    }
    this.backslash = false;
    if (this.needQuote || endsBare(b) || b == Char.LPAREN || b == Char.LBRACKET || b == Char.LBRACE) return this.restart(b, p);
    this.state = State.BARE;
    this.start = p;
    this.head = <u64>(b - 0x41 < 26 ? b | 0x20 : b);
    return false;
  }

  /** The value ended before `end`, at byte b (a quote, or a byte that ends a bare value). */
  private complete(end: u32, quoted: bool, b: u32): bool {
    this.words(b);
    this.backslash = false;
    this.quoted = quoted;
    return this.set(end);
  }

  private set(end: u32): bool {
    this.valueStart = this.start;
    this.valueEnd = end;
    return end > this.start;
  }
}
