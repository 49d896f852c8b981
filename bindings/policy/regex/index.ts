// The regex section of a compiled policy: every pattern of a policy compiled into one
// program that the engine's RegexSet (assembly/engine/regex/regex_set.ts) runs in a
// single linear-time pass. The layout is drawn in assembly/engine/regex/program.ts.
import { compilePattern, firstBytes, setKey, type ByteSet, type PatternProgram } from "./compile.ts";
import { RegexCompileError, RegexErrorCode } from "./errors.ts";
import { nullable, parseRegex } from "./parse.ts";
import {
  HEADER_WORDS, MAX_SECTION_STATES, OP_ASSERT, OP_CONSUME, OP_JMP, OP_MATCH, OP_SPLIT, REGEX_MAGIC, REGEX_VERSION,
} from "./program.ts";

export { RegexCompileError, RegexErrorCode } from "./errors.ts";
export type { RegexErrorCodeName } from "./errors.ts";

/** One user pattern: ECMAScript source and flags (subset: docs/regex.md), and what a match reports. */
export interface RegexSpec {
  source: string;
  flags: string;
  /** policy entity type id reported with each match */
  typeId: number;
  /** score reported with each match (0..1) */
  score: number;
}

/**
 * Checks that one pattern compiles (without building a section); throws RegexCompileError.
 * @example
 * checkRegex("\\bPROJ-\\d{4}\\b", "i"); // ok
 * checkRegex("a*", "");                 // throws WL_REGEX_EMPTY
 */
export function checkRegex(source: string, flags: string): void {
  compileSpec(source, flags);
}

function compileSpec(source: string, flags: string): PatternProgram {
  const ir = parseRegex(source, flags);
  if (nullable(ir)) {
    throw new RegexCompileError(RegexErrorCode.EMPTY, 0, "the pattern can match the empty string");
  }
  return compilePattern(ir);
}

/**
 * Compiles the patterns into the REGEX (or REGEX_WORDS) section bytes. Throws
 * RegexCompileError with `.index` = the position of the failing spec.
 * @example
 * const bytes = encodeRegexSection([
 *   { source: "\\bACME-\\d{4,6}\\b", flags: "i", typeId: 7, score: 0.9 },
 *   { source: "ignore (all )?previous instructions", flags: "i", typeId: 8, score: 0.6 },
 * ]);
 */
export function encodeRegexSection(specs: RegexSpec[]): Uint8Array {
  const progs = specs.map((spec, index) => {
    try {
      return compileSpec(spec.source, spec.flags);
    } catch (e) {
      if (e instanceof RegexCompileError) e.index = index;
      throw e;
    }
  });

  // Lay the patterns out one after the other; pattern p owns [base_p, base_p+1).
  const bases: number[] = [];
  let total = 0;
  for (const p of progs) {
    bases.push(total);
    total += p.insts.length;
  }
  if (total > MAX_SECTION_STATES) {
    const err = new RegexCompileError(RegexErrorCode.TOO_LARGE, 0, `the patterns together exceed ${MAX_SECTION_STATES} states`);
    err.index = specs.length - 1;
    throw err;
  }

  // Byte classes: bytes that no set (and no pattern's first-byte set) tells apart.
  const firsts = progs.map(firstBytes);
  const sets = new Map<string, ByteSet>();
  for (const p of progs) for (const i of p.insts) if (i.op === OP_CONSUME) sets.set(setKey(i.set), i.set);
  for (const f of firsts) sets.set(setKey(f), f);
  const setList = [...sets.values()];
  const classOf = new Uint8Array(256);
  const rep: number[] = []; // a representative byte of each class
  const bySig = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    let sig = "";
    for (const s of setList) sig += (s[b >> 5] >>> (b & 31)) & 1;
    let c = bySig.get(sig);
    if (c === undefined) {
      c = rep.length;
      bySig.set(sig, c);
      rep.push(b);
    }
    classOf[b] = c;
  }
  const nClasses = rep.length;
  const setWords = (nClasses + 31) >> 5;
  const setOffset = new Map<string, number>();
  const setTable: number[] = [];
  for (const [key, s] of sets) {
    setOffset.set(key, setTable.length);
    const words = new Array<number>(setWords).fill(0);
    for (let c = 0; c < nClasses; c++) if ((s[rep[c] >> 5] >>> (rep[c] & 31)) & 1) words[c >> 5] |= 1 << (c & 31);
    setTable.push(...words);
  }

  // Which patterns can start with each class (CSR lists).
  const startIndex: number[] = [0];
  const startList: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    firsts.forEach((f, p) => {
      if ((f[rep[c] >> 5] >>> (rep[c] & 31)) & 1) startList.push(p);
    });
    startIndex.push(startList.length);
  }

  const words: number[] = [
    REGEX_MAGIC, REGEX_VERSION, progs.length, total, nClasses, setWords, setTable.length, startList.length, 0,
  ];
  if (words.length !== HEADER_WORDS) throw new Error("regex section header out of step with program.ts");
  for (let k = 0; k < 256; k += 4) {
    words.push(classOf[k] | (classOf[k + 1] << 8) | (classOf[k + 2] << 16) | (classOf[k + 3] << 24));
  }
  words.push(...startIndex, ...startList);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  progs.forEach((p, k) => {
    f32[0] = specs[k].score;
    words.push(bases[k], bases[k] + p.start, setOffset.get(setKey(firsts[k]))!, specs[k].typeId >>> 0, u32[0]);
  });
  words.push(...setTable);
  progs.forEach((p, k) => {
    const base = bases[k];
    for (const i of p.insts) {
      switch (i.op) {
        case OP_CONSUME: words.push(OP_CONSUME | (setOffset.get(setKey(i.set))! << 4), i.next + base); break;
        case OP_SPLIT: words.push(OP_SPLIT | ((i.x + base) << 4), i.y + base); break;
        case OP_JMP: words.push(OP_JMP, i.next + base); break;
        case OP_ASSERT: words.push(OP_ASSERT | (i.kind << 4), i.next + base); break;
        case OP_MATCH: words.push(OP_MATCH | (k << 4), 0); break;
      }
    }
  });
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (let k = 0; k < words.length; k++) view.setUint32(k * 4, words[k] >>> 0, true); // wasm is little-endian
  return out;
}
