// The one home of Wardline's error classes and their stable codes (undici's habit: one
// class per source of failure, a `code` that never changes once released). Messages may
// be reworded; codes may not. docs/policy.md lists the policy codes; a test keeps the
// two in step.
import type { SourceLoc } from "./policy/ir.ts";

/** Every stable error code and what it means, in one line each. */
export const ERROR_CODES = {
  // Policy loading (bindings/policy/parse.ts): the file or object is malformed.
  WL_POLICY_YAML_SYNTAX: "the text is not valid YAML",
  WL_POLICY_DUPLICATE_KEY: "a mapping names the same key twice",
  WL_POLICY_TOO_LARGE: "the policy expands to too many nodes (alias bomb or runaway file)",
  WL_POLICY_VERSION: "`version` is missing or not a version this release understands (1)",
  WL_POLICY_UNKNOWN_KEY: "a key that the language does not have at that place",
  WL_POLICY_MISSING_KEY: "a required key is absent",
  WL_POLICY_TYPE: "a value has the wrong type (e.g. a string where a number belongs)",
  WL_POLICY_RANGE: "a number lies outside its allowed range, or is not an integer where one is required",
  WL_POLICY_BAD_VALUE: "a value is not one of the allowed words or forms",
  WL_POLICY_BAD_ID: "an id or name does not match [A-Za-z0-9][A-Za-z0-9_.-]* (at most 64 characters)",
  WL_POLICY_EMPTY: "a list or string that must not be empty is empty",
  WL_POLICY_DUPLICATE_ITEM: "a list names the same item twice",
  WL_POLICY_DUPLICATE_ID: "two rules or two custom detectors in one file share an id",
  WL_POLICY_UNKNOWN_DETECTOR: "a detector name other than pii, secrets, injection, toxicity, custom, leak, classifier",
  WL_POLICY_UNKNOWN_MODEL: "a classifier model other than injection, toxicity, harmful",
  WL_POLICY_UNKNOWN_ACTION: "an action other than allow, flag, redact, pseudonymize, block, stop, disclaimer",
  WL_POLICY_UNKNOWN_PHASE: "a phase other than ingress, midstream, egress",
  WL_POLICY_ENTITY_NAME: "an entity type name is not upper-case [A-Z][A-Z0-9_]*",
  WL_POLICY_CONDITION_SHAPE: "a condition is not exactly one of: a leaf, any, all, max, weighted",
  WL_POLICY_CONDITION_DEPTH: "conditions are nested more than 8 levels deep",
  WL_POLICY_ACTION_CONDITION: "redact/pseudonymize need a leaf condition (they act on the leaf's spans)",
  WL_POLICY_ACTION_PHASE: "the action cannot run in a listed phase (block: ingress/egress; stop: midstream/egress)",
  WL_POLICY_MESSAGE_REQUIRED: "block and disclaimer rules need a `message`",
  WL_POLICY_INAPPLICABLE_KEY: "a key that exists but does not apply here (e.g. `replacement` on a block rule)",
  WL_POLICY_CUSTOM_SOURCE: "a custom detector needs exactly one of `pattern` or `keywords`",
  WL_POLICY_DETECTOR_DISABLED: "a rule uses a detector that is disabled or has nothing to detect",
  WL_POLICY_UNKNOWN_ENTITY: "an entity or secret type that no detector produces",
  WL_POLICY_SETTINGS_CONFLICT: "settings contradict each other (e.g. checkpoint larger than max_holdback)",
  WL_POLICY_EXTENDS_CYCLE: "`extends` leads back to a file already being loaded",
  WL_POLICY_EXTENDS_UNRESOLVED: "`extends` names a file that could not be loaded",
  WL_POLICY_REGEX: "a custom `pattern` is not supported by the linear-time regex compiler",
  // Engine status codes crossing the byte ABI (assembly/engine/constants.ts Status).
  WL_ENGINE_BAD_POLICY_MAGIC: "the compiled policy bytes do not start with the WLP1 magic",
  WL_ENGINE_BAD_POLICY_VERSION: "the compiled policy has a format version this engine does not read",
  WL_ENGINE_BAD_POLICY_SECTION: "a compiled policy section table entry is out of bounds",
  WL_ENGINE_NO_SUCH_POLICY: "no policy is loaded under that handle",
  WL_ENGINE_NO_SUCH_STREAM: "no stream is open under that handle",
  WL_ENGINE_STREAM_FINISHED: "the stream was already finished",
  WL_ENGINE_INPUT_TOO_LARGE: "the input exceeds the engine's size limit",
  WL_ENGINE_OUT_OF_MEMORY: "the engine could not allocate memory",
  WL_ENGINE_UNKNOWN_STATUS: "the engine returned a status code this binding does not know",
  WL_ENGINE_TRAP: "the engine trapped (a bug in Wardline, or the instance ran out of memory or stack): the Guard replaces the instance with a fresh one (same policy); report it with the engine source line",
  WL_ENGINE_DISCARDED: "a call on an engine instance that was discarded after a trap (a stream opened before it); the Guard itself already runs on a fresh instance",
  WL_ENGINE_TEST_FAULT: "a failure injected by a test (bindings/test-faults.ts), taking the path of an engine error",
  WL_ENGINE_ABI: "the engine module speaks another ABI major version than this binding",
  // Binding usage.
  WL_BAD_PHASE: "a phase other than ingress, midstream, egress was passed to scan or stream",
  WL_STREAM_CLOSED: "push or finish on a stream that was finished or closed",
  WL_POLICY_FILE: "a policy file could not be read, or no shipped policy has that name",
  // Regular expressions (bindings/policy/regex): reported to policy authors as WL_POLICY_REGEX, with this as the cause.
  WL_REGEX_SYNTAX: "the pattern is not a valid regular expression",
  WL_REGEX_UNSUPPORTED: "the pattern uses a construct the linear-time engine does not run (backreference, lookaround)",
  WL_REGEX_TOO_LARGE: "the compiled automaton would exceed the size limit (bounded repetition expanded)",
  WL_REGEX_EMPTY: "the pattern can match the empty string",
  WL_REGEX_FLAGS: "a flag other than i, m, s, u, or one given twice",
  // Provider protocols (assembly/protocol, bindings/transform.ts, bindings/inspect-request.ts).
  WL_BAD_PROVIDER: "a provider name or number the protocol layer does not support",
  WL_STREAM_STOPPED: "the guarded stream was stopped by the policy; nothing more is released",
  WL_REQUEST_BAD_JSON: "the request body is not valid JSON (status and byte offset in the error)",
  WL_REQUEST_PROVIDER: "inspectRequest was given an unknown provider",
  // wardline eval (bindings/eval): labelled data files and the command line.
  WL_EVAL_USAGE: "wardline eval was called without --policy or --data, or with an unknown option",
  WL_EVAL_DATA_FILE: "a --data file could not be read",
  WL_EVAL_BAD_JSON: "a line of a data file is not one JSON object (file:line in the message)",
  WL_EVAL_MISSING_FIELD: "a data row lacks text, label (0 or 1) or category, or one has the wrong type",
  WL_EVAL_BAD_SPAN: "a data row's span is not {start, end, type} with 0 <= start < end <= text length",
  WL_EVAL_NO_DATA: "the data files hold no row that any task scores",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Base class of every error Wardline throws on purpose.
 * @example
 * try { parsePolicy(text, "mine.yaml"); } catch (e) { if (e instanceof WardlineError) console.error(e.code); }
 */
export class WardlineError extends Error {
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WardlineError";
    this.code = code;
  }
}

