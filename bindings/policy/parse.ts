// Policy YAML (or a plain object) → checked PolicyIR. Structure, types, ranges and the
// rules' own consistency are checked here, each problem reported at file:line:col with a
// stable code; what needs the built-in registries or the regex compiler (is EMAIL a PII
// entity? does this pattern compile?) is checked later by the compiler, at the `loc`
// recorded on every IR element. Runtime-neutral: the caller reads files (see `resolve`).
//
// Order of work: each file is read on its own into sections of "fields set here"; an
// `extends` chain is merged parent-first (child keys override, custom detectors and rules
// are replaced by id or appended); only then are defaults applied and the cross-section
// checks run, so that they see the policy that will actually be enforced.
import { PolicyError } from "../errors.ts";
import type { CustomDetectorIR, ConditionIR, PolicyIR, RuleIR, SourceLoc } from "./ir.ts";
import { asId, asMap, asString, fail, MapReader, describe } from "./parse-read.ts";
import { readRules } from "./parse-rules.ts";
import {
  DECODE_FIELDS, DETECTOR_FIELDS, DETECTOR_NAMES, SETTINGS_FIELDS, readCustom, readSection,
  type Field, type Section,
} from "./parse-sections.ts";
import { didYouMean } from "./parse-suggest.ts";
import { treeFromObject, treeFromYaml, type PNode } from "./parse-tree.ts";

export const TOP_KEYS = ["version", "name", "description", "extends", "settings", "detectors", "rules"] as const;

/** Loads the policy an `extends:` names: `name` as written, `from` the file that names it. */
export type PolicyResolver = (name: string, from: string) => { text: string; file: string };

type Builtin = keyof typeof DETECTOR_FIELDS;
const BUILTINS = Object.keys(DETECTOR_FIELDS) as Builtin[];

/** One file's content before defaults (or a merged chain of them). */
interface FilePolicy {
  root: SourceLoc;
  name: string;
  description?: string;
  extends?: Field;
  settings?: Section;
  decode?: Section;
  detectors: Partial<Record<Builtin, Section>>;
  custom: CustomDetectorIR[];
  rules: RuleIR[];
}

function readFile(tree: PNode): FilePolicy {
  if (tree.t !== "map") fail(tree.loc, `a policy is a mapping with version, name, rules…, got ${describe(tree)}`, "WL_POLICY_TYPE");
  const r = new MapReader(tree, "at the top level").checkKeys(TOP_KEYS);
  const version = r.get("version");
  if (!version) fail(tree.loc, `missing "version: 1" at the top level`, "WL_POLICY_VERSION", "version");
  if (version.value.t !== "scalar" || version.value.value !== 1) {
    fail(version.value.loc, `unsupported policy version ${version.value.t === "scalar" ? JSON.stringify(version.value.value) : describe(version.value)} (this release reads version 1)`, "WL_POLICY_VERSION", "version");
  }
  const fp: FilePolicy = { root: tree.loc, name: asId(r.need("name").value, "name"), detectors: {}, custom: [], rules: [] };
  const desc = r.get("description");
  if (desc) fp.description = asString(desc.value, "description");
  const ext = r.get("extends");
  if (ext) fp.extends = { value: asString(ext.value, "extends", true), loc: ext.value.loc };
  const settings = r.get("settings");
  if (settings) {
    fp.settings = readSection(settings.value, "settings", "in settings", SETTINGS_FIELDS, ["decode"]);
    const decode = asMap(settings.value).entries.find((e) => e.key === "decode");
    if (decode) fp.decode = readSection(decode.value, "decode", "in settings.decode", DECODE_FIELDS);
  }
  const detectors = r.get("detectors");
  if (detectors) {
    for (const e of asMap(detectors.value, "detectors").entries) {
      if (e.key === "custom") fp.custom = readCustom(e.value);
      else if ((BUILTINS as string[]).includes(e.key)) {
        const name = e.key as Builtin;
        fp.detectors[name] = readSection(e.value, name, `in detectors.${name}`, DETECTOR_FIELDS[name]);
      } else {
        fail(e.keyLoc, `unknown detector "${e.key}"${didYouMean(e.key, DETECTOR_NAMES)} (expected one of ${DETECTOR_NAMES.map((n) => `"${n}"`).join(", ")})`, "WL_POLICY_UNKNOWN_DETECTOR", e.key);
      }
    }
  }
  const rules = r.get("rules");
  if (rules) fp.rules = readRules(rules.value);
  return fp;
}

function mergeSection(parent?: Section, child?: Section): Section | undefined {
  return child ? { loc: child.loc, fields: { ...parent?.fields, ...child.fields } } : parent;
}

