// Shared constants of the engine. Numbers here are part of the compiled-policy format
// and of the byte ABI (docs/abi.md): change them only with a format version bump.

/** "no position": used by matchers that track no pending candidate. */
export const NONE: u32 = 0xffffffff;

/** Detector ids (finding.detector). Order is the ABI order of detector names. */
export const enum Detector {
  PII = 1,
  SECRETS = 2,
  INJECTION = 3,
  TOXICITY = 4,
  CUSTOM = 5,
  LEAK = 6,
  CLASSIFIER = 7, // learned classifiers (classifier/): finding types are the model names
}

/** Phases (bit flags in rules). */
export const enum Phase {
  INGRESS = 1,
  MIDSTREAM = 2,
  EGRESS = 4,
}

/** Actions, ordered by precedence: a larger value wins when several rules fire. */
export const enum Action {
  ALLOW = 0,
  FLAG = 1,
  DISCLAIMER = 2,
  PSEUDONYMIZE = 3,
  REDACT = 4,
  STOP = 5,
  BLOCK = 6,
}

/** Engine status codes returned across the ABI; mapped to typed errors in bindings/errors.ts. */
export const enum Status {
  OK = 0,
  BAD_POLICY_MAGIC = 1,
  BAD_POLICY_VERSION = 2,
  BAD_POLICY_SECTION = 3,
  NO_SUCH_POLICY = 4,
  NO_SUCH_STREAM = 5,
  STREAM_FINISHED = 6,
  INPUT_TOO_LARGE = 7,
  OUT_OF_MEMORY = 8,
}

/** Compiled-policy section tags (see bindings/policy/encode.ts). */
export const enum Section {
  STRINGS = 1,    // string table: u32 count, then (u32 len, bytes) each
  TYPES = 2,      // entity types: u32 count, then per type: u16 nameStr, u8 detector, u8 pad, f32 baseScore
  SETTINGS = 3,   // stream and matcher settings (see policy.ts)
  PII = 4,        // builtin PII code -> type id map, context classes
  SECRETS = 5,    // secret token formats (bindings/policy/builtin/secrets.ts)
  LEXICON = 6,    // word/phrase hash table (toxicity, injection keywords, context words, custom keywords)
  REGEX = 7,      // compiled regex programs run on the pattern view (custom rules)
  RULES = 8,      // rules and their conditions
  REGEX_WORDS = 9, // compiled regex programs run on the word view (injection heuristics)
  LEAK = 10,      // prompt-leak guard: u32 minWords | u32 PROMPT_LEAK type | u32 CANARY type
  MODELS = 11,    // learned classifiers: int8 weights and their settings (classifier/models.ts)
}
