// `wardline eval`: the Node side of the evaluation — arguments, files, the two guards,
// output. Everything it computes lives in the files next to it.
import { parseArgs } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { createGuard, readPolicyFile, shippedPolicy, resolveExtends } from "../index.ts";
import { policyFromObject } from "../policy/parse.ts";
import { WardlineError } from "../errors.ts";
import { parseRows, type Row } from "./read-data.ts";
import { lowerFloors } from "./floors.ts";
import { scoreRows } from "./score-rows.ts";
import { evaluate } from "./evaluate.ts";
import { textTable } from "./text-table.ts";
import { htmlReport } from "./html-report.ts";
import { progressBar } from "./progress.ts";
import { TASK_SOURCES, customTypeTask, type TaskName } from "./tasks.ts";
import type { PolicyIR } from "../policy/ir.ts";
import { SHIPPED_POLICIES } from "../policy/builtin/shipped-policies.ts";

export const EVAL_USAGE = "usage: wardline eval --policy FILE|NAME --data FILE.jsonl [--data FILE.jsonl …] [--json] [--report OUT.html] [--phase ingress|midstream|egress]";

const EVAL_PHASES = ["ingress", "midstream", "egress"];
const usage = (msg: string) => new WardlineError(`${msg}\n${EVAL_USAGE} (WL_EVAL_USAGE)`, "WL_EVAL_USAGE");

/** The policy's source text and its parsed form (shipped name or YAML/JSON file). */
function loadPolicy(policy: string): { text: string; file: string; ir: PolicyIR } {
  if (SHIPPED_POLICIES[policy] !== undefined) return { text: SHIPPED_POLICIES[policy], file: `policies/${policy}.yaml`, ir: shippedPolicy(policy) };
  if (/\.wlp$/i.test(policy)) throw usage("eval needs the policy source (YAML or JSON) to lower its report floors, not compiled bytes");
  const ir = readPolicyFile(policy); // reports unreadable files and policy errors with file:line:col
  return { text: readFileSync(policy, "utf8"), file: policy, ir };
}

function readData(file: string): Row[] {
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (e) {
    throw new WardlineError(`${file}: cannot read data file: ${(e as Error).message} (WL_EVAL_DATA_FILE)`, "WL_EVAL_DATA_FILE");
  }
  return parseRows(content, file);
}

/** Which of the policy's detectors count for a task (for the report's "detectors" column). */
function detectorsFor(ir: PolicyIR, task: TaskName): string[] {
  const d = ir.detectors as unknown as Record<string, { enabled?: boolean } | undefined>;
  const out = TASK_SOURCES[task].filter((s) => d[s.detector]?.enabled).map((s) => (s.types ? `${s.detector}(${s.types.join("|")})` : s.detector));
  for (const c of ir.detectors.custom) if (customTypeTask(c.type) === task) out.push(`custom(${c.type})`);
  return out;
}

/**
 * Runs `wardline eval` with the arguments after the subcommand; returns the exit code
 * (0 done, 1 usage, data or policy error — thrown as WardlineError for cli.ts to print).
 */
export async function evalCommand(args: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args, strict: true, allowPositionals: false,
      options: {
        policy: { type: "string" }, data: { type: "string", multiple: true }, json: { type: "boolean" },
        report: { type: "string" }, phase: { type: "string", default: "ingress" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw usage((e as Error).message);
  }
  if (values.help) { io.stdout.write(EVAL_USAGE + "\n"); return 0; }
  if (!values.policy) throw usage("--policy is required");
  if (!values.data?.length) throw usage("at least one --data file is required");
  if (!EVAL_PHASES.includes(values.phase!)) throw usage(`--phase must be one of ${EVAL_PHASES.join(", ")}`);
  const phase = values.phase as "ingress";

  const policy = loadPolicy(values.policy);
  const files = values.data.map((file) => ({ file, rows: readData(file) }));
  const rows = files.flatMap((f) => f.rows);
  const asWritten = await createGuard({ policy: policy.ir });
  const floorsLowered = await createGuard({ policy: policyFromObject(lowerFloors(policy.text, policy.ir), policy.file, resolveExtends) });

  const bar = io.stderr.isTTY ? progressBar(io.stderr) : undefined;
  const scored = scoreRows(rows, { asWritten, floorsLowered, phase }, bar?.update);
  bar?.done();
  if (scored.outcomes.length === 0) {
    throw new WardlineError(`no row has a category any task scores (found: ${[...scored.unknown.keys()].sort().join(", ") || "no rows"}) (WL_EVAL_NO_DATA)`, "WL_EVAL_NO_DATA");
  }
  const report = evaluate(scored, {
    files, policy: { name: policy.ir.name, hash: asWritten.policyHash, phase }, detectors: (t) => detectorsFor(policy.ir, t),
  });
  io.stdout.write(values.json ? JSON.stringify(report, null, 2) + "\n" : textTable(report));
  if (values.report) {
    writeFileSync(values.report, htmlReport(report));
    io.stderr.write(`wrote ${values.report}\n`);
  }
  return 0;
}