/** Parent order is kept; a child item with a known id replaces it in place, others append. */
function mergeById<T extends { id: string }>(parent: T[], child: T[]): T[] {
  const out = parent.slice();
  for (const c of child) {
    const i = out.findIndex((p) => p.id === c.id);
    if (i >= 0) out[i] = c;
    else out.push(c);
  }
  return out;
}

function merge(parent: FilePolicy, child: FilePolicy): FilePolicy {
  const detectors: FilePolicy["detectors"] = {};
  for (const d of BUILTINS) {
    const s = mergeSection(parent.detectors[d], child.detectors[d]);
    if (s) detectors[d] = s;
  }
  const out: FilePolicy = {
    root: child.root,
    name: child.name,
    detectors,
    custom: mergeById(parent.custom, child.custom),
    rules: mergeById(parent.rules, child.rules),
  };
  const description = child.description ?? parent.description;
  if (description !== undefined) out.description = description;
  const settings = mergeSection(parent.settings, child.settings);
  if (settings) out.settings = settings;
  const decode = mergeSection(parent.decode, child.decode);
  if (decode) out.decode = decode;
  return out;
}

function load(tree: PNode, file: string, resolve: PolicyResolver | undefined, chain: string[]): FilePolicy {
  const fp = readFile(tree);
  if (!fp.extends) return fp;
  const name = fp.extends.value as string;
  const at = fp.extends.loc;
  if (!resolve) fail(at, `"extends: ${name}" needs a resolver to load it (pass resolve to parsePolicy)`, "WL_POLICY_EXTENDS_UNRESOLVED", "extends");
  let target: { text: string; file: string };
  try {
    target = resolve(name, file);
  } catch (e) {
    if (e instanceof PolicyError) throw e;
    throw new PolicyError(at, `cannot load "${name}": ${e instanceof Error ? e.message : String(e)}`, "WL_POLICY_EXTENDS_UNRESOLVED", "extends", { cause: e });
  }
  if (chain.includes(target.file)) {
    fail(at, `"extends" cycle: ${[...chain, target.file].join(" → ")}`, "WL_POLICY_EXTENDS_CYCLE", "extends");
  }
  const parent = load(treeFromYaml(target.text, target.file), target.file, resolve, [...chain, target.file]);
  return merge(parent, fp);
}

function leaves(c: ConditionIR, out: Extract<ConditionIR, { kind: "leaf" }>[] = []) {
  if (c.kind === "leaf") out.push(c);
  else if (c.kind === "weighted") for (const t of c.terms) leaves(t.when, out);
  else for (const x of c.of) leaves(x, out);
  return out;
}

function where(f: Field | undefined): string {
  return f ? ` (set at ${f.loc.line > 0 ? `${f.loc.file}:${f.loc.line}:${f.loc.col}` : f.loc.file})` : "";
}

