// PolicyIR → compiled policy bytes: the one place where a policy becomes what the
// engine loads (the same bytes Node, Deno, the browser and Envoy receive). Semantic
// checks that need the built-in registries (is EMAIL a PII entity? does this regex
// compile?) happen here and report the file:line:col the parser recorded.
import type { ConditionIR, PolicyIR, SourceLoc } from "./ir.ts";
import { PolicyError, type ErrorCode } from "../errors.ts";
import { ByteWriter } from "./encode/writer.ts";
import { StringTable, encodeContainer, SECTION } from "./encode/container.ts";
import { LexiconBuilder, ENTRY_TERM, ENTRY_CONTEXT, ENTRY_NEG_CONTEXT } from "./encode/lexicon.ts";
import { encodeRules } from "./encode/rules.ts";
import { PII_ENTITIES } from "./builtin/pii.ts";
import { SECRET_TYPE_NAMES } from "./builtin/secrets.ts";
import { encodeSecretsSection } from "./encode/secrets.ts";
import { INJECTION_PATTERNS } from "./builtin/injection.ts";
import { TOXICITY_TERMS } from "./builtin/toxicity-data.ts";
import { encodeRegexSection, RegexCompileError } from "./regex/index.ts";
import { MODEL_NAMES, modelWeights } from "./builtin/models.ts";
import { encodeModelsSection, WORD_SLACK, type ModelEntry } from "./encode/models.ts";

const DETECTOR_ID = { pii: 1, secrets: 2, injection: 3, toxicity: 4, custom: 5, leak: 6, classifier: 7 } as const;
const PHASE_BIT = { ingress: 1, midstream: 2, egress: 4 } as const;
/** Actions that must not release the interval a classifier checkpoint is about to judge. */
const HOLDING_ACTIONS = new Set(["block", "stop", "redact", "pseudonymize"]);

function leavesOf(c: ConditionIR): Extract<ConditionIR, { kind: "leaf" }>[] {
  if (c.kind === "leaf") return [c];
  if (c.kind === "weighted") return c.terms.flatMap((t) => leavesOf(t.when));
  return c.of.flatMap(leavesOf);
}

const usesModel = (r: PolicyIR["rules"][number], type: string) =>
  leavesOf(r.when).some((l) => (l.detector === undefined || l.detector === "classifier") && (!l.types || l.types.includes(type)));

/** Phases in which some enforced rule could stop, block or redact on a finding of `type`. */
function holdPhases(rules: PolicyIR["rules"], type: string): number {
  let phases = 0;
  for (const r of rules) {
    if (r.mode !== "enforce" || !HOLDING_ACTIONS.has(r.action)) continue;
    if (usesModel(r, type)) for (const p of r.phases) phases |= PHASE_BIT[p];
  }
  return phases;
}

/** Phases in which no rule (any mode, any action) uses the model of `type`: it does not run there. */
function idlePhases(rules: PolicyIR["rules"], type: string): number {
  let used = 0;
  for (const r of rules) if (usesModel(r, type)) for (const p of r.phases) used |= PHASE_BIT[p];
  return 7 & ~used;
}
const SEVERITY_RANK = { mild: 0, strong: 1, severe: 2 } as const;
const SEVERITY_SCORE = { mild: 0.5, strong: 0.8, severe: 0.95 } as const;

/** Keys of a lexicon term's word prefixes: Engine.lexiconKeys (the engine hashes its own words). */
export type KeysOf = (term: string) => { keys: bigint[]; broken: boolean };

export interface CompiledPolicy {
  bytes: Uint8Array;
  /** lexicon terms that can never match as written (punctuation splits them) */
  skippedTerms: string[];
}

function fail(code: ErrorCode, loc: SourceLoc | undefined, source: string, message: string, key?: string): never {
  throw PolicyError.at(loc ?? { file: source, line: 0, col: 0 }, message, code, key);
}

export function toxicityType(category: string): string {
  const c = category.toLowerCase();
  if (c.includes("slur")) return "SLUR";
  if (c.includes("sexual")) return "SEXUAL";
  return "PROFANITY";
}

