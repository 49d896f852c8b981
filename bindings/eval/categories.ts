// Data set categories → the task a row measures and whether it is a positive. Decided
// from the categories in ../shared/datasets (README table). Generic benign prompts
// (`benign_*`) are negatives for every prompt-level task: they are the over-defence set.
// A category found in none of these is reported as unknown and its rows are not scored.
import type { TaskName } from "./tasks.ts";

export interface Target { task: TaskName; positive: boolean }

const PROMPT_TASKS: readonly TaskName[] = ["injection", "toxicity", "harmful"];
const pos = (task: TaskName): Target[] => [{ task, positive: true }];
const neg = (task: TaskName): Target[] => [{ task, positive: false }];

/** Exact category names. */
export const CATEGORY_TARGETS: Record<string, readonly Target[]> = {
  // prompt injection and jailbreaks
  prompt_injection: pos("injection"),
  injection: pos("injection"),
  jailbreak: pos("injection"),
  benign: neg("injection"), // the benign half of the injection data sets
  // toxicity
  hate_speech: pos("toxicity"),
  hate: pos("toxicity"),
  offensive_language: pos("toxicity"),
  offensive: pos("toxicity"),
  toxic: pos("toxicity"),
  profanity: pos("toxicity"),
  profanity_lexicon: pos("toxicity"),
  implicit_hate: pos("toxicity"),
  neither: neg("toxicity"),
  neutral_about_group: neg("toxicity"),
  // harmful requests
  harmful_request: pos("harmful"),
  benign_contrast: neg("harmful"),
  // PII and identifiers
  pii: pos("pii"),
  phone_number: pos("pii"),
  iban: pos("pii"),
  valid_identifier: pos("pii"),
  no_pii: neg("pii"),
  no_pii_lookalike: neg("pii"),
  invalid_identifier: neg("pii"),
  // secrets
  secret: pos("secrets"),
  secret_lookalike: neg("secrets"),
  no_secret: neg("secrets"),
};

/**
 * What a row of this category measures; empty when the category is unknown.
 * @example
 * targetsOf("jailbreak");   // [{ task: "injection", positive: true }]
 * targetsOf("benign_math"); // negatives of injection, toxicity and harmful
 */
export function targetsOf(category: string): readonly Target[] {
  const exact = CATEGORY_TARGETS[category];
  if (exact) return exact;
  if (category.startsWith("benign_")) return PROMPT_TASKS.map((task) => ({ task, positive: false }));
  return [];
}
