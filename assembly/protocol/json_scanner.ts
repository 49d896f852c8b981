// Finds the values at given paths in one JSON document (RFC 8259) and validates it.
//
// One pass, no recursion, no allocation per byte: open containers live in fixed arrays
// sized by maxDepth; the only growth is the match list (doubling, bounded by maxMatches)
// and a scratch buffer for object keys that contain escapes. Work is linear in the
// document plus, per object key, one compare per pattern still alive at that level.
//
// For each scalar value whose path matches a pattern (JsonPaths) it records the pattern
// id, the value's kind, its byte span in the payload (a string's span includes its
// quotes, so it can be replaced whole) and the indexes of the outermost MAX_INDEXES
// arrays on the way (choices[i], tool_calls[j], …), which tell channels apart.
// Matches are in document order; a value that several patterns match is reported once
// per pattern, in id order. Objects and arrays themselves are never reported.
//
// Every malformed input gives a JsonStatus and the offset of the offending byte (for
// TRUNCATED: the payload length); matches found before the error are kept but the
// caller must not trust a document that failed. Duplicate keys are all reported
// (RFC 8259 §4 leaves them undefined; a guardrail must see every copy).
import { Char, isDigit, hexValue, skipSpace, utf8Step } from "./json_chars";
import { JsonPaths } from "./json_paths";
import { JsonStatus } from "./json_status";
import { JsonOut } from "./json_out";
import { JsonStringDecoder } from "./json_decode";
import { seqLength } from "../engine/utf8";

/** Kind of a matched value. */
export const enum JsonKind {
  STRING = 1,
  NUMBER = 2,
  TRUE = 3,
  FALSE = 4,
  NULL = 5,
}

/** How many array indexes (the outermost ones) a match carries. */
export const MAX_INDEXES: i32 = 4;
/** "No such match / index". */
export const JSON_NONE: u32 = 0xffffffff;

// Match record, M_FIELDS u32 words: [id | kind << 8 | indexCount << 16, start, end, index 0..3, unused]
const M_FIELDS: i32 = 8;

const TRUE_BYTES = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);        // "true"
const FALSE_BYTES = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]); // "false"
const NULL_BYTES = memory.data<u8>([0x6e, 0x75, 0x6c, 0x6c]);        // "null"

/**
 * Scanner for one set of paths; reuse it for every document of a stream.
 *
 * ```ts
 * const paths = new JsonPaths();
 * paths.add("choices.*.delta.content");
 * const s = new JsonScanner(paths);
 * if (s.scan(ptr, len) == JsonStatus.OK) {
 *   for (let i = 0; i < s.count; i++) {
 *     // s.pathId(i), s.kind(i), s.start(i), s.end(i), s.index(i, 0) (the choice index)
 *   }
 * }
 * ```
 */
export class JsonScanner {
  /** Status of the last scan. */
  status: JsonStatus = JsonStatus.OK;
  /** Offset of the byte where the last scan failed (0 when it did not). */
  errorAt: u32 = 0;
  /** Matches found by the last scan. */
  count: i32 = 0;
  /** The last scan fails with TOO_MANY_MATCHES rather than record more than this. */
  maxMatches: i32 = 65536;
  /** Containers may nest this deep; one more gives DEPTH_EXCEEDED. */
  readonly maxDepth: i32;
  readonly paths: JsonPaths;

  // open containers, outermost first
  private frameIsArray: StaticArray<bool>;
  private frameMask: StaticArray<u32>;   // patterns alive at the container
  private frameIndex: StaticArray<u32>;  // arrays: index of the current element
  private arrayLevels: StaticArray<i32>; // levels of the open arrays, outermost first
  private arrays: i32 = 0;
  private matches: StaticArray<u32> = new StaticArray<u32>(16 * M_FIELDS);
  private base: usize = 0;
  // set by string(): whether the last string had a backslash
  private escaped: bool = false;
  // set by member(): patterns alive at the member's value
  private nextMask: u32 = 0;
  // decoded text of a key with escapes ("cont\u0065nt" is the key content)
  private keyText: JsonOut = new JsonOut(64);
  private keyDecoder: JsonStringDecoder = new JsonStringDecoder();

