// Regular expressions known for catastrophic backtracking, as Wardline custom rules, with
// the adversarial text that makes a backtracking engine explode. Shared by bench/redos.ts
// (timings) and test/redos.test.ts (findings and linear work).
//
// Each input is a `unit` that almost matches (the backtracker tries every way to split it),
// repeated to the wanted size, then a `witness` that does match: a correct engine reports
// exactly one finding, the witness, however large the text.

export interface RedosCase {
  id: string;
  /** the pattern as it is usually quoted */
  source: string;
  flags: string;
  /** where the pattern comes from / why it is famous */
  origin: string;
  /** one almost-match of size n (the V8 blow-up curve uses it alone) */
  unit: (n: number) => string;
  /** the matching tail */
  witness: string;
  /** how a backtracker's time grows with n (the bench steps n by 2, or doubles it) */
  growth: "exponential" | "polynomial";
}

export const REDOS_CASES: RedosCase[] = [
  { id: "nested-plus", source: "(a+)+$", flags: "", origin: "OWASP ReDoS, the textbook case", unit: (n) => "a".repeat(n) + "!", witness: "aaaa", growth: "exponential" },
  { id: "alt-overlap", source: "(a|aa)+$", flags: "", origin: "OWASP ReDoS", unit: (n) => "a".repeat(n) + "!", witness: "aaaa", growth: "exponential" },
  // `(a|a?)+$` can match the empty string, which a policy rejects (WL_REGEX_EMPTY: it would fire
  // at every position); the same blow-up with a required last character:
  { id: "alt-optional", source: "(a|a?)+c", flags: "", origin: "OWASP ReDoS `(a|a?)+$`, made non-empty", unit: (n) => "a".repeat(n) + "!", witness: "aac", growth: "exponential" },
  // Eleven a's per line, spread out: a backtracker tries every way to pick them for the groups,
  // each time re-scanning the line with `.*` (polynomial of high degree in the line length).
  { id: "dot-star-12", source: "(.*a){12}", flags: "", origin: "OWASP ReDoS `(.*a){x}` for x > 10", unit: (n) => ("a" + "x".repeat(n)).repeat(11) + "\n", witness: "a".repeat(12), growth: "polynomial" },
  { id: "words-spaces", source: "^(\\w+\\s?)+$", flags: "m", origin: "`^(\\w+\\s?)*$` of many ReDoS write-ups, made non-empty, per line", unit: (n) => "a".repeat(n) + "!\n", witness: "hello world", growth: "exponential" },
  // The trim regex that took Stack Overflow down on 2016-07-20: quadratic, from every start of a
  // long run of spaces that is not at the end.
  { id: "so-trim-2016", source: "^[\\s\\u200c]+|[\\s\\u200c]+$", flags: "", origin: "Stack Overflow outage, 2016-07-20", unit: (n) => "x" + " ".repeat(n) + "x", witness: "  ", growth: "polynomial" },
  {
    id: "email-owasp", flags: "m", origin: "the OWASP validation-regex-repository email pattern",
    source: "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
    unit: (n) => "a".repeat(n) + "!\n", witness: "john.doe@example.com", growth: "exponential",
  },
  { id: "java-classname", source: "^(([a-z])+.)+[A-Z]([a-z])+$", flags: "m", origin: "OWASP ReDoS (Java class name validation)", unit: (n) => "a".repeat(n) + "!\n", witness: "java.lang.String", growth: "exponential" },
];

/** About `bytes` of text: units of n, then the witness. */
export function adversarial(c: RedosCase, bytes: number, n = 30): string {
  const u = c.unit(n);
  return u.repeat(Math.max(1, Math.floor((bytes - c.witness.length) / u.length))) + c.witness;
}

/** The type a case's findings carry. */
export const typeOf = (c: RedosCase) => c.id.toUpperCase().replace(/-/g, "_");

/**
 * A policy whose only detector is this pattern (flagged), streaming with release on overflow.
 * One case per policy: findings of different detectors on the same span are merged into one.
 */
export function redosPolicy(c: RedosCase): string {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return `version: 1
name: redos
settings: { max_holdback: 4096, on_holdback_overflow: release }
detectors:
  pii: { enabled: false }
  secrets: { enabled: false }
  injection: { enabled: false }
  toxicity: { enabled: false }
  custom:
    - { id: ${c.id}, type: ${typeOf(c)}, pattern: ${q(c.source)}${c.flags ? `, flags: ${c.flags}` : ""} }
rules:
  - { id: flag-all, when: { detector: custom }, action: flag }
`;
}
