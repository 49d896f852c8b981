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
  IDLE,       // between keys
  KEY,        // inside a key
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
// @ts-ignore: decorator
@inline function keyFold(c: u32): u32 {
  if (c - 0x41 < 26) return c | 0x20;
  if (c == Char.DASH || c == Char.DOT) return Char.UNDERSCORE;
  return c;
}

export class Assignment {
  private kw: Automaton;
  private kwGroup: StaticArray<i32>;
  private kwFlags: StaticArray<i32>;
  private genericGroups: u64;

  private state: State = State.IDLE;
  private prev: u32 = 0;       // the previous byte
  private kwState: i32 = 0;
  private groups: u64 = 0;     // keyword groups seen in the key
  private negated: u64 = 0;    // groups cancelled by a negative keyword
  private suffixPos: u64 = 0;  // suffix keywords ending at the key's last byte
  private suffixNeg: u64 = 0;
  private carry: u64 = 0;      // groups of the key before a type word ("var token string = …")
  private carried: bool = false;
  private keyQuoted: bool = false; // the key followed a quote ("KEY", "value")
  private keyTagged: bool = false; // the key followed '<' (<key>value</key>)
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

  constructor(t: SecretsTable) {
    const n = t.kwOffset.length;
    const flags = new Array<u8>(n);
    const kwGroup = new StaticArray<i32>(max(n, 1));
    const kwFlags = new StaticArray<i32>(max(n, 1));
    for (let i = 0; i < n; i++) {
      unchecked((kwGroup[i] = t.kwGroup[i]));
      unchecked((kwFlags[i] = t.kwFlags[i]));
    }
    this.kw = new Automaton(t.kwBytes, t.kwOffset, t.kwLength, flags);
    this.kwGroup = kwGroup;
    this.kwFlags = kwFlags;
    this.genericGroups = t.genericGroups;
  }

  reset(): void {
    this.state = State.IDLE;
    this.prev = 0;
    this.backslash = false;
  }

  /** Ring position of the first byte of the value being read, or -1 (as u32) when none. */
  holding(): u32 {
    return this.state == State.QUOTED || this.state == State.BARE ? this.start : 0xffffffff;
  }

  /** Reads byte b at ring position p; true when a value ended (fields above are set). */
  feed(b: u32, p: u32): bool {
    const r = this.byte(b, p);
    this.prev = b;
    return r;
  }