/** Applies defaults and the checks that need the whole (merged) policy. */
function finish(fp: FilePolicy, source: string): PolicyIR {
  const s = fp.settings?.fields ?? {};
  const d = fp.decode?.fields ?? {};
  const v = <T>(f: Record<string, Field>, k: string, def: T): T => (f[k] ? (f[k].value as T) : def);
  const settings: PolicyIR["settings"] = {
    maxHoldback: v(s, "maxHoldback", 4096),
    onHoldbackOverflow: v(s, "onHoldbackOverflow", "stop"),
    window: v(s, "window", 1024),
    checkpoint: v(s, "checkpoint", 256),
    contextWindow: v(s, "contextWindow", 64),
    decode: { base64: v(d, "base64", true), hex: v(d, "hex", true), url: v(d, "url", true), minLength: v(d, "minLength", 16) },
    failMode: v(s, "failMode", "closed"),
    loc: fp.settings?.loc ?? fp.root,
  };
  // Bytes after the last scored checkpoint are held until it is scored, so an interval
  // must fit both the classifier's window and the holdback bound (ARCHITECTURE.md).
  for (const [other, limit] of [["maxHoldback", "max_holdback"], ["window", "window"]] as const) {
    if (settings.checkpoint > settings[other]) {
      const f = s.checkpoint ?? s[other]; // defaults never conflict, so one of them was set
      const note = s.checkpoint && s[other] ? where(s[other]) : "";
      fail(f.loc, `checkpoint (${settings.checkpoint}) must not exceed ${limit} (${settings[other]})${note}`, "WL_POLICY_SETTINGS_CONFLICT", s.checkpoint ? "checkpoint" : limit);
    }
  }

  const allLeaves = fp.rules.flatMap((r) => leaves(r.when));
  const used = (name: string) => allLeaves.some((l) => l.detector === name);
  // A detector runs when its section is present (enabled defaults to true) or a rule uses it.
  const on = (name: Builtin) => v(fp.detectors[name]?.fields ?? {}, "enabled", fp.detectors[name] !== undefined || used(name));
  const sec = (name: Builtin) => fp.detectors[name]?.fields ?? {};
  const withLoc = <T extends object>(o: T, name: Builtin): T & { loc?: SourceLoc } => {
    const loc = fp.detectors[name]?.loc;
    return loc ? { ...o, loc } : o;
  };
  const pii: PolicyIR["detectors"]["pii"] = withLoc({ enabled: on("pii"), minScore: v(sec("pii"), "minScore", 0.3) }, "pii");
  if (sec("pii").entities) pii.entities = sec("pii").entities.value as { name: string; loc: SourceLoc }[];
  const secrets: PolicyIR["detectors"]["secrets"] = withLoc({ enabled: on("secrets"), minEntropy: v(sec("secrets"), "minEntropy", 3.0) }, "secrets");
  if (sec("secrets").types) secrets.types = sec("secrets").types.value as { name: string; loc: SourceLoc }[];
  const tox = sec("toxicity");
  const toxicity: PolicyIR["detectors"]["toxicity"] = withLoc({
    enabled: on("toxicity"),
    minSeverity: v(tox, "minSeverity", "mild"),
    extraTerms: v(tox, "extraTerms", [] as string[]),
    allowTerms: v(tox, "allowTerms", [] as string[]),
  }, "toxicity");
  if (tox.languages) toxicity.languages = tox.languages.value as string[];
  const detectors: PolicyIR["detectors"] = {
    pii, secrets, injection: withLoc({ enabled: on("injection") }, "injection"), toxicity, custom: fp.custom,
    leak: withLoc({ enabled: on("leak"), minWords: v(sec("leak"), "minWords", 8) }, "leak"),
    classifier: withLoc({ enabled: on("classifier"), minScore: v(sec("classifier"), "minScore", 0.5) }, "classifier"),
  };
  if (sec("classifier").models) detectors.classifier!.models = sec("classifier").models.value as { name: string; loc: SourceLoc }[];

  const customTypes = new Set(fp.custom.map((c) => c.type));
  for (const rule of fp.rules) {
    for (const leaf of leaves(rule.when)) {
      const name = leaf.detector;
      if (name === undefined) continue;
      const loc = leaf.loc ?? rule.loc!;
      if (name === "custom") {
        if (fp.custom.length === 0) fail(loc, `rule "${rule.id}" uses detector "custom", but detectors.custom defines none`, "WL_POLICY_DETECTOR_DISABLED", "detector");
        for (const t of leaf.types ?? []) {
          if (!customTypes.has(t)) {
            fail(loc, `rule "${rule.id}" selects type "${t}" from detector "custom", which no custom detector produces${didYouMean(t, [...customTypes])}`, "WL_POLICY_UNKNOWN_ENTITY", "types");
          }
        }
      } else if (!detectors[name]?.enabled) {
        fail(loc, `rule "${rule.id}" uses detector "${name}", which is disabled${where(sec(name).enabled)}`, "WL_POLICY_DETECTOR_DISABLED", "detector");
      }
    }
  }

  const ir: PolicyIR = { version: 1, name: fp.name, settings, detectors, rules: fp.rules, source };
  if (fp.description !== undefined) ir.description = fp.description;
  return ir;
}

/**
 * Parses and checks a policy written in YAML.
 * @param text the YAML source
 * @param file how errors and `loc`s name it (e.g. "policies/mine.yaml")
 * @param resolve loads `extends:` targets; without it, a policy that extends another is an error
 * @throws PolicyError with `file:line:col` and a stable `code`
 * @example
 * const ir = parsePolicy(readFileSync(p, "utf8"), p, (name, from) => {
 *   const file = join(dirname(from), name);
 *   return { text: readFileSync(file, "utf8"), file };
 * });
 */
export function parsePolicy(text: string, file: string, resolve?: PolicyResolver): PolicyIR {
  return finish(load(treeFromYaml(text, file), file, resolve, [file]), file);
}

/**
 * The same checks for a policy given as an object (e.g. from JSON or code); errors name
 * JSON paths: `<object>:rules[2].action: unknown action "blok" … (WL_POLICY_UNKNOWN_ACTION)`.
 * @example
 * const ir = policyFromObject({ version: 1, name: "mine", rules: [] });
 */
export function policyFromObject(obj: unknown, source = "<object>", resolve?: PolicyResolver): PolicyIR {
  return finish(load(treeFromObject(obj, source), source, resolve, [source]), source);
}
