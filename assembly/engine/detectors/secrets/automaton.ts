// Aho-Corasick automaton over bytes, built once from a list of literal patterns and
// stored as a complete DFA (failure links folded into the transition table), so one
// step is one table load whatever was read before. Used for the token anchors of every
// secret format at once ("ghp_", "xoxb-", "-----BEGIN RSA PRIVATE KEY-----", …) and for
// the keywords inside assignment keys ("password", "api_key", …).
//
// The table is read on every byte of text, so it is laid out for that:
// - a state is named by its ROW (state id × classes), and `next[row + class]` is the
//   next row: one load per byte, no multiply;
// - states are numbered by RANK (the highest rank of the patterns that end there,
//   through dictionary links; 0 = none), so "does anything end here?" is one compare
//   of the row against `rankRow[r]`, the first row of rank ≥ r.
// Per-state arrays (fail, depth, nodeFlags, outFirst, dictLink) are indexed by state id
// (row / classes), which only the rare paths compute.
//
// Memory: bytes that occur in no pattern share class 0, so the table is
// nodes × classes i32 (≈ 950 nodes × 71 classes for the built-in anchors).

export const NO_NODE: i32 = -1;

export class Automaton {
  /** byte → column; 0 for bytes in no pattern */
  classOf: StaticArray<u16> = new StaticArray<u16>(256);
  classes: i32 = 1;
  nodes: i32 = 1;
  /** [row + class] → next row (row = state id × classes; the root is row 0) */
  next: StaticArray<i32> = new StaticArray<i32>(0);
  /** rankRow[r]: first row whose state has rank ≥ r (rows of higher rank come later) */
  rankRow: StaticArray<i32> = new StaticArray<i32>(0);
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
  /** trie parent (the root's is 0) and the byte on the edge into the state */
  parent: StaticArray<i32> = new StaticArray<i32>(0);
  label: StaticArray<u8> = new StaticArray<u8>(0);

  /** ranks: per pattern, 1..maxRank (how urgent it is that the pattern ended here). */
  constructor(bytes: Array<u8>, offsets: Array<i32>, lengths: Array<i32>, flags: Array<u8>, ranks: Array<u8>, maxRank: i32) {
    const count = offsets.length;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const off = offsets[i];
      const len = lengths[i];
      total += len;
      for (let j = 0; j < len; j++) {
        const b = bytes[off + j];
        if (unchecked(this.classOf[b]) == 0) {
          unchecked((this.classOf[b] = <u16>this.classes));
          this.classes++;
        }
      }
    }
    const C = this.classes;
    const maxNodes = total + 1;
    const delta = new StaticArray<i32>(maxNodes * C);
    const fail = new StaticArray<i32>(maxNodes);
    const depth = new StaticArray<i32>(maxNodes);
    const nodeFlags = new StaticArray<u8>(maxNodes);
    const outFirst = new StaticArray<i32>(maxNodes);
    const dictLink = new StaticArray<i32>(maxNodes);
    const rank = new StaticArray<i32>(maxNodes);
    const parent = new StaticArray<i32>(maxNodes);
    const label = new StaticArray<u8>(maxNodes);
    this.outPattern = new StaticArray<i32>(max(count, 1));
    this.outNext = new StaticArray<i32>(max(count, 1));
    for (let i = 0; i < maxNodes * C; i++) unchecked((delta[i] = NO_NODE));
    for (let i = 0; i < maxNodes; i++) {
      unchecked((outFirst[i] = NO_NODE));
      unchecked((dictLink[i] = NO_NODE));
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
        let t = unchecked(delta[s * C + c]);
        if (t == NO_NODE) {
          t = this.nodes++;
          unchecked((delta[s * C + c] = t));
          unchecked((depth[t] = j + 1));
          unchecked((parent[t] = s));
          unchecked((label[t] = bytes[off + j]));
        }
        s = t;
        unchecked((nodeFlags[s] = unchecked(nodeFlags[s]) | f));
      }
      unchecked((this.outPattern[i] = i));
      unchecked((this.outNext[i] = unchecked(outFirst[s])));
      unchecked((outFirst[s] = i));
      const r = <i32>ranks[i];
      if (r > unchecked(rank[s])) unchecked((rank[s] = r));
    }

    // failure links in breadth-first order, completing each row from its failure row;
    // a state's rank is also that of its dictionary link (shallower: already final)
    const n = this.nodes;
    const queue = new StaticArray<i32>(n);
    let head = 0, tail = 0;
    for (let c = 0; c < C; c++) {
      const t = unchecked(delta[c]);
      if (t == NO_NODE) unchecked((delta[c] = 0));
      else { unchecked((fail[t] = 0)); unchecked((queue[tail++] = t)); }
    }
    while (head < tail) {
      const u = unchecked(queue[head++]);
      const fu = unchecked(fail[u]);
      for (let c = 0; c < C; c++) {
        const t = unchecked(delta[u * C + c]);
        const via = unchecked(delta[fu * C + c]);
        if (t == NO_NODE) {
          unchecked((delta[u * C + c] = via));
        } else {
          unchecked((fail[t] = via));
          const link = unchecked(outFirst[via]) != NO_NODE ? via : unchecked(dictLink[via]);
          unchecked((dictLink[t] = link));
          if (link != NO_NODE && unchecked(rank[link]) > unchecked(rank[t])) unchecked((rank[t] = unchecked(rank[link])));
          unchecked((queue[tail++] = t));
        }
      }
    }

    // renumber by rank (stable; the root, rank 0, stays 0) and premultiply the rows
    const id = new StaticArray<i32>(n);
    const rankRow = new StaticArray<i32>(maxRank + 2);
    let next = 0;
    for (let r = 0; r <= maxRank; r++) {
      unchecked((rankRow[r] = next * C));
      for (let s = 0; s < n; s++) if (unchecked(rank[s]) == r) unchecked((id[s] = next++));
    }
    unchecked((rankRow[maxRank + 1] = next * C));
    this.rankRow = rankRow;
    const table = new StaticArray<i32>(n * C);
    this.fail = new StaticArray<i32>(n);
    this.depth = new StaticArray<i32>(n);
    this.nodeFlags = new StaticArray<u8>(n);
    this.outFirst = new StaticArray<i32>(n);
    this.dictLink = new StaticArray<i32>(n);
    this.parent = new StaticArray<i32>(n);
    this.label = new StaticArray<u8>(n);
    for (let s = 0; s < n; s++) {
      unchecked((this.parent[unchecked(id[s])] = unchecked(id[unchecked(parent[s])])));
      unchecked((this.label[unchecked(id[s])] = unchecked(label[s])));
      const k = unchecked(id[s]);
      for (let c = 0; c < C; c++) unchecked((table[k * C + c] = unchecked(id[unchecked(delta[s * C + c])]) * C));
      unchecked((this.fail[k] = unchecked(id[unchecked(fail[s])])));
      unchecked((this.depth[k] = unchecked(depth[s])));
      unchecked((this.nodeFlags[k] = unchecked(nodeFlags[s])));
      unchecked((this.outFirst[k] = unchecked(outFirst[s])));
      const link = unchecked(dictLink[s]);
      unchecked((this.dictLink[k] = link == NO_NODE ? NO_NODE : unchecked(id[link])));
    }
    this.next = table;
  }

  // @ts-ignore: decorator
  @inline stateOf(row: i32): i32 {
    return row / this.classes;
  }
}
