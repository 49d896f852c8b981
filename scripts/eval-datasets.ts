// npm run eval [-- --policy strict --json …] — `wardline eval` over every data set in
// ../shared/datasets (or $WARDLINE_DATASETS): each <set>/data.jsonl, sorted by name,
// default policy unless --policy is given, report in test-output/eval.html unless
// --report is given. Needs the data sets; the test suite does not.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { evalCommand } from "../bindings/eval/command.ts";
import { WardlineError } from "../bindings/errors.ts";

const root = resolve(process.env.WARDLINE_DATASETS ?? join(import.meta.dirname, "../../shared/datasets"));
if (!existsSync(root)) {
  console.error(`no data sets at ${root} (set WARDLINE_DATASETS)`);
  process.exit(1);
}
const files = readdirSync(root).sort().map((d) => join(root, d, "data.jsonl")).filter((f) => existsSync(f));
const args = process.argv.slice(2);
if (!args.includes("--policy")) args.push("--policy", "default");
if (!args.includes("--report")) {
  mkdirSync("test-output", { recursive: true });
  args.push("--report", "test-output/eval.html");
}
// The shipped classifier weights are a final fit on every labelled row of these sets
// (scripts/train/main.ts), so their rows here measure fit, not generalisation.
console.error("note: the learned classifiers (detector `classifier`) were trained on these data sets; their numbers here are training-set numbers. Held-out numbers: `npm run train` (split by source) and `npm run train:loso`.");
try {
  process.exitCode = await evalCommand([...args, ...files.flatMap((f) => ["--data", f])], { stdout: process.stdout, stderr: process.stderr });
} catch (e) {
  console.error(e instanceof WardlineError ? `wardline eval: ${e.message}` : e);
  process.exitCode = 1;
}
