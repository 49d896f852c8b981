// Policy outcomes into metrics: decisions by phase/action/rule, findings by detector/type.
import type { RequestInspection } from "../bindings/inspect-request.ts";
import type { ProtoResult } from "../bindings/transform.ts";
import type { ProxyMetrics } from "./metrics.ts";
import type { PolicyNames } from "./policy-names.ts";

export function recordIngress(m: ProxyMetrics, r: RequestInspection): { rules: string[]; findings: number } {
  const rules = new Set<string>();
  let findings = 0;
  for (const p of r.parts) {
    for (const f of p.findings) {
      findings++;
      m.findings.inc({ phase: "ingress", detector: f.detector, type: f.type });
      if (f.rule) rules.add(f.rule);
    }
  }
  if (r.rule) rules.add(r.rule);
  if (rules.size === 0) m.decisions.inc({ phase: "ingress", action: r.action, rule: "" });
  for (const id of rules) m.decisions.inc({ phase: "ingress", action: id === r.rule ? "block" : r.action, rule: id });
  return { rules: [...rules], findings };
}

/** One provider-stream result (Guard.transform onResult). */
export function recordMidstream(m: ProxyMetrics, names: PolicyNames, r: ProtoResult): string[] {
  for (const f of r.findings) m.findings.inc({ phase: "midstream", detector: f.detector, type: names.types[f.typeId] ?? String(f.typeId) });
  const rules: string[] = [];
  for (const f of r.fired) {
    const id = names.rules[f.rule] ?? String(f.rule);
    rules.push(id);
    m.decisions.inc({ phase: "midstream", action: f.action, rule: id });
  }
  return rules;
}