  constructor(paths: JsonPaths, maxDepth: i32 = 64) {
    if (maxDepth < 1) maxDepth = 1;
    this.paths = paths;
    this.maxDepth = maxDepth;
    this.frameIsArray = new StaticArray<bool>(maxDepth);
    this.frameMask = new StaticArray<u32>(maxDepth);
    this.frameIndex = new StaticArray<u32>(maxDepth);
    this.arrayLevels = new StaticArray<i32>(maxDepth);
  }

  /** Scans the document [p, p + n); returns (and keeps in `status`) the outcome. */
  scan(p: usize, n: usize): JsonStatus {
    this.status = JsonStatus.OK;
    this.errorAt = 0;
    this.count = 0;
    this.arrays = 0;
    this.base = p;
    const paths = this.paths;
    const end = p + n;
    let depth = 0;          // open containers = level of the next value
    let mask = paths.all;   // patterns alive at the next value
    let q = skipSpace(p, end);
    while (true) {
      // ---- one value at level `depth`
      if (q >= end) return this.fail(JsonStatus.TRUNCATED, q);
      const c = <u32>load<u8>(q);
      if (c == Char.LBRACE || c == Char.LBRACKET) {
        if (depth >= this.maxDepth) return this.fail(JsonStatus.DEPTH_EXCEEDED, q);
        const isArray = c == Char.LBRACKET;
        unchecked((this.frameIsArray[depth] = isArray));
        unchecked((this.frameMask[depth] = mask));
        unchecked((this.frameIndex[depth] = 0));
        if (isArray) unchecked((this.arrayLevels[this.arrays++] = depth));
        depth++;
        q = skipSpace(q + 1, end);
        if (q >= end) return this.fail(JsonStatus.TRUNCATED, q);
        const d = <u32>load<u8>(q);
        if (d != (isArray ? Char.RBRACKET : Char.RBRACE)) {
          // first element or member: go parse its value
          if (isArray) {
            mask &= paths.wildAt(depth - 1);
          } else {
            q = this.member(q, end, depth - 1, mask);
            if (this.status) return this.status;
            mask = this.nextMask;
          }
          continue;
        }
        // empty container
        depth--;
        if (isArray) this.arrays--;
        q++;
      } else {
        const start = q;
        let kind = JsonKind.STRING;
        if (c == Char.QUOTE) {
          q = this.string(q, end);
        } else if (c == Char.MINUS || isDigit(c)) {
          q = this.number(q, end);
          kind = JsonKind.NUMBER;
        } else if (c == Char.LOWER_T) {
          q = this.literal(q, end, TRUE_BYTES, 4);
          kind = JsonKind.TRUE;
        } else if (c == Char.LOWER_F) {
          q = this.literal(q, end, FALSE_BYTES, 5);
          kind = JsonKind.FALSE;
        } else if (c == Char.LOWER_N) {
          q = this.literal(q, end, NULL_BYTES, 4);
          kind = JsonKind.NULL;
        } else {
          return this.fail(JsonStatus.SYNTAX, q);
        }
        if (this.status) return this.status;
        const hits = mask & paths.endsAt(depth);
        if (hits && !this.report(hits, kind, start, q)) return this.status;
      }
      // ---- after a value: commas and closing brackets until the next value
      q = skipSpace(q, end);
      while (true) {
        if (depth == 0) return q == end ? JsonStatus.OK : this.fail(JsonStatus.TRAILING_DATA, q);
        if (q >= end) return this.fail(JsonStatus.TRUNCATED, q);
        const d = <u32>load<u8>(q);
        const top = depth - 1;
        const isArray = unchecked(this.frameIsArray[top]);
        if (d == Char.COMMA) {
          q = skipSpace(q + 1, end);
          if (isArray) {
            unchecked((this.frameIndex[top] += 1));
            mask = unchecked(this.frameMask[top]) & paths.wildAt(top);
          } else {
            q = this.member(q, end, top, unchecked(this.frameMask[top]));
            if (this.status) return this.status;
            mask = this.nextMask;
          }
          break;
        }
        if (d != (isArray ? Char.RBRACKET : Char.RBRACE)) return this.fail(JsonStatus.SYNTAX, q);
        depth--;
        if (isArray) this.arrays--;
        q = skipSpace(q + 1, end);
      }
    }
  }

