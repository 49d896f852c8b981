// PII rows about types Wardline has no detector for (PERSON, LOCATION, a Korean business
// number, …) are out of scope: counting them as misses would measure the data set's
// taxonomy, not the detector. A positive PII row is out of scope when the data names its
// types (gold spans, or the row's entity) and none maps to a Wardline type. Negatives
// always stay in: anything found on a look-alike is a false positive whatever its type.
// Out-of-scope rows are counted and listed in every output, never silently dropped.
import type { Row } from "./read-data.ts";
import { wardlineType } from "./entity-types.ts";
import type { TaskName } from "./tasks.ts";

/**
 * The row's data types when it is out of scope for the task, else undefined.
 * @example
 * outOfScope({ label: 1, spans: [{ start: 0, end: 5, type: "PERSON" }], … }, "pii"); // ["PERSON"]
 */
export function outOfScope(row: Row, task: TaskName, positive: boolean): string[] | undefined {
  if (task !== "pii" || !positive) return undefined;
  const types = row.spans?.length ? [...new Set(row.spans.map((s) => s.type))] : row.entity !== undefined ? [row.entity] : undefined;
  if (!types || types.some((t) => wardlineType(t, "pii") !== undefined)) return undefined;
  return types;
}
