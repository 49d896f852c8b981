// RULES section (layout: assembly/engine/rules.ts).
import type { ConditionIR, RuleIR, DetectorName, PhaseName } from "../ir.ts";
import { ByteWriter } from "./writer.ts";
import { StringTable, NO_STRING } from "./container.ts";

const DETECTOR_ID: Record<DetectorName, number> = { pii: 1, secrets: 2, injection: 3, toxicity: 4, custom: 5, leak: 6, classifier: 7 };
const ACTION_ID = { allow: 0, flag: 1, disclaimer: 2, pseudonymize: 3, redact: 4, stop: 5, block: 6 } as const;
const PHASE_BIT: Record<PhaseName, number> = { ingress: 1, midstream: 2, egress: 4 };
const MODE_ID = { enforce: 0, flag: 1, shadow: 2 } as const;
const NODE = { leaf: 0, any: 1, all: 2, max: 3, weighted: 4 } as const;
const REPL = { type: 0, mask: 1, keep_last: 2, text: 3 } as const;

export function encodeRules(rules: RuleIR[], strings: StringTable, typeIds: (names: string[], at: ConditionIR) => number[]): Uint8Array {
  const leaves: { detector: number; minScore: number; types: number[] }[] = [];
  const nodes: { kind: number; children: { node: number; weight: number }[]; threshold: number; leaf: number }[] = [];
  const typePool: number[] = [];

  const node = (c: ConditionIR): number => {
    if (c.kind === "leaf") {
      const types = c.types ? typeIds(c.types, c) : [];
      leaves.push({ detector: c.detector ? DETECTOR_ID[c.detector] : 0, minScore: c.minScore, types });
      nodes.push({ kind: NODE.leaf, children: [], threshold: 0, leaf: leaves.length - 1 });
      return nodes.length - 1;
    }
    const children =
      c.kind === "weighted"
        ? c.terms.map((t) => ({ node: node(t.when), weight: t.weight }))
        : c.of.map((x) => ({ node: node(x), weight: 1 }));
    nodes.push({ kind: NODE[c.kind], children, threshold: "threshold" in c ? c.threshold : 0, leaf: 0 });
    return nodes.length - 1;
  };

  const roots = rules.map((r) => node(r.when));

  const w = new ByteWriter();
  const childCount = nodes.reduce((n, x) => n + x.children.length, 0);
  const poolCount = leaves.reduce((n, l) => n + l.types.length, 0);
  w.u32(rules.length).u32(leaves.length).u32(nodes.length).u32(childCount).u32(poolCount);
  rules.forEach((r, i) => {
    const repl = r.replacement ?? { kind: "type" };
    const count = repl.kind === "keep_last" ? repl.count : 0;
    const ch = repl.kind === "mask" || repl.kind === "keep_last" ? repl.char.charCodeAt(0) : 0x2a;
    w.u32(strings.id(r.id));
    w.u32(ACTION_ID[r.action]);
    w.u32(r.phases.reduce((m, p) => m | PHASE_BIT[p], 0));
    w.u32(MODE_ID[r.mode]);
    w.u32(REPL[repl.kind] | (count << 8) | (ch << 16));
    w.u32(r.message !== undefined ? strings.id(r.message) : NO_STRING);
    w.u32(repl.kind === "text" ? strings.id(repl.text) : NO_STRING);
    w.u32(roots[i]);
  });
  for (const l of leaves) {
    w.u32(l.detector).f32(l.minScore).u32(l.types.length).u32(typePool.length);
    typePool.push(...l.types);
  }
  let child = 0;
  for (const n of nodes) {
    w.u32(n.kind).u32(n.children.length).f32(n.threshold).u32(n.kind === NODE.leaf ? n.leaf : child);
    child += n.children.length;
  }
  for (const n of nodes) for (const c of n.children) w.u32(c.node).f32(c.weight);
  for (const t of typePool) w.u32(t);
  return w.finish();
}