export function compilePolicy(ir: PolicyIR, keysOf: KeysOf): CompiledPolicy {
  const strings = new StringTable();
  const types: { name: string; detector: number }[] = [];
  const typeIndex = new Map<string, number>();
  const addType = (name: string, detector: number, loc?: SourceLoc): number => {
    const existing = typeIndex.get(name);
    if (existing !== undefined) {
      if (types[existing].detector !== detector) fail("WL_POLICY_DUPLICATE_ID", loc, ir.source, `entity type ${name} is already produced by another detector`);
      return existing;
    }
    types.push({ name, detector });
    typeIndex.set(name, types.length - 1);
    return types.length - 1;
  };
  const d = ir.detectors;
  const sections = new Map<number, Uint8Array>();

  // PII: builtin code -> type id (0xffff = disabled)
  if (d.pii.enabled) {
    const known = new Set(PII_ENTITIES.map((e) => e.name));
    for (const e of d.pii.entities ?? []) {
      if (!known.has(e.name)) fail("WL_POLICY_UNKNOWN_ENTITY", e.loc, ir.source, `unknown PII entity ${e.name}; known: ${[...known].join(", ")}`, "entities");
    }
    const enabled = d.pii.entities ? new Set(d.pii.entities.map((e) => e.name)) : known;
    const w = new ByteWriter();
    w.u32(PII_ENTITIES.length);
    for (const e of PII_ENTITIES) w.u16(enabled.has(e.name) ? addType(e.name, DETECTOR_ID.pii) : 0xffff);
    sections.set(SECTION.PII, w.align(4).finish());
  }

  // Secrets
  if (d.secrets.enabled) {
    const known = new Set(SECRET_TYPE_NAMES);
    for (const t of d.secrets.types ?? []) {
      if (!known.has(t.name)) fail("WL_POLICY_UNKNOWN_ENTITY", t.loc, ir.source, `unknown secret type ${t.name}`, "types");
    }
    const enabled = d.secrets.types ? new Set(d.secrets.types.map((t) => t.name)) : undefined;
    sections.set(SECTION.SECRETS, encodeSecretsSection(enabled, (name) => addType(name, DETECTOR_ID.secrets)));
  }

  // Custom regexes (pattern view) and keywords (lexicon)
  const customRegex = d.custom.filter((c) => c.pattern !== undefined);
  if (customRegex.length) {
    const specs = customRegex.map((c) => ({ source: c.pattern!, flags: c.flags ?? "", typeId: addType(c.type, DETECTOR_ID.custom, c.loc), score: c.score }));
    try {
      sections.set(SECTION.REGEX, encodeRegexSection(specs));
    } catch (e) {
      if (e instanceof RegexCompileError) {
        const c = customRegex[(e as RegexCompileError & { index?: number }).index ?? 0];
        fail("WL_POLICY_REGEX", c.loc, ir.source, `custom detector "${c.id}": ${e.message} (at pattern offset ${e.offset})`, "pattern");
      }
      throw e;
    }
  }

  // Injection heuristics (word view)
  if (d.injection.enabled) {
    const specs = INJECTION_PATTERNS.map((p) => ({ source: p.pattern, flags: "", typeId: addType(p.type, DETECTOR_ID.injection), score: p.score }));
    sections.set(SECTION.REGEX_WORDS, encodeRegexSection(specs));
  }

  // Prompt-leak guard: its types; the prompt and canaries come with each stream
  if (d.leak?.enabled) {
    const w = new ByteWriter();
    w.u32(d.leak.minWords).u32(addType("PROMPT_LEAK", DETECTOR_ID.leak)).u32(addType("CANARY", DETECTOR_ID.leak));
    sections.set(SECTION.LEAK, w.finish());
  }

  // Learned classifiers: one type per model (INJECTION, TOXICITY, HARMFUL), weights embedded
  const cls = d.classifier;
  const modelTypes: { name: string; typeId: number; loc?: SourceLoc }[] = [];
  if (cls?.enabled) {
    const names = cls.models ?? MODEL_NAMES.map((name) => ({ name, loc: cls.loc }));
    const seen = new Set<string>();
    for (const m of names) {
      if (seen.has(m.name)) fail("WL_POLICY_DUPLICATE_ITEM", m.loc, ir.source, `classifier model "${m.name}" is listed twice`, "models");
      seen.add(m.name);
      modelTypes.push({ name: m.name, typeId: addType(m.name.toUpperCase(), DETECTOR_ID.classifier, m.loc), loc: m.loc });
    }
  }

  // Lexicon: toxicity terms, custom keywords, PII context words
  const lex = new LexiconBuilder(keysOf);
  if (d.toxicity.enabled) {
    const min = SEVERITY_RANK[d.toxicity.minSeverity];
    const langs = d.toxicity.languages ? new Set(d.toxicity.languages) : undefined;
    const allow = new Set(d.toxicity.allowTerms.map((t) => t.toLowerCase()));
    for (const t of TOXICITY_TERMS) {
      if (SEVERITY_RANK[t.severity] < min || (langs && !langs.has(t.lang)) || allow.has(t.term)) continue;
      lex.add(t.term, { kind: ENTRY_TERM, typeId: addType(toxicityType(t.category), DETECTOR_ID.toxicity), score: SEVERITY_SCORE[t.severity], classId: 0 });
    }
    for (const term of d.toxicity.extraTerms) lex.add(term, { kind: ENTRY_TERM, typeId: addType("PROFANITY", DETECTOR_ID.toxicity), score: 0.8, classId: 0 });
  }
  for (const c of d.custom) {
    if (!c.keywords) continue;
    const typeId = addType(c.type, DETECTOR_ID.custom, c.loc);
    for (const k of c.keywords) lex.add(k, { kind: ENTRY_TERM, typeId, score: c.score, classId: 0 });
  }
  if (d.pii.enabled) {
    for (const e of PII_ENTITIES) {
      const t = typeIndex.get(e.name);
      if (t === undefined) continue;
      for (const w of e.context) lex.add(w, { kind: ENTRY_CONTEXT, typeId: 0, score: 0, classId: t });
      for (const w of e.negativeContext) lex.add(w, { kind: ENTRY_NEG_CONTEXT, typeId: 0, score: 0, classId: t });
    }
  }
  if (lex.size > 0) sections.set(SECTION.LEXICON, lex.encode());

  // Rules
  const typeIdsOf = (names: string[], at: ConditionIR): number[] =>
    names.map((n) => {
      const t = typeIndex.get(n);
      if (t === undefined) fail("WL_POLICY_UNKNOWN_ENTITY", at.loc, ir.source, `no enabled detector produces entity type ${n}`, "types");
      return t;
    });
  for (const r of ir.rules) {
    const rc = r.replacement;
    if (rc && (rc.kind === "mask" || rc.kind === "keep_last") && !/^[\x21-\x7e]$/.test(rc.char)) {
      fail("WL_POLICY_BAD_VALUE", r.loc, ir.source, `rule "${r.id}": the mask character must be one printable ASCII character`, "replacement");
    }
  }
  sections.set(SECTION.RULES, encodeRules(ir.rules, strings, typeIdsOf));

  if (modelTypes.length) {
    const entries: ModelEntry[] = modelTypes.map((m) => {
      const model = modelWeights(m.name as (typeof MODEL_NAMES)[number]);
      if (!model) fail("WL_POLICY_UNKNOWN_MODEL", m.loc, ir.source, `classifier model "${m.name}" has no weights in this build (run npm run train)`, "models");
      return { typeId: m.typeId, model, minScore: cls!.minScore, holdPhases: holdPhases(ir.rules, m.name.toUpperCase()), idlePhases: idlePhases(ir.rules, m.name.toUpperCase()) };
    });
    // held bytes: one checkpoint interval plus the word that crosses it (classifier/window.ts)
    const s = ir.settings;
    if (entries.some((e) => e.holdPhases) && s.checkpoint + WORD_SLACK > s.maxHoldback) {
      fail("WL_POLICY_SETTINGS_CONFLICT", s.loc, ir.source, `a classifier rule that stops, blocks or redacts holds up to checkpoint + ${WORD_SLACK} bytes (${s.checkpoint + WORD_SLACK}), more than max_holdback (${s.maxHoldback})`, "checkpoint");
    }
    sections.set(SECTION.MODELS, encodeModelsSection(entries));
  }

  // Types (after every detector registered its types) and settings
  const tw = new ByteWriter();
  tw.u32(types.length);
  for (const t of types) tw.u32(strings.id(t.name)).u32(t.detector);
  sections.set(SECTION.TYPES, tw.finish());

  const s = ir.settings;
  const sw = new ByteWriter();
  sw.u32(s.maxHoldback).u32(s.onHoldbackOverflow === "stop" ? 1 : 0).u32(s.window).u32(s.checkpoint).u32(s.contextWindow);
  sw.u32((s.decode.base64 ? 1 : 0) | (s.decode.hex ? 2 : 0) | (s.decode.url ? 4 : 0)).u32(s.decode.minLength);
  sw.f32(d.pii.minScore).f32(d.secrets.minEntropy).f32(0.35).f32(0.35);
  sections.set(SECTION.SETTINGS, sw.finish());

  sections.set(SECTION.STRINGS, strings.encode());
  return { bytes: encodeContainer(sections), skippedTerms: lex.skipped };
}