/** `file:line:col` for a YAML location, or just `file` for object paths (line 0). */
export function formatLoc(loc: SourceLoc): string {
  return loc.line > 0 ? `${loc.file}:${loc.line}:${loc.col}` : loc.file;
}

/**
 * Any problem with a policy, located at the offending key or value.
 * For YAML sources `file`/`line`/`col` are 1-based positions; for objects (policyFromObject)
 * `file` is `<object>:rules[2].action` and `line` = `col` = 0.
 * @example
 * // policies/mine.yaml:12:5: unknown key "acton" in rule "redact-pii" — did you mean "action"? (WL_POLICY_UNKNOWN_KEY)
 * throw PolicyError.at(rule.loc, `unknown entity "EMIAL"`, "WL_POLICY_UNKNOWN_ENTITY");
 */
export class PolicyError extends WardlineError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The policy key the problem is about, when there is one. */
  readonly key?: string;
  /** The message without location and code. */
  readonly detail: string;
  constructor(loc: SourceLoc, detail: string, code: ErrorCode, key?: string, options?: { cause?: unknown }) {
    super(`${formatLoc(loc)}: ${detail} (${code})`, code, options);
    this.name = "PolicyError";
    this.file = loc.file;
    this.line = loc.line;
    this.col = loc.col;
    this.detail = detail;
    if (key !== undefined) this.key = key;
  }
  /** For the compiler: a semantic error at an IR element's recorded `loc`. */
  static at(loc: SourceLoc | undefined, detail: string, code: ErrorCode, key?: string): PolicyError {
    return new PolicyError(loc ?? { file: "<policy>", line: 0, col: 0 }, detail, code, key);
  }
}

/** A non-OK status returned by the wasm engine across the byte ABI. */
export class EngineError extends WardlineError {
  readonly status: number;
  constructor(status: number, code: ErrorCode, message: string) {
    super(message, code);
    this.name = "EngineError";
    this.status = status;
  }
}

// Index = Status value in assembly/engine/constants.ts (0 = OK has no error).
const STATUS_CODES: readonly ErrorCode[] = [
  "WL_ENGINE_UNKNOWN_STATUS",
  "WL_ENGINE_BAD_POLICY_MAGIC",
  "WL_ENGINE_BAD_POLICY_VERSION",
  "WL_ENGINE_BAD_POLICY_SECTION",
  "WL_ENGINE_NO_SUCH_POLICY",
  "WL_ENGINE_NO_SUCH_STREAM",
  "WL_ENGINE_STREAM_FINISHED",
  "WL_ENGINE_INPUT_TOO_LARGE",
  "WL_ENGINE_OUT_OF_MEMORY",
];

/**
 * Turns an engine status code into a typed error (call only for status != 0).
 * @example
 * const st = exports.stream_push(h, ptr, len); if (st !== 0) throw engineError(st, "stream_push");
 */
export function engineError(status: number, context?: string): EngineError {
  const code = (status > 0 && status < STATUS_CODES.length ? STATUS_CODES[status] : undefined) ?? "WL_ENGINE_UNKNOWN_STATUS";
  const what = ERROR_CODES[code];
  return new EngineError(status, code, `${context ? context + ": " : ""}${what} (status ${status}, ${code})`);
}

/** The error for a call on an engine instance that was discarded after a trap (bindings/engine-recovery.ts). */
export function discardedError(): EngineError {
  return new EngineError(-1, "WL_ENGINE_DISCARDED", "the engine instance was discarded after a trap; this stream cannot continue (WL_ENGINE_DISCARDED)");
}
