// Path patterns: which values of a JSON document are text channels.
//
// A pattern is a dotted path of segments, e.g. "choices.*.delta.content". A segment is
// an object key, or `*`, which matches any array index or any key. `\.`, `\*` and `\\`
// write a literal dot, star or backslash inside a key. Patterns are given as text (one
// per line to parse(), or one to add()), so the TypeScript side compiles a list of them
// with paths.join("\n") and AssemblyScript callers write them as string constants.
//
// Each pattern gets the next id (0, 1, …). The scanner keeps, per open container, the
// bit set of patterns whose leading segments match the path so far; these per-level
// masks make a step down one key a few AND operations plus one compare per candidate key.
import { Char } from "./json_chars";
import { JsonStatus } from "./json_status";

/** At most this many patterns (one bit each in a u32 mask). */
export const MAX_PATHS: i32 = 32;
/** At most this many segments in a pattern; deeper values never match. */
export const MAX_SEGMENTS: i32 = 16;

/**
 * A set of path patterns.
 *
 * ```ts
 * const paths = new JsonPaths();
 * const content = paths.add("choices.*.delta.content");           // 0
 * const args = paths.add("choices.*.delta.tool_calls.*.function.arguments"); // 1
 * ```
 */
export class JsonPaths {
  /** Number of patterns. */
  count: i32 = 0;
  /** Bit i is set for every pattern id i. */
  all: u32 = 0;
  // key bytes of every key segment, unescaped, back to back
  private keys: StaticArray<u8> = new StaticArray<u8>(256);
  private keysLen: i32 = 0;
  // per (pattern, segment): offset and length of its key in `keys`
  private segStart: StaticArray<u32> = new StaticArray<u32>(MAX_PATHS * MAX_SEGMENTS);
  private segLen: StaticArray<u32> = new StaticArray<u32>(MAX_PATHS * MAX_SEGMENTS);
  // per level L: patterns with `*` at segment L, with a key at segment L, with exactly L segments
  private wild: StaticArray<u32> = new StaticArray<u32>(MAX_SEGMENTS);
  private keyed: StaticArray<u32> = new StaticArray<u32>(MAX_SEGMENTS);
  private ends: StaticArray<u32> = new StaticArray<u32>(MAX_SEGMENTS + 1);

  /** Adds one pattern; returns its id, or a negated JsonStatus (BAD_PATH, TOO_MANY_PATHS). */
  add(path: string): i32 {
    const b = String.UTF8.encode(path);
    return this.addUtf8(changetype<usize>(b), <usize>b.byteLength);
  }

  /** add() for a pattern given as UTF-8 bytes [p, p + n). */
  addUtf8(p: usize, n: usize): i32 {
    if (this.count >= MAX_PATHS) return -JsonStatus.TOO_MANY_PATHS;
    const id = this.count;
    const keysBefore = this.keysLen;
    const end = p + n;
    let q = p;
    let segs = 0;
    while (true) {
      // one segment: [q, next unescaped dot or end)
      if (segs >= MAX_SEGMENTS) return this.undo(id, keysBefore);
      const start = this.keysLen;
      let escaped = false;
      while (q < end) {
        let c = <u32>load<u8>(q);
        if (c == Char.DOT) break;
        if (c == Char.BACKSLASH) {
          if (q + 1 >= end) return this.undo(id, keysBefore);
          c = <u32>load<u8>(q, 1);
          if (c != Char.DOT && c != Char.STAR && c != Char.BACKSLASH) return this.undo(id, keysBefore);
          escaped = true;
          q++;
        }
        this.keyByte(c);
        q++;
      }
      const len = this.keysLen - start;
      if (len == 0) return this.undo(id, keysBefore);
      const slot = id * MAX_SEGMENTS + segs;
      if (len == 1 && !escaped && load<u8>(changetype<usize>(this.keys) + <usize>start) == Char.STAR) {
        this.keysLen = start;
        unchecked((this.wild[segs] |= <u32>1 << id));
        unchecked((this.segLen[slot] = 0));
      } else {
        unchecked((this.keyed[segs] |= <u32>1 << id));
        unchecked((this.segStart[slot] = <u32>start));
        unchecked((this.segLen[slot] = <u32>len));
      }
      segs++;
      if (q >= end) break;
      q++; // the dot
      if (q >= end) return this.undo(id, keysBefore); // trailing dot: empty last segment
    }
    unchecked((this.ends[segs] |= <u32>1 << id));
    this.all |= <u32>1 << id;
    this.count++;
    return id;
  }

  /** Adds one pattern per line of [p, p + n) (LF or CRLF; blank lines skipped). */
  parse(p: usize, n: usize): JsonStatus {
    const end = p + n;
    let q = p;
    while (q < end) {
      let e = q;
      while (e < end && load<u8>(e) != Char.LF) e++;
      let last = e;
      if (last > q && load<u8>(last - 1) == Char.CR) last--;
      if (last > q) {
        const id = this.addUtf8(q, last - q);
        if (id < 0) return <JsonStatus>(-id);
      }
      q = e + 1;
    }
    return JsonStatus.OK;
  }

  /** Patterns whose segment `level` is `*`. */
  // @ts-ignore: decorator
  @inline wildAt(level: i32): u32 { return level < MAX_SEGMENTS ? unchecked(this.wild[level]) : 0; }
  /** Patterns whose segment `level` is a key. */
  // @ts-ignore: decorator
  @inline keyedAt(level: i32): u32 { return level < MAX_SEGMENTS ? unchecked(this.keyed[level]) : 0; }
  /** Patterns with exactly `level` segments: they match values at that depth. */
  // @ts-ignore: decorator
  @inline endsAt(level: i32): u32 { return level <= MAX_SEGMENTS ? unchecked(this.ends[level]) : 0; }

  /** Whether pattern `id`'s key at segment `level` equals the bytes [k, k + kn). */
  keyIs(id: i32, level: i32, k: usize, kn: usize): bool {
    const slot = id * MAX_SEGMENTS + level;
    const len = <usize>unchecked(this.segLen[slot]);
    if (len != kn) return false;
    return memory.compare(changetype<usize>(this.keys) + <usize>unchecked(this.segStart[slot]), k, kn) == 0;
  }

  private keyByte(c: u32): void {
    if (this.keysLen == this.keys.length) {
      const next = new StaticArray<u8>(this.keys.length << 1);
      memory.copy(changetype<usize>(next), changetype<usize>(this.keys), <usize>this.keysLen);
      this.keys = next;
    }
    unchecked((this.keys[this.keysLen++] = <u8>c));
  }

  /** A bad pattern leaves the set as it was: its id is reused by the next add(). */
  private undo(id: i32, keysBefore: i32): i32 {
    const keep = ~(<u32>1 << id);
    for (let l = 0; l < MAX_SEGMENTS; l++) {
      unchecked((this.wild[l] &= keep));
      unchecked((this.keyed[l] &= keep));
    }
    this.keysLen = keysBefore;
    return -JsonStatus.BAD_PATH;
  }
}