  private byte(b: u32, p: u32): bool {
    switch (this.state) {
      case State.IDLE: {
        if (isKeyByte(b)) this.beginKey(b, 0, false);
        return false;
      }
      case State.KEY: {
        if (isKeyByte(b)) { this.keyByte(b); return false; }
        const g = (this.groups | this.suffixPos | this.carry) & ~(this.negated | this.suffixNeg);
        if (g == 0) { this.state = State.IDLE; return false; }
        this.keyGroups = g;
        this.state = State.AFTER_KEY;
        this.gap = 0;
        this.spaced = false;
        this.closed = false;
        return this.afterKey(b, p);
      }
      case State.AFTER_KEY: return this.afterKey(b, p);
      case State.SEPARATOR: {
        if (isSeparatorByte(b) && ++this.sepLength <= MAX_SEPARATOR) {
          if (b == Char.EQ) this.sepEq = true;
          return false;
        }
        // "=", ":=", "=>", "==", "::=", "?=", ".=", "+=", "!=" or a lone ":"; not "::" or ">"
        if (!(this.sepEq || (this.sepLength == 1 && this.prev == Char.COLON))) return this.restart(b);
        if (!this.sepEq && b == Char.SLASH) return this.restart(b); // "https://…", not "key: value"
        this.state = State.PRE_VALUE;
        this.gap = 0;
        return this.preValue(b, p);
      }
      case State.PRE_VALUE: return this.preValue(b, p);
      case State.QUOTED: {
        if (this.backslash) {
          this.backslash = false;
          if (this.quoteEscaped && b == this.quote) return this.complete(p - 1, true);
        } else if (b == Char.BACKSLASH) {
          this.backslash = true;
        } else if (b == this.quote && !this.quoteEscaped) {
          return this.complete(p, true);
        } else if (b == Char.LF || b == Char.CR) {
          this.state = State.IDLE;
          return false;
        }
        if (p + 1 - this.start > MAX_VALUE) this.state = State.IDLE;
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
          return this.complete(p, false);
        }
        if (b == Char.LPAREN) { this.state = State.IDLE; return false; } // a call, not a literal
        const n = p - this.start;
        if (n < 8) this.head |= <u64>(b - 0x41 < 26 ? b | 0x20 : b) << (<u64>n << 3);
        if (n + 1 > MAX_VALUE) this.state = State.IDLE;
        return false;
      }
    }
  }

  /** End of input: a value still being read ends here (an answer cut mid-value). */
  finish(pos: u32): bool {
    const s = this.state;
    this.state = State.IDLE;
    if (s == State.QUOTED) { this.quoted = true; return this.set(pos); }
    if (s == State.BARE) { this.quoted = false; return this.set(pos); }
    return false;
  }

  /** Not an assignment after all: b may begin the next key. */
  private restart(b: u32): bool {
    this.state = State.IDLE;
    if (isKeyByte(b)) this.beginKey(b, 0, false);
    return false;
  }

  private beginKey(b: u32, carry: u64, carried: bool): void {
    const prev = this.prev;
    this.state = State.KEY;
    this.kwState = 0;
    this.groups = 0;
    this.negated = 0;
    this.carry = carry;
    this.carried = carried;
    this.keyQuoted = isQuote(prev);
    this.keyTagged = prev == Char.LT;
    // a type word reads as "_word", so negative suffixes ("_name", "_count") apply to it
    if (carried) this.keyByte(Char.UNDERSCORE);
    this.keyByte(b);
  }

  private keyByte(b: u32): void {
    const kw = this.kw;
    const s = kw.step(this.kwState, keyFold(b));
    this.kwState = s;
    this.suffixPos = 0;
    this.suffixNeg = 0;
    let node = unchecked(kw.outFirst[s]) != NO_NODE ? s : unchecked(kw.dictLink[s]);
    while (node != NO_NODE) {
      for (let e = unchecked(kw.outFirst[node]); e != NO_NODE; e = unchecked(kw.outNext[e])) {
        const k = unchecked(kw.outPattern[e]);
        const group = unchecked(this.kwGroup[k]);
        const flags = unchecked(this.kwFlags[k]);
        const bits = group == <i32>KW_ALL_GENERIC ? this.genericGroups : (<u64>1) << <u64>group;
        if (flags & KeywordFlag.NEGATIVE) {
          if (flags & KeywordFlag.SUFFIX) this.suffixNeg |= bits;
          else this.negated |= bits;
        } else if (flags & KeywordFlag.SUFFIX) this.suffixPos |= bits;
        else this.groups |= bits;
      }
      node = unchecked(kw.dictLink[node]);
    }
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
    if (b == Char.GT && this.keyTagged && !this.spaced) { // <password>value</password>
      this.state = State.PRE_VALUE;
      this.gap = 0;
      this.xml = true;
      this.needQuote = false;
      return false;
    }
    if (b == Char.COMMA && this.keyQuoted && this.closed) { // setProperty("TOKEN", "value")
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
      this.beginKey(b, this.keyGroups, true);
      return false;
    }
    return this.restart(b);
  }

  private preValue(b: u32, p: u32): bool {
    if (b == Char.SPACE || b == Char.TAB || (this.xml && (b == Char.LF || b == Char.CR))) {
      if (++this.gap > (this.xml ? MAX_XML_GAP : MAX_GAP)) this.state = State.IDLE;
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
    if (this.needQuote || endsBare(b) || b == Char.LPAREN || b == Char.LBRACKET || b == Char.LBRACE) return this.restart(b);
    this.state = State.BARE;
    this.start = p;
    this.head = <u64>(b - 0x41 < 26 ? b | 0x20 : b);
    return false;
  }

  private complete(end: u32, quoted: bool): bool {
    this.state = State.IDLE;
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