  /** Pattern id of match i (JSON_NONE when there is no match i). */
  pathId(i: i32): u32 { return this.ok(i) ? this.word(i, 0) & 0xff : JSON_NONE; }
  /** JsonKind of match i (0 when there is no match i). */
  kind(i: i32): u32 { return this.ok(i) ? (this.word(i, 0) >> 8) & 0xff : 0; }
  /** Offset of the first byte of match i's value (a string's opening quote). */
  start(i: i32): u32 { return this.ok(i) ? this.word(i, 1) : JSON_NONE; }
  /** Offset just past match i's value (past a string's closing quote). */
  end(i: i32): u32 { return this.ok(i) ? this.word(i, 2) : JSON_NONE; }
  /** How many array indexes match i carries: the open arrays on its path, at most MAX_INDEXES. */
  indexCount(i: i32): i32 { return this.ok(i) ? <i32>(this.word(i, 0) >> 16) : 0; }
  /** Index in the k-th array (outermost first) on match i's path, or JSON_NONE. */
  index(i: i32, k: i32): u32 {
    return this.ok(i) && <u32>k < <u32>this.indexCount(i) ? this.word(i, 3 + k) : JSON_NONE;
  }

  // @ts-ignore: decorator
  @inline private ok(i: i32): bool { return <u32>i < <u32>this.count; }
  // @ts-ignore: decorator
  @inline private word(i: i32, f: i32): u32 { return unchecked(this.matches[i * M_FIELDS + f]); }

  private fail(status: JsonStatus, q: usize): JsonStatus {
    this.status = status;
    this.errorAt = <u32>(q - this.base);
    return status;
  }

  /** An object member at q: key, colon; sets nextMask for its value, returns the value's position. */
  private member(q: usize, end: usize, level: i32, alive: u32): usize {
    if (q >= end) { this.fail(JsonStatus.TRUNCATED, q); return q; }
    if (load<u8>(q) != Char.QUOTE) { this.fail(JsonStatus.SYNTAX, q); return q; }
    const k = q + 1;
    q = this.string(q, end);
    if (this.status) return q;
    this.nextMask = this.keyMask(level, k, q - 1 - k, alive);
    q = skipSpace(q, end);
    if (q >= end) { this.fail(JsonStatus.TRUNCATED, q); return q; }
    if (load<u8>(q) != Char.COLON) { this.fail(JsonStatus.SYNTAX, q); return q; }
    return skipSpace(q + 1, end);
  }

  /** Patterns alive at the value of key [k, k + kn) in a container at `level`. */
  private keyMask(level: i32, k: usize, kn: usize, alive: u32): u32 {
    const paths = this.paths;
    let m = alive & paths.wildAt(level);
    let cand = alive & paths.keyedAt(level);
    if (!cand) return m;
    if (this.escaped) {
      // compare decoded keys: "cont\u0065nt" must not hide "content"
      const t = this.keyText;
      t.reset();
      this.keyDecoder.reset();
      this.keyDecoder.decode(k, kn, t); // validated by string() already
      this.keyDecoder.finish(t);
      k = t.ptr;
      kn = <usize>t.len;
    }
    while (cand) {
      const id = <i32>ctz(cand);
      cand &= cand - 1;
      if (paths.keyIs(id, level, k, kn)) m |= <u32>1 << id;
    }
    return m;
  }

