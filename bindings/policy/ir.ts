// The policy's intermediate representation: what parse.ts makes of a YAML file (or of
// an object), already checked for structure, and what compile.ts turns into the bytes
// the engine loads. Every element keeps the source location it came from, so that a
// semantic error found later (an unknown entity type, a regex that cannot compile)
// still names file:line:col.

export interface SourceLoc {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export type DetectorName = "pii" | "secrets" | "injection" | "toxicity" | "custom" | "leak" | "classifier";
export type PhaseName = "ingress" | "midstream" | "egress";
export type ActionName = "allow" | "flag" | "redact" | "pseudonymize" | "block" | "stop" | "disclaimer";

/** How a redacted span is replaced. */
export type Replacement =
  | { kind: "type" } //            "[EMAIL]"
  | { kind: "mask"; char: string } // "****************" (same number of code points)
  | { kind: "keep_last"; count: number; char: string } // "************1111"
  | { kind: "text"; text: string }; // a fixed string

export interface SettingsIR {
  /** Largest number of bytes a stream may hold back (default 4096). */
  maxHoldback: number;
  /** What a stream does when a pending match outgrows maxHoldback. */
  onHoldbackOverflow: "release" | "stop";
  /** Sliding window (bytes) for learned classifiers mid-stream (default 1024). */
  window: number;
  /** Classifier checkpoint interval in bytes from stream start (default 256). */
  checkpoint: number;
  /** Bytes of preceding text in which context words raise or lower a score (default 64). */
  contextWindow: number;
  /** Decode-and-rescan of encoded runs. */
  decode: { base64: boolean; hex: boolean; url: boolean; minLength: number };
  /** Host behaviour when the engine cannot scan (hosts read it; the engine does not). */
  failMode: "open" | "closed";
  loc?: SourceLoc;
}

export interface PiiIR {
  enabled: boolean;
  /** Entity types to detect; undefined = every built-in PII type. */
  entities?: { name: string; loc?: SourceLoc }[];
  /** Findings below this score are dropped by the detector (default 0.3). */
  minScore: number;
  loc?: SourceLoc;
}

export interface SecretsIR {
  enabled: boolean;
  /** Secret types to detect; undefined = every built-in format. */
  types?: { name: string; loc?: SourceLoc }[];
  /** Minimum Shannon entropy (bits per char) for generic `key = "value"` secrets (default 3.0). */
  minEntropy: number;
  loc?: SourceLoc;
}

export interface InjectionIR {
  enabled: boolean;
  loc?: SourceLoc;
}

export interface ToxicityIR {
  enabled: boolean;
  /** ISO language codes of the lexicons to load; undefined = all. */
  languages?: string[];
  /** Lowest severity that counts: mild | strong | severe (default mild). */
  minSeverity: "mild" | "strong" | "severe";
  /** Extra terms (whole words/phrases) and terms to never match. */
  extraTerms: string[];
  allowTerms: string[];
  loc?: SourceLoc;
}

/**
 * Prompt-leak guard: an answer that reproduces a run of at least `minWords` words of the
 * request's system prompt (PROMPT_LEAK), or one of its canary tokens (CANARY). The prompt
 * and canaries come with each stream (per-request context), not with the policy.
 */
export interface LeakIR {
  enabled: boolean;
  minWords: number; // default 8
  loc?: SourceLoc;
}

/**
 * Learned classifiers (models/*.wlm, trained by `npm run train`): each model scores a
 * sliding window at checkpoints and reports its name upper-cased (INJECTION, TOXICITY,
 * HARMFUL) with the model probability as score.
 */
export interface ClassifierIR {
  enabled: boolean;
  /** models to run (default: all built-in models) */
  models?: { name: string; loc?: SourceLoc }[];
  /** report floor: below it a window gives no finding (default 0.5; 0 reports every window) */
  minScore: number;
  loc?: SourceLoc;
}

/** A user rule: a regular expression or a keyword list producing entity `type`. */
export interface CustomDetectorIR {
  id: string;
  type: string; // upper-case entity type name, e.g. PROJECT_CODENAME
  pattern?: string; // regex source (see docs/regex.md for the supported syntax)
  flags?: string; // "i" for case-insensitive
  keywords?: string[]; // whole-word, folded (case, homoglyphs, leetspeak) matching
  score: number; // 0..1, default 1
  loc?: SourceLoc;
}

/** A condition. A leaf selects findings; combinations aggregate leaf scores. */
export type ConditionIR =
  | { kind: "leaf"; detector?: DetectorName; types?: string[]; minScore: number; loc?: SourceLoc }
  | { kind: "any"; of: ConditionIR[]; loc?: SourceLoc }
  | { kind: "all"; of: ConditionIR[]; loc?: SourceLoc }
  /** max of the leaves' best scores >= threshold */
  | { kind: "max"; of: ConditionIR[]; threshold: number; loc?: SourceLoc }
  /** sum of weight × leaf's best score >= threshold */
  | { kind: "weighted"; terms: { weight: number; when: ConditionIR }[]; threshold: number; loc?: SourceLoc };

export interface RuleIR {
  id: string;
  phases: PhaseName[]; // default: all three
  when: ConditionIR;
  action: ActionName;
  /** redact / pseudonymize only */
  replacement?: Replacement;
  /** block / stop: the message the client sees; disclaimer: the text appended */
  message?: string;
  /** enforce (default) | flag (report, do not act) | shadow (record only) */
  mode: "enforce" | "flag" | "shadow";
  loc?: SourceLoc;
}

export interface PolicyIR {
  version: 1;
  name: string;
  description?: string;
  settings: SettingsIR;
  detectors: {
    pii: PiiIR;
    secrets: SecretsIR;
    injection: InjectionIR;
    toxicity: ToxicityIR;
    custom: CustomDetectorIR[];
    leak?: LeakIR;
    classifier?: ClassifierIR;
  };
  rules: RuleIR[];
  /** file the policy came from ("<inline>" for text or objects) */
  source: string;
}
