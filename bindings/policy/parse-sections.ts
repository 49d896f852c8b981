// The mergeable sections of one policy file — settings, settings.decode and the four
// built-in detectors — read into "fields set here, with where they were set", and the
// custom detector list. Defaults are applied only after `extends` merging (parse.ts),
// so that a child that sets one key keeps its parent's others.
import type { CustomDetectorIR, SourceLoc } from "./ir.ts";
import { asBool, asEntityName, asId, asList, asMap, asNumber, asString, asWord, fail, MapReader, type NumberRange } from "./parse-read.ts";
import type { PNode } from "./parse-tree.ts";
import { MODEL_NAMES } from "./builtin/models.ts";

export interface Field { value: unknown; loc: SourceLoc }
/** A mapping as written in one file: its location and the IR fields it set. */
export interface Section { loc: SourceLoc; fields: Record<string, Field> }
interface FieldSpec { ir: string; read: (n: PNode, key: string) => unknown }

const int = (min: number, max: number) => (n: PNode, k: string) => asNumber(n, k, { min, max, integer: true });
const num = (r: NumberRange) => (n: PNode, k: string) => asNumber(n, k, r);
const bool = (n: PNode, k: string) => asBool(n, k);
const word = (allowed: readonly string[]) => (n: PNode, k: string) => asWord(n, k, allowed);
const entityList = (n: PNode, k: string) => asList(n, k, (i) => asEntityName(i, k)).map((e) => ({ name: e.value, loc: e.loc }));
const termList = (n: PNode, k: string) => asList(n, k, (i) => asString(i, k, true), { allowEmpty: true }).map((e) => e.value);
const LANGUAGE = /^[a-z]{2,3}$/;
const languageList = (n: PNode, k: string) =>
  asList(n, k, (i) => {
    const s = asString(i, k);
    if (!LANGUAGE.test(s)) fail(i.loc, `language ${JSON.stringify(s)} must be a lower-case ISO 639 code such as "en"`, "WL_POLICY_BAD_VALUE", k);
    return s;
  }).map((e) => e.value);

export const MAX_HOLDBACK_MIN = 64;
export const MAX_HOLDBACK_MAX = 1 << 20; // 1 MiB: a stream may never hold more than this

/** settings: YAML key → IR field and reader (ranges are part of the language; see docs/policy.md). */
export const SETTINGS_FIELDS: Record<string, FieldSpec> = {
  max_holdback: { ir: "maxHoldback", read: int(MAX_HOLDBACK_MIN, MAX_HOLDBACK_MAX) },
  on_holdback_overflow: { ir: "onHoldbackOverflow", read: word(["stop", "release"]) },
  window: { ir: "window", read: int(64, 65536) },
  checkpoint: { ir: "checkpoint", read: int(16, 65536) },
  context_window: { ir: "contextWindow", read: int(0, 1024) },
  fail_mode: { ir: "failMode", read: word(["closed", "open"]) },
};

export const DECODE_FIELDS: Record<string, FieldSpec> = {
  base64: { ir: "base64", read: bool },
  hex: { ir: "hex", read: bool },
  url: { ir: "url", read: bool },
  min_length: { ir: "minLength", read: int(8, 4096) },
};

const enabled: FieldSpec = { ir: "enabled", read: bool };
const modelList = (n: PNode, k: string) =>
  asList(n, k, (i) => asWord(i, k, MODEL_NAMES, "WL_POLICY_UNKNOWN_MODEL", k)).map((e) => ({ name: e.value as string, loc: e.loc }));