  /** A string at q (its opening quote); returns the position past its closing quote. */
  private string(q: usize, end: usize): usize {
    let escaped = false;
    q++;
    while (q < end) {
      const c = <u32>load<u8>(q);
      if (c >= 0x20 && c < 0x80) {
        if (c == Char.QUOTE) {
          this.escaped = escaped;
          return q + 1;
        }
        if (c != Char.BACKSLASH) { q++; continue; }
        // RFC 8259 §7: \" \\ \/ \b \f \n \r \t or \u and four hex digits
        escaped = true;
        if (q + 1 >= end) break;
        const e = <u32>load<u8>(q, 1);
        if (e == Char.LOWER_U) {
          for (let i: usize = 2; i < 6; i++) {
            if (q + i >= end) { this.fail(JsonStatus.TRUNCATED, end); return end; }
            if (hexValue(load<u8>(q + i)) < 0) { this.fail(JsonStatus.BAD_ESCAPE, q); return end; }
          }
          q += 6;
        } else if (e == Char.QUOTE || e == Char.BACKSLASH || e == Char.SLASH || e == Char.LOWER_B ||
                   e == Char.LOWER_F || e == Char.LOWER_N || e == Char.LOWER_R || e == Char.LOWER_T) {
          q += 2;
        } else {
          this.fail(JsonStatus.BAD_ESCAPE, q);
          return end;
        }
        continue;
      }
      if (c < 0x20) { this.fail(JsonStatus.CONTROL_CHAR, q); return end; }
      const k = utf8Step(q, end);
      if (k < 0) {
        // a well-begun sequence cut by the end of the document is truncation, not bad UTF-8
        const cut = q + <usize>(-k) >= end && seqLength(c) > -k;
        if (cut) this.fail(JsonStatus.TRUNCATED, end);
        else this.fail(JsonStatus.BAD_UTF8, q);
        return end;
      }
      q += <usize>k;
    }
    this.fail(JsonStatus.TRUNCATED, end);
    return end;
  }

  /** A number at q (RFC 8259 §6); returns the position past it. */
  private number(q: usize, end: usize): usize {
    if (load<u8>(q) == Char.MINUS) q++;
    if (q >= end) { this.fail(JsonStatus.TRUNCATED, q); return q; }
    let c = <u32>load<u8>(q);
    if (c == Char.ZERO) {
      q++;
    } else if (c - Char.ONE < 9) {
      q++;
      while (q < end && isDigit(load<u8>(q))) q++;
    } else {
      this.fail(JsonStatus.BAD_NUMBER, q);
      return q;
    }
    if (q < end && load<u8>(q) == Char.DOT) {
      q = this.digits(q + 1, end);
      if (this.status) return q;
    }
    if (q < end && (load<u8>(q) | 0x20) == Char.LOWER_E) {
      q++;
      if (q < end && (load<u8>(q) == Char.PLUS || load<u8>(q) == Char.MINUS)) q++;
      q = this.digits(q, end);
    }
    return q;
  }

  /** One or more digits at q. */
  private digits(q: usize, end: usize): usize {
    if (q >= end) { this.fail(JsonStatus.TRUNCATED, q); return q; }
    if (!isDigit(load<u8>(q))) { this.fail(JsonStatus.BAD_NUMBER, q); return q; }
    while (q < end && isDigit(load<u8>(q))) q++;
    return q;
  }

  /** The literal [lit, lit + len) at q. */
  private literal(q: usize, end: usize, lit: usize, len: usize): usize {
    for (let i: usize = 0; i < len; i++) {
      if (q + i >= end) { this.fail(JsonStatus.TRUNCATED, end); return end; }
      if (load<u8>(q + i) != load<u8>(lit + i)) { this.fail(JsonStatus.SYNTAX, q + i); return end; }
    }
    return q + len;
  }

  /** Records one match per pattern in `hits`; false (status set) when maxMatches is reached. */
  private report(hits: u32, kind: JsonKind, start: usize, stop: usize): bool {
    const ni = this.arrays < MAX_INDEXES ? this.arrays : MAX_INDEXES;
    while (hits) {
      if (this.count >= this.maxMatches) {
        this.fail(JsonStatus.TOO_MANY_MATCHES, start);
        return false;
      }
      const id = ctz(hits);
      hits &= hits - 1;
      const o = this.count * M_FIELDS;
      if (o + M_FIELDS > this.matches.length) {
        const next = new StaticArray<u32>(this.matches.length << 1);
        memory.copy(changetype<usize>(next), changetype<usize>(this.matches), <usize>this.matches.length << 2);
        this.matches = next;
      }
      const m = this.matches;
      unchecked((m[o] = id | (<u32>kind << 8) | (<u32>ni << 16)));
      unchecked((m[o + 1] = <u32>(start - this.base)));
      unchecked((m[o + 2] = <u32>(stop - this.base)));
      for (let k = 0; k < ni; k++) {
        unchecked((m[o + 3 + k] = this.frameIndex[this.arrayLevels[k]]));
      }
      this.count++;
    }
    return true;
  }
}
