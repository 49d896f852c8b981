// The policy for the curves: the same policy with every detector's report floor lowered,
// so that each row gets the detectors' raw score instead of "nothing below 0.4". Edits
// the policy *object* (loaded with the yaml package) and lets the normal parser check it;
// `extends` still resolves, and the child's lowered floor overrides the parent's.
import YAML from "yaml";
import type { PolicyIR } from "../policy/ir.ts";

/** Per detector: the settings that drop weak findings, and their "report everything" value. */
export const REPORT_FLOORS: Record<string, Record<string, unknown>> = {
  pii: { min_score: 0 },
  classifier: { min_score: 0 },
  toxicity: { min_severity: "mild" },
  // secrets.min_entropy is left alone: it is part of what a generic secret *is*, not a score floor.
};

/**
 * The policy object with the report floors lowered for every detector `ir` (the policy as
 * parsed) has enabled.
 * @example
 * const obj = lowerFloors(readFileSync(p, "utf8"), readPolicyFile(p));
 * const curvesGuard = await createGuard({ policy: policyFromObject(obj, p, resolveExtends) });
 */
export function lowerFloors(source: string, ir: PolicyIR): Record<string, unknown> {
  const obj = YAML.parse(source) as Record<string, unknown>;
  const detectors = { ...((obj.detectors as Record<string, unknown> | undefined) ?? {}) };
  const parsed = ir.detectors as unknown as Record<string, { enabled?: boolean } | undefined>;
  for (const [name, floors] of Object.entries(REPORT_FLOORS)) {
    if (!parsed[name]?.enabled) continue;
    const current = detectors[name];
    detectors[name] = { ...(current && typeof current === "object" ? current : {}), ...floors };
  }
  return { ...obj, detectors };
}
