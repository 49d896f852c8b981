// The baseline users would otherwise write: one V8 RegExp union of patterns equivalent
// to the engine's detectors (no validators: a RegExp cannot run Luhn).
export const UNION_SOURCES = [
  String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
  String.raw`\b(?:\d[ -]?){12,18}\d\b`,
  String.raw`(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}\b`,
  String.raw`\b\d{3}-\d{2}-\d{4}\b`,
  String.raw`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b`,
  String.raw`\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b`,
  String.raw`\b(?:AKIA|ASIA)[A-Z2-7]{16}\b`,
  String.raw`\bgh[pousr]_[A-Za-z0-9]{36}\b`,
  String.raw`\bxox[baprs]-[A-Za-z0-9-]{10,}`,
  String.raw`\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}`,
  String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
  String.raw`\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`,
  String.raw`\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:previous|prior|above)\s+(?:instructions|rules|prompts)\b`,
  String.raw`\b(?:developer mode|do anything now|jailbreak)\b`,
  String.raw`\b(?:fuck(?:ing)?|shit|bitch|asshole|cunt)\b`,
];

export const UNION = new RegExp(UNION_SOURCES.map((s) => `(?:${s})`).join("|"), "gi");

export function countUnion(text: string): number {
  UNION.lastIndex = 0;
  let n = 0;
  while (UNION.exec(text) !== null) n++;
  return n;
}
