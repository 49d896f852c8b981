#!/usr/bin/env node
// The `wardline` command: scan text, compile policies. Exit codes: 0 allowed (or a
// non-blocking action), 1 usage or policy error, 2 blocked/stopped by the policy.
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { createGuard, compilePolicyInput, engineModule, WardlineError } from "./index.ts";
import { Engine } from "./engine.ts";

const HELP = `wardline — guardrails for LLM traffic

Usage:
  wardline scan [--policy FILE|NAME] [--phase ingress|midstream|egress] [TEXT | -]
      Scans TEXT (or standard input with -, or when TEXT is absent) and prints the
      result as JSON. Exit 2 when the policy blocks or stops it.
  wardline compile POLICY -o OUT
      Compiles a policy (YAML file or shipped name) to the bytes the engine loads
      (also what the Envoy filter takes as configuration).
  wardline help

Shipped policies: default, strict, pii-only, regulated-advice.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") { console.log(HELP); return 0; }
  if (command === "scan") {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true,
      options: { policy: { type: "string", default: "default" }, phase: { type: "string", default: "ingress" } } });
    const text = positionals.length === 0 || positionals[0] === "-" ? await readStdin() : positionals.join(" ");
    const guard = await createGuard({ policy: values.policy });
    const r = guard.scan(text, { phase: values.phase as "ingress" });
    console.log(JSON.stringify(r, null, 2));
    return r.action === "block" || r.action === "stop" ? 2 : 0;
  }
  if (command === "compile") {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: "string", short: "o" } } });
    if (positionals.length !== 1 || !values.out) { console.error("usage: wardline compile POLICY -o OUT"); return 1; }
    const bytes = compilePolicyInput(new Engine(engineModule()), positionals[0]);
    writeFileSync(values.out, bytes);
    console.error(`wrote ${values.out} (${bytes.length} bytes)`);
    return 0;
  }
  if (command === "serve") {
    // The proxy host is tracked as its own piece of work; say so rather than fail obscurely.
    console.error("wardline serve: the proxy host is not part of this release yet. Use the library (createGuard) or `wardline scan` meanwhile.");
    return 1;
  }
  console.error(`wardline: unknown command "${command}"\n\n${HELP}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    if (e instanceof WardlineError) console.error(`wardline: ${e.message}`);
    else console.error(e);
    process.exitCode = 1;
  },
);
