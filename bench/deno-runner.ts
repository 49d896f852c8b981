// Runs bench/runtime-entry.ts under real Deno (node_modules/.bin/deno) and under Node at the
// same time, as two idle processes driven in turn: round r runs in Node, then in Deno, then
// round r+1 … so the Deno ÷ Node ratio is taken per round like every other ratio.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { CaseResult } from "./run-cases.ts";
import { median, round } from "./measure.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = "bench/runtime-entry.ts";

interface Driven { next(): Promise<Record<string, unknown>>; send(line: string): void; cp: ChildProcess }

function drive(cmd: string, args: string[]): Driven {
  const cp = spawn(cmd, args, { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: cp.stdout! })[Symbol.asyncIterator]();
  return {
    cp,
    send: (line) => cp.stdin!.write(line + "\n"),
    next: async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`${cmd} ${entry} ended early (exit ${cp.exitCode})`);
      return JSON.parse(value);
    },
  };
}

export interface RuntimeRun { runtime: string; results: CaseResult[] }

export async function runtimesSideBySide(rounds: number, sliceMs: number, samples: number): Promise<{ node: RuntimeRun; deno: RuntimeRun; deno_vs_node: Record<string, number> }> {
  const node = drive(process.execPath, ["--import", "tsx", entry]);
  const deno = drive(`${root}node_modules/.bin/deno`, ["run", "--allow-read", "--allow-env", "--allow-sys", "--no-prompt", entry]);
  try {
    await node.next();
    await deno.next();
    for (let r = 0; r < rounds; r++) for (const p of [node, deno]) { p.send(`round ${r} ${sliceMs}`); await p.next(); }
    node.send(`finish ${samples}`);
    const n = (await node.next()) as unknown as RuntimeRun;
    deno.send(`finish ${samples}`);
    const d = (await deno.next()) as unknown as RuntimeRun;
    const ratio: Record<string, number> = {};
    for (const a of n.results) {
      const b = d.results.find((x) => x.id === a.id);
      if (b) ratio[a.id] = round(median(b.rounds_mb_per_s.map((v, i) => v / a.rounds_mb_per_s[i])), 3);
    }
    return { node: n, deno: d, deno_vs_node: ratio };
  } finally {
    node.cp.kill();
    deno.cp.kill();
  }
}
