// Runs bench/runtime-entry.ts under real Deno (node_modules/.bin/deno) and under Node, one after
// the other, alternating when there are several rounds, so the engine is compared across runtimes.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CaseResult } from "./run-cases.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = "bench/runtime-entry.ts";

function run(cmd: string, args: string[]): { runtime: string; results: CaseResult[] } {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${entry} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

export function runtimesSideBySide(rounds: number, sliceMs: number, samples: number) {
  const a = [String(rounds), String(sliceMs), String(samples)];
  const node = run(process.execPath, ["--import", "tsx", entry, ...a]);
  const deno = run(`${root}node_modules/.bin/deno`, ["run", "--allow-read", "--allow-env", "--allow-sys", "--no-prompt", entry, ...a]);
  return { node, deno };
}
