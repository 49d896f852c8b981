// One located tree for both policy sources, so that a YAML file and a plain object pass
// through exactly the same checks. A YAML node carries the 1-based line:col where it
// starts (from the yaml package's LineCounter); an object node carries its JSON path in
// `file` ("<object>:rules[2].action") with line = col = 0 (see formatLoc in errors.ts).
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { PolicyError } from "../errors.ts";
import type { SourceLoc } from "./ir.ts";

export interface PEntry { key: string; keyLoc: SourceLoc; value: PNode }
export type PNode =
  | { t: "map"; loc: SourceLoc; entries: PEntry[] }
  | { t: "seq"; loc: SourceLoc; items: PNode[] }
  | { t: "scalar"; loc: SourceLoc; value: unknown };
export type PMap = Extract<PNode, { t: "map" }>;
export type PSeq = Extract<PNode, { t: "seq" }>;

// Aliases can make a small file expand exponentially ("billion laughs"); no honest
// policy comes near this many nodes.
const MAX_NODES = 100_000;

/** Parses YAML text into a located tree; syntax errors become PolicyErrors. */
export function treeFromYaml(text: string, file: string): PNode {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLoc => {
    const p = lc.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  // Warnings (an unknown !tag) count too: a policy must mean exactly what it says.
  const err = doc.errors[0] ?? doc.warnings[0];
  if (err) {
    if (err.code === "DUPLICATE_KEY") {
      const m = /^(?:"([^"]*)"|'([^']*)'|([^\s:,{}[\]]+))/.exec(text.slice(err.pos[0]));
      const key = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
      const what = key === undefined ? "a key" : `key "${key}"`;
      throw new PolicyError(at(err.pos[0]), `${what} appears twice in the same mapping`, "WL_POLICY_DUPLICATE_KEY", key);
    }
    const detail = err.code === "MULTIPLE_DOCS" ? "a policy file holds one YAML document, found a second (---)" : err.message.split("\n")[0];
    throw new PolicyError(at(err.pos[0]), `YAML syntax: ${detail}`, "WL_POLICY_YAML_SYNTAX");
  }
  let budget = MAX_NODES;
  const walk = (node: unknown, fallback: SourceLoc): PNode => {
    if (--budget < 0) throw new PolicyError(fallback, `the policy expands to more than ${MAX_NODES} nodes`, "WL_POLICY_TOO_LARGE");
    if (isAlias(node)) {
      const target = node.resolve(doc as Document);
      if (!target) throw new PolicyError(node.range ? at(node.range[0]) : fallback, `YAML syntax: alias *${node.source} has no anchor`, "WL_POLICY_YAML_SYNTAX");
      return walk(target, fallback);
    }
    const loc = node && (node as YamlNode).range ? at((node as YamlNode).range![0]) : fallback;
    if (isMap(node)) {
      const entries: PEntry[] = [];
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        const keyLoc = k && k.range ? at(k.range[0]) : loc;
        if (k !== null && !isScalar(k)) throw new PolicyError(keyLoc, "mapping keys must be plain words", "WL_POLICY_TYPE");
        entries.push({ key: String(k === null ? "" : k.value), keyLoc, value: walk(pair.value, keyLoc) });
      }
      return { t: "map", loc, entries };
    }
    if (isSeq(node)) return { t: "seq", loc, items: node.items.map((item) => walk(item, loc)) };
    if (isScalar(node)) return { t: "scalar", loc, value: node.value };
    return { t: "scalar", loc, value: null }; // empty value, e.g. "action:" with nothing after it
  };
  return walk(doc.contents, { file, line: 1, col: 1 });
}

/** Builds the same tree from a plain object (JSON-like); locations are JSON paths. */
export function treeFromObject(obj: unknown, source: string): PNode {
  let budget = MAX_NODES;
  const onPath = new Set<object>();
  const walk = (v: unknown, path: string): PNode => {
    const loc: SourceLoc = { file: path ? `${source}:${path}` : source, line: 0, col: 0 };
    if (--budget < 0) throw new PolicyError(loc, `the policy has more than ${MAX_NODES} nodes`, "WL_POLICY_TOO_LARGE");
    if (v === null || typeof v !== "object") return { t: "scalar", loc, value: v === undefined ? null : v };
    if (onPath.has(v)) throw new PolicyError(loc, "circular reference", "WL_POLICY_TYPE");
    onPath.add(v);
    try {
      if (Array.isArray(v)) return { t: "seq", loc, items: Array.from(v, (item, i) => walk(item, `${path}[${i}]`)) };
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
        return { t: "scalar", loc, value: v }; // a Date, Map, class instance…: reported as a wrong type
      }
      const entries: PEntry[] = [];
      for (const [key, value] of Object.entries(v)) {
        if (value === undefined) continue; // as JSON.stringify would drop it
        const p = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
        const child = walk(value, p);
        entries.push({ key, keyLoc: { file: `${source}:${p}`, line: 0, col: 0 }, value: child });
      }
      return { t: "map", loc, entries };
    } finally {
      onPath.delete(v);
    }
  };
  return walk(obj, "");
}
