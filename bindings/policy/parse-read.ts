// Typed readers over the located tree: each either returns the value or throws a
// PolicyError at the offending key or value with a message that says what was expected.
import { PolicyError, type ErrorCode } from "../errors.ts";
import type { SourceLoc } from "./ir.ts";
import { didYouMean } from "./parse-suggest.ts";
import type { PEntry, PMap, PNode, PSeq } from "./parse-tree.ts";

export function fail(loc: SourceLoc, detail: string, code: ErrorCode, key?: string): never {
  throw new PolicyError(loc, detail, code, key);
}

/** How a value reads in a message: `the string "yes"`, `a list`, `the number 3`. */
export function describe(node: PNode): string {
  if (node.t === "map") return "a mapping";
  if (node.t === "seq") return "a list";
  const v = node.value;
  if (v === null) return "nothing (null)";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v === "number" ? "the number " : ""}${v}`;
  return `a value of type ${typeof v}`;
}

function typeError(node: PNode, expected: string, key?: string): never {
  fail(node.loc, `${key ? `"${key}" must be ` : "expected "}${expected}, got ${describe(node)}`, "WL_POLICY_TYPE", key);
}

/** A mapping whose keys are checked against the language. */
export class MapReader {
  constructor(readonly node: PMap, readonly where: string) {}

  /** Rejects keys outside `allowed`, suggesting the nearest allowed one. */
  checkKeys(allowed: readonly string[]): this {
    for (const e of this.node.entries) {
      if (!allowed.includes(e.key)) {
        fail(e.keyLoc, `unknown key "${e.key}" ${this.where}${didYouMean(e.key, allowed)}`, "WL_POLICY_UNKNOWN_KEY", e.key);
      }
    }
    return this;
  }
  get(key: string): PEntry | undefined {
    return this.node.entries.find((e) => e.key === key);
  }
  need(key: string): PEntry {
    const e = this.get(key);
    if (!e) fail(this.node.loc, `missing key "${key}" ${this.where}`, "WL_POLICY_MISSING_KEY", key);
    return e;
  }
}

export function asMap(node: PNode, key?: string): PMap {
  if (node.t !== "map") typeError(node, "a mapping (key: value pairs)", key);
  return node;
}

export function asSeq(node: PNode, key?: string): PSeq {
  if (node.t !== "seq") typeError(node, "a list", key);
  return node;
}

export function asString(node: PNode, key?: string, nonEmpty = false): string {
  if (node.t !== "scalar" || typeof node.value !== "string") typeError(node, "a string", key);
  const s = node.value as string;
  if (nonEmpty && s.trim() === "") fail(node.loc, `${key ? `"${key}"` : "the string"} must not be empty`, "WL_POLICY_EMPTY", key);
  return s;
}

export function asBool(node: PNode, key?: string): boolean {
  // YAML 1.2 reads yes/no/on/off as strings; say so rather than guess.
  if (node.t !== "scalar" || typeof node.value !== "boolean") {
    const yes = node.t === "scalar" && typeof node.value === "string" && /^(yes|no|on|off|y|n)$/i.test(node.value);
    typeError(node, yes ? "true or false (YAML 1.2 reads yes/no/on/off as strings)" : "true or false", key);
  }
  return node.value as boolean;
}

export interface NumberRange { min: number; max: number; integer?: boolean; minExclusive?: boolean }

export function asNumber(node: PNode, key: string, r: NumberRange): number {
  if (node.t !== "scalar" || typeof node.value !== "number") typeError(node, r.integer ? "an integer" : "a number", key);
  const v = node.value as number;
  const low = r.minExclusive ? `greater than ${r.min}` : `at least ${r.min}`;
  const inRange = Number.isFinite(v) && (r.minExclusive ? v > r.min : v >= r.min) && v <= r.max;
  if (!inRange) fail(node.loc, `"${key}" must be ${low} and at most ${r.max}, got ${v}`, "WL_POLICY_RANGE", key);
  if (r.integer && !Number.isInteger(v)) fail(node.loc, `"${key}" must be a whole number, got ${v}`, "WL_POLICY_RANGE", key);
  return v;
}

/** One of a fixed set of words, with a suggestion for near misses. */
export function asWord<T extends string>(node: PNode, key: string, allowed: readonly T[], code: ErrorCode = "WL_POLICY_BAD_VALUE", what = key): T {
  const s = asString(node, key);
  if (!(allowed as readonly string[]).includes(s)) {
    const list = allowed.map((a) => `"${a}"`).join(", ");
    fail(node.loc, `unknown ${what} "${s}"${didYouMean(s, allowed)} (expected one of ${list})`, code, key);
  }
  return s as T;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Rule, custom-detector and policy ids: they appear in headers, metrics and logs. */
export function asId(node: PNode, key: string): string {
  const s = asString(node, key, true);
  if (!ID.test(s)) {
    fail(node.loc, `"${key}" ${JSON.stringify(s)} must be 1–64 characters of letters, digits, "_", "." or "-", starting with a letter or digit`, "WL_POLICY_BAD_ID", key);
  }
  return s;
}

const ENTITY = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Entity/secret type names: EMAIL, CREDIT_CARD, PROJECT_CODENAME. */
export function asEntityName(node: PNode, key: string): string {
  const s = asString(node, key, true);
  if (!ENTITY.test(s)) {
    const upper = s.toUpperCase().replace(/[^A-Z0-9_]+/g, "_");
    const hint = ENTITY.test(upper) ? ` — did you mean "${upper}"?` : "";
    fail(node.loc, `entity type ${JSON.stringify(s)} must be upper-case letters, digits and "_", starting with a letter${hint}`, "WL_POLICY_ENTITY_NAME", key);
  }
  return s;
}

/** A non-empty list whose items are read by `item`, each named at most once. */
export function asList<T>(node: PNode, key: string, item: (n: PNode) => T, opts: { allowEmpty?: boolean; name?: (v: T) => string } = {}): { value: T; loc: SourceLoc }[] {
  const seq = asSeq(node, key);
  if (!opts.allowEmpty && seq.items.length === 0) fail(seq.loc, `"${key}" must not be an empty list`, "WL_POLICY_EMPTY", key);
  const seen = new Set<string>();
  return seq.items.map((n) => {
    const value = item(n);
    const name = opts.name ? opts.name(value) : typeof value === "string" ? value : undefined;
    if (name !== undefined) {
      if (seen.has(name)) fail(n.loc, `"${name}" is listed twice in "${key}"`, "WL_POLICY_DUPLICATE_ITEM", key);
      seen.add(name);
    }
    return { value, loc: n.loc };
  });
}
