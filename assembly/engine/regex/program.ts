// The compiled regex section: what bindings/policy/regex/index.ts writes and RegexSet
// reads. Every field is a little-endian u32 word; numbers mirror
// bindings/policy/regex/program.ts.
//
//   word 0  ┌──────────────────────────────┐
//           │ magic "WLRX"   │ version 1   │
//           │ P patterns     │ N insts     │
//           │ C byte classes │ W words/set │
//           │ T set-table words│ L start-list length │ reserved │   (9 words)
//   9       ├──────────────────────────────┤
//           │ classMap: 256 × u8 (64 words)│  byte → class (bytes no set tells apart share one)
//   73      ├──────────────────────────────┤
//           │ startIndex: C+1 words        │  CSR: patterns whose first byte can be in class c
//           │ startList:  L words          │       are startList[startIndex[c] .. startIndex[c+1])
//           ├──────────────────────────────┤
//           │ patterns: P × 5 words        │  base pc, start pc, first-byte set offset,
//           │                              │  typeId, score (f32 bits); pattern p owns
//           │                              │  pcs [base_p, base_p+1) — laid out in order
//           ├──────────────────────────────┤
//           │ set table: T words           │  each set is W words, a bitmap over classes
//           ├──────────────────────────────┤
//           │ insts: N × 2 words           │  w0 = op | arg << 4, w1 = next / second target
//           └──────────────────────────────┘
//
//   op       arg (w0 >>> 4)         w1
//   CONSUME  set offset (words)     next pc     take the byte if its class is in the set
//   SPLIT    first target pc        second pc   fork (no priority: leftmost-longest)
//   JMP      —                      next pc
//   ASSERT   Assert kind            next pc     zero-width test between prev and next byte
//   MATCH    pattern index          —

export const REGEX_MAGIC: u32 = 0x58524c57;
export const REGEX_VERSION: u32 = 1;

export const enum Header {
  MAGIC = 0,
  VERSION = 1,
  PATTERNS = 2,
  INSTS = 3,
  CLASSES = 4,
  SET_WORDS = 5,
  SET_TABLE = 6,
  START_LIST = 7,
  WORDS = 9,
  CLASS_MAP_WORDS = 64,
  PATTERN_WORDS = 5,
}

export const enum Op {
  CONSUME = 0,
  SPLIT = 1,
  JMP = 2,
  ASSERT = 3,
  MATCH = 4,
}

/** Zero-width assertions; bit k of the context mask says whether kind k holds. */
export const enum Assert {
  SOT = 0, // ^ : start of text
  BOL = 1, // ^ with m: start of text, or after \n or \r
  EOT = 2, // $ : end of text
  EOL = 3, // $ with m: end of text, or before \n or \r
  WB = 4, //  \b
  NWB = 5, // \B
}
