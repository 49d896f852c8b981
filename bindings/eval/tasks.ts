// The one table of what should catch what: each evaluation task, the detectors (and, for
// the learned `classifier` detector, the finding types) whose findings count for it.
// A detector absent from the policy simply never fires, so `classifier` rows are inert
// until that detector lands and then count without changes here.
import type { Finding } from "../guard.ts";

export type TaskName = "injection" | "toxicity" | "harmful" | "pii" | "secrets";
export const TASK_NAMES: readonly TaskName[] = ["injection", "toxicity", "harmful", "pii", "secrets"];

interface Source { detector: string; types?: readonly string[] }

/** Finding sources per task. `custom` detectors count where their type's name says so. */
export const TASK_SOURCES: Record<TaskName, readonly Source[]> = {
  injection: [{ detector: "injection" }, { detector: "classifier", types: ["INJECTION"] }],
  toxicity: [{ detector: "toxicity" }, { detector: "classifier", types: ["TOXICITY"] }],
  harmful: [{ detector: "classifier", types: ["HARMFUL"] }],
  pii: [{ detector: "pii" }],
  secrets: [{ detector: "secrets" }],
};

// A user's custom detector has no task of its own; its entity type's name decides
// (e.g. `type: JAILBREAK_PHRASE` counts for injection). Types matching none count for none.
const CUSTOM_TYPE_TASK: readonly [RegExp, TaskName][] = [
  [/INJECTION|JAILBREAK/, "injection"],
  [/TOXIC|HATE|PROFAN|OFFENSIVE|INSULT|SLUR|ABUSE/, "toxicity"],
  [/HARM|WEAPON|VIOLEN/, "harmful"],
  [/SECRET|TOKEN|API_KEY|PASSWORD|CREDENTIAL|PRIVATE_KEY/, "secrets"],
  [/PII|PERSONAL|EMAIL|PHONE|IBAN|SSN|ID_NUMBER|PASSPORT/, "pii"],
];

/** The task a custom detector's type counts for, if any. */
export function customTypeTask(type: string): TaskName | undefined {
  return CUSTOM_TYPE_TASK.find(([re]) => re.test(type))?.[1];
}

/**
 * Does this finding count for the task?
 * @example
 * countsFor({ detector: "pii", type: "EMAIL", … }, "pii"); // true
 */
export function countsFor(f: Pick<Finding, "detector" | "type">, task: TaskName): boolean {
  if (f.detector === "custom") return customTypeTask(f.type) === task;
  return TASK_SOURCES[task].some((s) => s.detector === f.detector && (!s.types || s.types.includes(f.type)));
}
