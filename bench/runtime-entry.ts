// The Wardline engine cases against the built package (dist/index.js), runnable unchanged
// under Node and Deno so bench/deno-runner.ts can put the two side by side. Prints one JSON
// document: { runtime, results }. Arguments: ROUNDS SLICE_MS LATENCY_SAMPLES.
// @ts-expect-error: the built bundle has no declarations; its API is bindings/index.ts's
import { createGuard } from "../dist/index.js";
import type { Guard } from "../bindings/guard.ts";
import { benchData } from "./data.ts";
import { runCases } from "./run-cases.ts";
import { scanCases, sseCases, streamCase, type MakeGuard } from "./wardline-cases.ts";

declare const Deno: { args: string[]; version: { deno: string; v8: string } } | undefined;
const args: string[] = typeof Deno !== "undefined" ? Deno.args : process.argv.slice(2);
const [rounds, sliceMs, latencySamples] = args.map(Number);

const make: MakeGuard = (policy) => createGuard({ policy }) as Promise<Guard>;
const data = benchData();
const cases = [...await scanCases(make, data), await streamCase(make, data), ...await sseCases(make, data)];
const results = await runCases(cases, { rounds, sliceMs, latencySamples });
const runtime = typeof Deno !== "undefined" ? `deno ${Deno.version.deno} (V8 ${Deno.version.v8})` : `node ${process.version} (V8 ${process.versions.v8})`;
console.log(JSON.stringify({ runtime, results }));
