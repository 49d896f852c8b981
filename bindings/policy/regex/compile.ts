// Regex IR → byte-level Thompson NFA (the program the Pike VM in
// assembly/engine/regex/regex_set.ts runs). Built backwards in continuation-passing
// style: node(n, next) returns the entry of n's fragment, whose exits all lead to
// `next`. Counted repetition is expanded into copies, so the size is checked as
// instructions are emitted, and a pattern past MAX_PROGRAM_STATES is rejected before
// the expansion can run away (a{1000}{1000} stops at the 10,001st instruction).
import { RegexCompileError, RegexErrorCode } from "./errors.ts";
import type { RegexNode } from "./parse.ts";
import { MAX_PROGRAM_STATES, OP_ASSERT, OP_CONSUME, OP_JMP, OP_MATCH, OP_SPLIT } from "./program.ts";
import { utf8Sequences, type ByteSeq } from "./utf8.ts";

/** A set of bytes: 8 words of 32 bits. */
export type ByteSet = number[];

export type Inst =
  | { op: typeof OP_CONSUME; set: ByteSet; next: number }
  | { op: typeof OP_SPLIT; x: number; y: number }
  | { op: typeof OP_JMP; next: number }
  | { op: typeof OP_ASSERT; kind: number; next: number }
  | { op: typeof OP_MATCH };

export interface PatternProgram {
  insts: Inst[];
  start: number;
}

function byteSet(lo: number, hi: number): ByteSet {
  const s = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let b = lo; b <= hi; b++) s[b >> 5] |= 1 << (b & 31);
  return s;
}

const setKey = (s: ByteSet) => s.join(",");
const orSet = (a: ByteSet, b: ByteSet): ByteSet => a.map((w, i) => w | b[i]);

/**
 * UTF-8 sequences of a code point set, compressed: one-byte sequences are one set, and
 * sequences that differ only in their lead byte share a tail ([E1-EC][80-BF][80-BF] and
 * [EE-EF][80-BF][80-BF] become {E1-EC,EE-EF}[80-BF][80-BF]).
 */
function setSequences(seqs: ByteSeq[]): ByteSet[][] {
  const byTail = new Map<string, ByteSet[]>();
  for (const seq of seqs) {
    const tail = seq.slice(1);
    const key = JSON.stringify(tail);
    const head = byteSet(seq[0][0], seq[0][1]);
    const cur = byTail.get(key);
    if (cur) cur[0] = orSet(cur[0], head);
    else byTail.set(key, [head, ...tail.map(([lo, hi]) => byteSet(lo, hi))]);
  }
  return [...byTail.values()];
}

class Builder {
  insts: Inst[] = [];
  /** offsets of the quantifiers being expanded, outermost first */
  private quant: number[] = [];

  emit(inst: Inst): number {
    if (this.insts.length >= MAX_PROGRAM_STATES) {
      throw new RegexCompileError(RegexErrorCode.TOO_LARGE, this.quant[0] ?? 0,
        `the compiled pattern exceeds ${MAX_PROGRAM_STATES} states (counted repetition is expanded)`);
    }
    this.insts.push(inst);
    return this.insts.length - 1;
  }

  split(x: number, y: number): number {
    return this.emit({ op: OP_SPLIT, x, y });
  }

  node(n: RegexNode, next: number): number {
    switch (n.t) {
      case "set": {
        const seqs = setSequences(utf8Sequences(n.set));
        // An empty set (e.g. [^\s\S]) can never match: a consume of no byte.
        if (seqs.length === 0) return this.emit({ op: OP_CONSUME, set: byteSet(1, 0), next });
        const entries = seqs.map((seq) => {
          let c = next;
          for (let j = seq.length - 1; j >= 0; j--) c = this.emit({ op: OP_CONSUME, set: seq[j], next: c });
          return c;
        });
        return this.chain(entries);
      }
      case "cat": {
        let c = next;
        for (let k = n.items.length - 1; k >= 0; k--) c = this.node(n.items[k], c);
        return c;
      }
      case "alt":
        return this.chain(n.items.map((it) => this.node(it, next)));
      case "assert":
        return this.emit({ op: OP_ASSERT, kind: n.kind, next });
      case "rep": {
        this.quant.push(n.offset);
        let c = next;
        let mandatory = n.min;
        if (n.max === Infinity) {
          // x{min,}: the last mandatory copy loops on itself (x+), or x* when min = 0
          const loop = this.split(-1, next);
          const body = this.node(n.node, loop);
          (this.insts[loop] as { x: number }).x = body;
          if (mandatory > 0) {
            c = body;
            mandatory--;
          } else c = loop;
        } else {
          // x{min,max}: max-min nested optional copies (x(x(x)?)?)?
          for (let k = 0; k < n.max - n.min; k++) c = this.split(this.node(n.node, c), next);
        }
        for (let k = 0; k < mandatory; k++) c = this.node(n.node, c);
        this.quant.pop();
        return c;
      }
    }
  }

  /** Alternation of entries as a chain of splits. */
  private chain(entries: number[]): number {
    let c = entries[entries.length - 1];
    for (let k = entries.length - 2; k >= 0; k--) c = this.split(entries[k], c);
    return c;
  }
}

/** Compiles one pattern's IR; instruction targets are local (0-based). */
export function compilePattern(ir: RegexNode): PatternProgram {
  const b = new Builder();
  const match = b.emit({ op: OP_MATCH });
  const start = b.node(ir, match);
  return { insts: b.insts, start };
}

/** The bytes that the first consumed byte of a match can be (assertions assumed to pass). */
export function firstBytes(p: PatternProgram): ByteSet {
  let acc: ByteSet = [0, 0, 0, 0, 0, 0, 0, 0];
  const seen = new Set<number>();
  const stack = [p.start];
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const i = p.insts[pc];
    switch (i.op) {
      case OP_CONSUME: acc = orSet(acc, i.set); break;
      case OP_SPLIT: stack.push(i.x, i.y); break;
      case OP_JMP: case OP_ASSERT: stack.push(i.next); break;
    }
  }
  return acc;
}

export { setKey };
