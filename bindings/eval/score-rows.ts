// Runs every row through two guards: the policy as written (the operating point: did a
// rule act? which spans were found? how long did it take?) and the same policy with the
// report floors lowered (the row's score for the curves). Rows are scored in input order.
import type { Guard, Phase, Finding } from "../guard.ts";
import type { Row } from "./read-data.ts";
import { targetsOf } from "./categories.ts";
import { countsFor, type TaskName } from "./tasks.ts";
import { outOfScope } from "./scope.ts";

/** A found span, in the row's UTF-16 offsets. */
export interface FoundSpan { start: number; end: number; type: string }

/** One row judged for one task. */
export interface Outcome {
  row: Row;
  task: TaskName;
  positive: boolean;
  /** a rule fired on a finding of the task's detectors with an action other than allow */
  caught: boolean;
  /** "rule:action" of the first such rule */
  caughtBy?: string;
  /** max score of the task's findings under the lowered floors; 0 when there were none */
  score: number;
  /** the task's findings under the policy as written (span-level scoring) */
  found: FoundSpan[];
}

export interface Timing { ns: bigint; bytes: number }

export interface Scored {
  outcomes: Outcome[];
  timings: Timing[];
  /** rows per unknown category */
  unknown: Map<string, number>;
  /** per task: rows out of scope (scope.ts), and rows per data type among them */
  outOfScope: Map<TaskName, { rows: number; types: Map<string, number> }>;
}

const encoder = new TextEncoder();
const WARM_UP = 64;

/**
 * Scores the rows. `onProgress(done, total)` is called every few hundred rows.
 * @example
 * const { outcomes } = scoreRows(rows, { asWritten, floorsLowered, phase: "ingress" });
 */
export function scoreRows(
  rows: readonly Row[],
  guards: { asWritten: Guard; floorsLowered: Guard; phase: Phase },
  onProgress?: (done: number, total: number) => void,
): Scored {
  const outcomes: Outcome[] = [];
  const timings: Timing[] = [];
  const unknown = new Map<string, number>();
  const scope: Scored["outOfScope"] = new Map();
  const hrtime = (globalThis as { process?: { hrtime: { bigint(): bigint } } }).process?.hrtime;
  // Untimed warm-up: the first scans of a fresh instance pay for JIT tiers and memory
  // growth, which would otherwise land in the latency of the first rows.
  for (let i = 0; i < Math.min(WARM_UP, rows.length); i++) guards.asWritten.scan(rows[i].text, { phase: guards.phase });
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const targets = targetsOf(row.category);
    if (targets.length === 0) {
      unknown.set(row.category, (unknown.get(row.category) ?? 0) + 1);
    } else {
      const t0 = hrtime ? hrtime.bigint() : 0n;
      const written = guards.asWritten.scan(row.text, { phase: guards.phase });
      const t1 = hrtime ? hrtime.bigint() : 0n;
      timings.push({ ns: t1 - t0, bytes: encoder.encode(row.text).length });
      const lowered = guards.floorsLowered.scan(row.text, { phase: guards.phase }).findings;
      for (const { task, positive } of targets) {
        const types = outOfScope(row, task, positive);
        if (!types) {
          outcomes.push(judge(row, task, positive, written.findings, lowered));
          continue;
        }
        const s = scope.get(task) ?? scope.set(task, { rows: 0, types: new Map() }).get(task)!;
        s.rows++;
        for (const t of types) s.types.set(t, (s.types.get(t) ?? 0) + 1);
      }
    }
    if (onProgress && ((i + 1) % 200 === 0 || i + 1 === rows.length)) onProgress(i + 1, rows.length);
  }
  return { outcomes, timings, unknown, outOfScope: scope };
}

function judge(row: Row, task: TaskName, positive: boolean, written: Finding[], lowered: Finding[]): Outcome {
  const mine = written.filter((f) => countsFor(f, task));
  const acted = mine.find((f) => f.rule !== undefined && f.action !== "allow");
  let score = 0;
  for (const f of lowered) if (countsFor(f, task) && f.score > score) score = f.score;
  const out: Outcome = {
    row, task, positive, caught: acted !== undefined, score,
    found: mine.map((f) => ({ start: f.start, end: f.end, type: f.type })),
  };
  if (acted) out.caughtBy = `${acted.rule}:${acted.action}`;
  return out;
}
