// Errors of the regex compiler. One class, stable codes (undici's habit): the policy
// compiler maps `code` + `offset` to file:line:col (it reports WL_POLICY_REGEX with
// this error as the cause), and tests assert on the code.
import { WardlineError } from "../../errors.ts";

/** Stable error codes of RegexCompileError. */
export const RegexErrorCode = {
  /** The pattern is not valid ECMAScript regular-expression syntax. */
  SYNTAX: "WL_REGEX_SYNTAX",
  /** Valid syntax that a linear-time automaton cannot run (backreferences, lookaround, …). */
  UNSUPPORTED: "WL_REGEX_UNSUPPORTED",
  /** The compiled program would exceed MAX_PROGRAM_STATES (bounded repetition is expanded). */
  TOO_LARGE: "WL_REGEX_TOO_LARGE",
  /** The pattern can match the empty string: a rule that matches nothing is a policy bug. */
  EMPTY: "WL_REGEX_EMPTY",
  /** A flag other than i, m, s, u, or a repeated flag. */
  FLAGS: "WL_REGEX_FLAGS",
} as const;

export type RegexErrorCodeName = (typeof RegexErrorCode)[keyof typeof RegexErrorCode];

/**
 * A pattern that cannot be compiled. `offset` is the 0-based UTF-16 offset in the
 * pattern source; `index` is the position of the failing spec in the list given to
 * encodeRegexSection (-1 when compiling a single pattern).
 *
 * @example
 * try { encodeRegexSection([{ source: "(a)\\1", flags: "", typeId: 1, score: 1 }]); }
 * catch (e) { if (e instanceof RegexCompileError) console.log(e.code, e.offset, e.index); }
 * // WL_REGEX_UNSUPPORTED 3 0
 */
export class RegexCompileError extends WardlineError {
  declare readonly code: RegexErrorCodeName;
  readonly offset: number;
  index = -1;
  /** The message without code and offset. */
  readonly detail: string;

  constructor(code: RegexErrorCodeName, offset: number, detail: string) {
    super(`${detail} at offset ${offset} (${code})`, code);
    this.name = "RegexCompileError";
    this.offset = offset;
    this.detail = detail;
  }
}
