// The Wardline engine cases against the built package (dist/index.js), runnable unchanged
// under Node and Deno. bench/deno-runner.ts starts one process per runtime and drives them
// round by round over stdin (one line per command, one JSON line per answer), alternating
// between the runtimes so that machine drift hits both alike:
//   start  → {"ready": true, "runtime": "..."}
//   round R SLICE_MS → {"round": [MB/s per case]}
//   finish SAMPLES   → {"runtime": "...", "results": [CaseResult]}
import process from "node:process";
import { createInterface } from "node:readline";
// @ts-expect-error: the built bundle has no declarations; its API is bindings/index.ts's
import { createGuard } from "../dist/index.js";
import type { Guard } from "../bindings/guard.ts";
import { benchData } from "./data.ts";
import { measureRound, summarise, warm } from "./run-cases.ts";
import { scanCases, sseCases, streamCase, type MakeGuard } from "./wardline-cases.ts";

declare const Deno: { version: { deno: string; v8: string } } | undefined;
const runtime = typeof Deno !== "undefined" ? `deno ${Deno.version.deno} (V8 ${Deno.version.v8})` : `node ${process.version} (V8 ${process.versions.v8})`;

const make: MakeGuard = (policy) => createGuard({ policy }) as Promise<Guard>;
const data = benchData();
const cases = [...await scanCases(make, data), await streamCase(make, data), ...await sseCases(make, data)];
await warm(cases);
const perRound: number[][] = cases.map(() => []);
const say = (x: unknown) => process.stdout.write(JSON.stringify(x) + "\n");
say({ ready: true, runtime });

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, a, b] = line.trim().split(/\s+/);
  if (cmd === "round") {
    const mbps = await measureRound(cases, Number(b), Number(a));
    mbps.forEach((x, i) => perRound[i].push(x));
    say({ round: mbps });
  } else if (cmd === "finish") {
    say({ runtime, results: await summarise(cases, perRound, Number(a)) });
    break;
  }
}
process.exit(0);
