// Aho-Corasick automaton over bytes, built once from a list of literal patterns and
// stored as a complete DFA (failure links folded into the transition table), so one
// step is one table load whatever was read before. Used for the token anchors of every
// secret format at once ("ghp_", "xoxb-", "-----BEGIN RSA PRIVATE KEY-----", …) and for
// the keywords inside assignment keys ("password", "api_key", …).
//
// Memory: bytes that occur in no pattern share class 0, so the table is
// nodes × classes i32 (≈ 1 200 nodes × 90 classes for the built-in anchors).

export const NO_NODE: i32 = -1;

export class Automaton {
  /** byte → column; 0 for bytes in no pattern */
  classOf: StaticArray<u8> = new StaticArray<u8>(256);
  classes: i32 = 1;
  nodes: i32 = 1;
  delta: StaticArray<i32> = new StaticArray<i32>(0);
  fail: StaticArray<i32> = new StaticArray<i32>(0);
  depth: StaticArray<i32> = new StaticArray<i32>(0);
  /** OR of the flags of every pattern through this node (a prefix of those patterns) */
  nodeFlags: StaticArray<u8> = new StaticArray<u8>(0);
  /** first output entry of patterns ending exactly here, or NO_NODE */
  outFirst: StaticArray<i32> = new StaticArray<i32>(0);
  /** nearest proper suffix state with outputs of its own, or NO_NODE */
  dictLink: StaticArray<i32> = new StaticArray<i32>(0);
  outPattern: StaticArray<i32> = new StaticArray<i32>(0);
  outNext: StaticArray<i32> = new StaticArray<i32>(0);

  constructor(bytes: Array<u8>, offsets: Array<i32>, lengths: Array<i32>, flags: Array<u8>) {
    const count = offsets.length;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const off = offsets[i];
      const len = lengths[i];
      total += len;
      for (let j = 0; j < len; j++) {
        const b = bytes[off + j];
        if (unchecked(this.classOf[b]) == 0) {
          unchecked((this.classOf[b] = <u8>this.classes));
          this.classes++;
        }
      }
    }
    const C = this.classes;
    const maxNodes = total + 1;
    this.delta = new StaticArray<i32>(maxNodes * C);
    this.fail = new StaticArray<i32>(maxNodes);
    this.depth = new StaticArray<i32>(maxNodes);
    this.nodeFlags = new StaticArray<u8>(maxNodes);
    this.outFirst = new StaticArray<i32>(maxNodes);
    this.dictLink = new StaticArray<i32>(maxNodes);
    this.outPattern = new StaticArray<i32>(max(count, 1));
    this.outNext = new StaticArray<i32>(max(count, 1));
    for (let i = 0; i < maxNodes * C; i++) unchecked((this.delta[i] = NO_NODE));
    for (let i = 0; i < maxNodes; i++) {
      unchecked((this.outFirst[i] = NO_NODE));
      unchecked((this.dictLink[i] = NO_NODE));
    }

    // trie
    for (let i = 0; i < count; i++) {
      const off = offsets[i];
      const len = lengths[i];
      if (len == 0) continue;
      const f = flags[i];
      let s = 0;
      for (let j = 0; j < len; j++) {
        const c = <i32>unchecked(this.classOf[bytes[off + j]]);
        let t = unchecked(this.delta[s * C + c]);
        if (t == NO_NODE) {
          t = this.nodes++;
          unchecked((this.delta[s * C + c] = t));
          unchecked((this.depth[t] = j + 1));
        }
        s = t;
        unchecked((this.nodeFlags[s] = unchecked(this.nodeFlags[s]) | f));
      }
      unchecked((this.outPattern[i] = i));
      unchecked((this.outNext[i] = unchecked(this.outFirst[s])));
      unchecked((this.outFirst[s] = i));
    }

    // failure links in breadth-first order, completing each row from its failure row
    const queue = new StaticArray<i32>(this.nodes);
    let head = 0, tail = 0;
    for (let c = 0; c < C; c++) {
      const t = unchecked(this.delta[c]);
      if (t == NO_NODE) unchecked((this.delta[c] = 0));
      else { unchecked((this.fail[t] = 0)); unchecked((queue[tail++] = t)); }
    }
    while (head < tail) {
      const u = unchecked(queue[head++]);
      const fu = unchecked(this.fail[u]);
      for (let c = 0; c < C; c++) {
        const t = unchecked(this.delta[u * C + c]);
        const via = unchecked(this.delta[fu * C + c]);
        if (t == NO_NODE) {
          unchecked((this.delta[u * C + c] = via));
        } else {
          unchecked((this.fail[t] = via));
          unchecked((this.dictLink[t] = unchecked(this.outFirst[via]) != NO_NODE ? via : unchecked(this.dictLink[via])));
          unchecked((queue[tail++] = t));
        }
      }
    }
  }

  // @ts-ignore: decorator
  @inline step(state: i32, b: u32): i32 {
    return unchecked(this.delta[state * this.classes + <i32>unchecked(this.classOf[b])]);
  }
}
