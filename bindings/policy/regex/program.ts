// Numbers of the compiled regex section format. They mirror
// assembly/engine/regex/program.ts, which draws the layout; change both together.

export const REGEX_MAGIC = 0x58524c57; // "WLRX" little-endian
export const REGEX_VERSION = 1;

/** Header words, in order. */
export const HEADER_WORDS = 9; // magic, version, patterns, insts, classes, setWords, setTableWords, startListLen, reserved

// Opcodes (low 4 bits of an instruction's first word; the argument is the rest).
export const OP_CONSUME = 0; // arg = word offset of the class set; word1 = next
export const OP_SPLIT = 1; //   arg = first target;               word1 = second target
export const OP_JMP = 2; //     word1 = next
export const OP_ASSERT = 3; //  arg = ASSERT_* kind;              word1 = next
export const OP_MATCH = 4; //   arg = pattern index

// Zero-width assertions, evaluated between the previous and the next byte.
export const ASSERT_SOT = 0; // ^ : start of text
export const ASSERT_BOL = 1; // ^ with m: start of text or after \n or \r
export const ASSERT_EOT = 2; // $ : end of text
export const ASSERT_EOL = 3; // $ with m: end of text or before \n or \r
export const ASSERT_WB = 4; //  \b
export const ASSERT_NWB = 5; // \B

/** Largest program one pattern may compile to (instructions). */
export const MAX_PROGRAM_STATES = 10_000;
/** Largest program a whole section may hold (instruction targets are 28-bit). */
export const MAX_SECTION_STATES = 1 << 22;