export const DETECTOR_FIELDS: Record<"pii" | "secrets" | "injection" | "toxicity" | "leak" | "classifier", Record<string, FieldSpec>> = {
  pii: { enabled, entities: { ir: "entities", read: entityList }, min_score: { ir: "minScore", read: num({ min: 0, max: 1 }) } },
  secrets: { enabled, types: { ir: "types", read: entityList }, min_entropy: { ir: "minEntropy", read: num({ min: 0, max: 8 }) } },
  injection: { enabled },
  toxicity: {
    enabled,
    languages: { ir: "languages", read: languageList },
    min_severity: { ir: "minSeverity", read: word(["mild", "strong", "severe"]) },
    extra_terms: { ir: "extraTerms", read: termList },
    allow_terms: { ir: "allowTerms", read: termList },
  },
  // prompt-leak guard: the request's system prompt and canaries, reproduced in an answer
  leak: { enabled, min_words: { ir: "minWords", read: int(4, 64) } },
  // learned classifiers (models/*.wlm): which models, and the score below which none reports
  classifier: { enabled, models: { ir: "models", read: modelList }, min_score: { ir: "minScore", read: num({ min: 0, max: 1 }) } },
};
export const DETECTOR_NAMES = ["pii", "secrets", "injection", "toxicity", "custom", "leak", "classifier"] as const;
export const CUSTOM_KEYS = ["id", "type", "description", "pattern", "flags", "keywords", "score"] as const;

/** Reads a mapping of known fields; `nested` names keys handled by the caller. */
export function readSection(node: PNode, key: string, where: string, specs: Record<string, FieldSpec>, nested: string[] = []): Section {
  const map = asMap(node, key);
  new MapReader(map, where).checkKeys([...Object.keys(specs), ...nested]);
  const fields: Record<string, Field> = {};
  for (const e of map.entries) {
    const spec = specs[e.key];
    if (spec) fields[spec.ir] = { value: spec.read(e.value, e.key), loc: e.value.loc };
  }
  return { loc: map.loc, fields };
}

/** detectors.custom: user regexes and keyword lists, each producing one entity type. */
export function readCustom(node: PNode): CustomDetectorIR[] {
  const ids = new Set<string>();
  return asList(node, "custom", (item) => {
    const map = asMap(item, "custom");
    const idEntry = map.entries.find((e) => e.key === "id");
    const label = idEntry && idEntry.value.t === "scalar" && typeof idEntry.value.value === "string" ? `in custom detector "${idEntry.value.value}"` : "in a custom detector";
    const r = new MapReader(map, label).checkKeys(CUSTOM_KEYS);
    const idNode = r.need("id").value;
    const id = asId(idNode, "id");
    if (ids.has(id)) fail(idNode.loc, `custom detector id "${id}" is used twice`, "WL_POLICY_DUPLICATE_ID", "id");
    ids.add(id);
    const out: CustomDetectorIR = { id, type: asEntityName(r.need("type").value, "type"), score: 1, loc: map.loc };
    const pattern = r.get("pattern");
    const keywords = r.get("keywords");
    if (pattern && keywords) fail(keywords.keyLoc, `custom detector "${id}" has both "pattern" and "keywords"; use two detectors`, "WL_POLICY_CUSTOM_SOURCE", "keywords");
    if (!pattern && !keywords) fail(map.loc, `custom detector "${id}" needs "pattern" (a regular expression) or "keywords" (a list)`, "WL_POLICY_CUSTOM_SOURCE", "pattern");
    if (pattern) out.pattern = asString(pattern.value, "pattern", true);
    if (keywords) out.keywords = asList(keywords.value, "keywords", (k) => asString(k, "keywords", true)).map((k) => k.value);
    const flags = r.get("flags");
    if (flags) {
      if (!pattern) fail(flags.keyLoc, `"flags" applies only to a "pattern"`, "WL_POLICY_INAPPLICABLE_KEY", "flags");
      const f = asString(flags.value, "flags");
      // The regex compiler's flags (docs/regex.md): i, m, s, u — each at most once.
      if (!/^[imsu]*$/.test(f) || new Set(f).size !== f.length) {
        fail(flags.value.loc, `"flags" ${JSON.stringify(f)} may contain only i, m, s, u, each once`, "WL_POLICY_BAD_VALUE", "flags");
      }
      if (f) out.flags = f;
    }
    const score = r.get("score");
    if (score) out.score = asNumber(score.value, "score", { min: 0, max: 1, minExclusive: true });
    return out;
  }, { allowEmpty: true }).map((e) => e.value);
}
