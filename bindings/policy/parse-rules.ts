// rules: conditions, actions, phases, replacements. Everything here is checked per rule,
// because a rule is replaced whole when a child policy redefines its id.
import type { ActionName, ConditionIR, DetectorName, PhaseName, Replacement, RuleIR } from "./ir.ts";
import { asEntityName, asId, asList, asMap, asNumber, asString, asWord, describe, fail, MapReader } from "./parse-read.ts";
import { didYouMean } from "./parse-suggest.ts";
import { DETECTOR_NAMES } from "./parse-sections.ts";
import type { PNode } from "./parse-tree.ts";

export const ACTIONS: readonly ActionName[] = ["allow", "flag", "redact", "pseudonymize", "block", "stop", "disclaimer"];
export const PHASES: readonly PhaseName[] = ["ingress", "midstream", "egress"];
export const MODES = ["enforce", "flag", "shadow"] as const;
export const RULE_KEYS = ["id", "description", "phases", "when", "action", "replacement", "message", "mode"] as const;
export const LEAF_KEYS = ["detector", "types", "min_score"] as const;
export const COMBINATORS = ["any", "all", "max", "weighted"] as const;
export const CONDITION_KEYS = [...LEAF_KEYS, ...COMBINATORS, "threshold"] as const;
export const WEIGHTED_TERM_KEYS = ["weight", "when"] as const;
export const REPLACEMENT_KEYS = ["keep_last", "mask", "text"] as const;
export const MAX_CONDITION_DEPTH = 8;

/**
 * Where each action can act. block answers the request with an error, so it needs the
 * request (ingress) or an answer not yet sent (egress of a non-streamed response); stop
 * ends an answer, so it needs one (midstream, or egress). A rule that omits `phases` gets
 * every phase its action allows.
 */
export const ACTION_PHASES: Record<ActionName, readonly PhaseName[]> = {
  allow: PHASES, flag: PHASES, redact: PHASES, pseudonymize: PHASES, disclaimer: PHASES,
  block: ["ingress", "egress"],
  stop: ["midstream", "egress"],
};

/** Classifier scores are probabilities, so a bare leaf means "more likely than not"; pattern findings count at any score. */
export function defaultLeafMinScore(detector: DetectorName | undefined): number {
  return detector === "injection" || detector === "toxicity" || detector === "classifier" ? 0.5 : 0;
}

const score = (n: PNode, key: string) => asNumber(n, key, { min: 0, max: 1 });

export function readCondition(node: PNode, key: string, depth: number): ConditionIR {
  if (depth > MAX_CONDITION_DEPTH) fail(node.loc, `conditions nest more than ${MAX_CONDITION_DEPTH} levels deep`, "WL_POLICY_CONDITION_DEPTH", key);
  const map = asMap(node, key);
  const r = new MapReader(map, "in a condition").checkKeys(CONDITION_KEYS);
  const combos = map.entries.filter((e) => (COMBINATORS as readonly string[]).includes(e.key));
  const leafKeys = map.entries.filter((e) => (LEAF_KEYS as readonly string[]).includes(e.key));
  const threshold = r.get("threshold");
  const loc = map.loc;
  if (combos.length > 1) {
    fail(combos[1].keyLoc, `a condition is one of any/all/max/weighted, not both "${combos[0].key}" and "${combos[1].key}" — nest one inside the other`, "WL_POLICY_CONDITION_SHAPE", combos[1].key);
  }
  if (combos.length === 0) {
    if (threshold) fail(threshold.keyLoc, `"threshold" applies only to max and weighted conditions`, "WL_POLICY_INAPPLICABLE_KEY", "threshold");
    if (leafKeys.length === 0) fail(loc, `a condition needs "detector" and/or "types", or one of any, all, max, weighted`, "WL_POLICY_CONDITION_SHAPE", key);
    const det = r.get("detector");
    const detector = det ? asWord(det.value, "detector", DETECTOR_NAMES, "WL_POLICY_UNKNOWN_DETECTOR", "detector") : undefined;
    const leaf: ConditionIR = { kind: "leaf", minScore: defaultLeafMinScore(detector), loc };
    if (detector) leaf.detector = detector;
    const types = r.get("types");
    if (types) leaf.types = asList(types.value, "types", (t) => asEntityName(t, "types")).map((t) => t.value);
    const min = r.get("min_score");
    if (min) leaf.minScore = score(min.value, "min_score");
    return leaf;
  }
  const c = combos[0];
  if (leafKeys.length > 0) {
    const k = leafKeys[0];
    fail(k.keyLoc, `"${k.key}" cannot stand beside "${c.key}": put the leaf inside the "${c.key}" list`, "WL_POLICY_CONDITION_SHAPE", k.key);
  }
  if (c.key === "any" || c.key === "all") {
    if (threshold) fail(threshold.keyLoc, `"threshold" applies only to max and weighted conditions`, "WL_POLICY_INAPPLICABLE_KEY", "threshold");
    return { kind: c.key, of: asList(c.value, c.key, (n) => readCondition(n, c.key, depth + 1)).map((e) => e.value), loc };
  }
  const th = score(r.need("threshold").value, "threshold");
  if (c.key === "max") {
    return { kind: "max", of: asList(c.value, "max", (n) => readCondition(n, "max", depth + 1)).map((e) => e.value), threshold: th, loc };
  }
  const terms = asList(c.value, "weighted", (n) => {
    const t = new MapReader(asMap(n, "weighted"), "in a weighted term").checkKeys(WEIGHTED_TERM_KEYS);
    const weight = asNumber(t.need("weight").value, "weight", { min: 0, max: 1, minExclusive: true });
    return { weight, when: readCondition(t.need("when").value, "when", depth + 1) };
  }).map((e) => e.value);
  return { kind: "weighted", terms, threshold: th, loc };
}

function maskChar(node: PNode): string {
  const s = asString(node, "mask");
  // One visible code point: masks must keep the span's length in code points.
  if ([...s].length !== 1 || /\s|\p{C}/u.test(s)) fail(node.loc, `"mask" must be one visible character, got ${JSON.stringify(s)}`, "WL_POLICY_BAD_VALUE", "mask");
  return s;
}

export function readReplacement(node: PNode): Replacement {
  if (node.t === "scalar" && typeof node.value === "string") {
    if (node.value === "type") return { kind: "type" };
    if (node.value === "mask") return { kind: "mask", char: "*" };
  }
  if (node.t !== "map") {
    const v = node.t === "scalar" ? node.value : undefined;
    if (typeof v !== "string") fail(node.loc, `"replacement" must be "type", "mask" or a mapping, got ${describe(node)}`, "WL_POLICY_TYPE", "replacement");
    const forms = `expected "type", "mask" or a mapping with keep_last, mask or text`;
    fail(node.loc, `unknown replacement ${JSON.stringify(v)}${didYouMean(v, ["type", "mask"])} (${forms})`, "WL_POLICY_BAD_VALUE", "replacement");
  }
  const r = new MapReader(node, "in a replacement").checkKeys(REPLACEMENT_KEYS);
  const text = r.get("text");
  const keep = r.get("keep_last");
  const mask = r.get("mask");
  if (text) {
    const other = keep ?? mask;
    if (other) fail(other.keyLoc, `"${other.key}" cannot be combined with "text"`, "WL_POLICY_INAPPLICABLE_KEY", other.key);
    return { kind: "text", text: asString(text.value, "text") };
  }
  const char = mask ? maskChar(mask.value) : "*";
  if (keep) return { kind: "keep_last", count: asNumber(keep.value, "keep_last", { min: 1, max: 32, integer: true }), char };
  if (mask) return { kind: "mask", char };
  fail(node.loc, `a replacement mapping needs "keep_last", "mask" or "text"`, "WL_POLICY_BAD_VALUE", "replacement");
}

export function readRules(node: PNode): RuleIR[] {
  const ids = new Set<string>();
  return asList(node, "rules", (item) => readRule(item, ids), { allowEmpty: true }).map((e) => e.value);
}

function readRule(node: PNode, ids: Set<string>): RuleIR {
  const map = asMap(node, "rules");
  const idEntry = map.entries.find((e) => e.key === "id");
  const label = idEntry && idEntry.value.t === "scalar" && typeof idEntry.value.value === "string" ? `in rule "${idEntry.value.value}"` : "in a rule";
  const r = new MapReader(map, label).checkKeys(RULE_KEYS);
  const idNode = r.need("id").value;
  const id = asId(idNode, "id");
  if (ids.has(id)) fail(idNode.loc, `rule id "${id}" is used twice`, "WL_POLICY_DUPLICATE_ID", "id");
  ids.add(id);

  const actionNode = r.need("action").value;
  const action = asWord(actionNode, "action", ACTIONS, "WL_POLICY_UNKNOWN_ACTION", "action");
  const allowed = ACTION_PHASES[action];
  let phases: PhaseName[] = [...allowed];
  const ph = r.get("phases");
  if (ph) {
    const listed = asList(ph.value, "phases", (n) => asWord(n, "phases", PHASES, "WL_POLICY_UNKNOWN_PHASE", "phase"));
    for (const p of listed) {
      if (!allowed.includes(p.value)) {
        fail(p.loc, `rule "${id}": ${action} cannot act in ${p.value} (it can in ${allowed.join(" and ")})`, "WL_POLICY_ACTION_PHASE", "phases");
      }
    }
    phases = PHASES.filter((p) => listed.some((l) => l.value === p)); // canonical order
  }

  const whenEntry = r.need("when");
  const when = readCondition(whenEntry.value, "when", 0);
  if ((action === "redact" || action === "pseudonymize") && when.kind !== "leaf") {
    fail(whenEntry.value.loc, `rule "${id}": ${action} replaces the spans one leaf selects, so "when" must be a single detector/types condition, not "${when.kind}"`, "WL_POLICY_ACTION_CONDITION", "when");
  }

  const rule: RuleIR = { id, phases, when, action, mode: "enforce", loc: map.loc };
  const rep = r.get("replacement");
  if (rep) {
    if (action !== "redact") fail(rep.keyLoc, `"replacement" applies only to redact rules, not ${action}`, "WL_POLICY_INAPPLICABLE_KEY", "replacement");
    rule.replacement = readReplacement(rep.value);
  } else if (action === "redact") {
    rule.replacement = { kind: "type" };
  }
  const msg = r.get("message");
  if (msg) {
    if (action !== "block" && action !== "stop" && action !== "disclaimer") {
      fail(msg.keyLoc, `"message" applies only to block, stop and disclaimer rules, not ${action}`, "WL_POLICY_INAPPLICABLE_KEY", "message");
    }
    rule.message = asString(msg.value, "message", true);
  } else if (action === "block" || action === "disclaimer") {
    const what = action === "block" ? "the error text the client sees" : "the text to append";
    fail(actionNode.loc, `rule "${id}": ${action} needs a "message" (${what})`, "WL_POLICY_MESSAGE_REQUIRED", "message");
  }
  const mode = r.get("mode");
  if (mode) rule.mode = asWord(mode.value, "mode", MODES);
  const desc = r.get("description");
  if (desc) asString(desc.value, "description");
  return rule;
}
