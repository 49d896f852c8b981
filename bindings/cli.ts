#!/usr/bin/env node
// The `wardline` command: scan text, compile policies, evaluate them. Exit codes: 0 allowed (or a
// non-blocking action), 1 usage or policy error, 2 blocked/stopped by the policy.
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { createGuard, compilePolicyInput, engineModule, WardlineError } from "./index.ts";
import { Engine } from "./engine.ts";
import { loadConfig, settingsHelp, SETTINGS, ConfigError } from "../host-proxy/config.ts";
import { startProxy } from "../host-proxy/server.ts";
import { verifyFiles, rotatedFiles } from "../host-proxy/audit.ts";
import { evalCommand } from "./eval/command.ts";

const SERVE_HELP = () => `wardline serve — the guard proxy

Usage:
  wardline serve [--config FILE] [--SETTING VALUE …]

Guarded routes: POST /v1/chat/completions, /v1/responses (OpenAI), /v1/messages (Anthropic).
Other paths pass through unguarded (to Anthropic when the request has anthropic-version or
x-api-key, else to OpenAI) unless passthrough is false. GET /healthz, /readyz, /metrics.

Each setting comes from, in rising precedence: its default, the YAML config file, the
environment variable, the flag.

  --config FILE
      YAML file with the settings below (nested keys as shown under "file")
${settingsHelp()}`;

const HELP = `wardline — guardrails for LLM traffic

Usage:
  wardline scan [--policy FILE|NAME] [--phase ingress|midstream|egress] [TEXT | -]
      Scans TEXT (or standard input with -, or when TEXT is absent) and prints the
      result as JSON. Exit 2 when the policy blocks or stops it.
  wardline compile POLICY -o OUT
      Compiles a policy (YAML file or shipped name) to the bytes the engine loads
      (also what the Envoy filter takes as configuration).
  wardline serve [--config FILE] [settings…]
      Runs the guard proxy (OpenAI and Anthropic APIs). \`wardline serve --help\` lists
      the settings.
  wardline audit verify FILE [FILE…]
      Checks an audit log's hash chain (files oldest first; \`--all\` adds FILE's rotated
      files FILE.<n> before it). Prints OK, or the first broken line and why; exit 1 then.
  wardline eval --policy FILE|NAME --data FILE.jsonl [--data …] [--json] [--report OUT.html]
               [--phase ingress|midstream|egress]
      Measures the policy on labelled JSONL data: precision, recall, F1, FPR per task,
      category and source; PR/ROC curves; span-level scores; latency (docs/eval.md).
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
    const options: Record<string, { type: "string" | "boolean"; short?: string }> = { config: { type: "string" }, help: { type: "boolean", short: "h" } };
    for (const st of SETTINGS) options[st.flag] = { type: "string" };
    const { values } = parseArgs({ args: rest, options, strict: true });
    if (values.help) { console.log(SERVE_HELP()); return 0; }
    const flags = Object.fromEntries(SETTINGS.map((st) => [st.flag, values[st.flag] as string | undefined]));
    let config;
    const sources = { file: values.config as string | undefined, env: process.env, flags };
    try {
      config = loadConfig(sources);
    } catch (e) {
      if (e instanceof ConfigError) { console.error(`wardline serve: ${e.message}`); return 1; }
      throw e;
    }
    const proxy = await startProxy({ config, configSources: sources });
    console.error(`wardline serve: listening on ${proxy.url} (openai → ${config.upstreams.openai}, anthropic → ${config.upstreams.anthropic})`);
    const stop = () => { proxy.close().then(() => process.exit(0)); };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return await new Promise<number>(() => {});
  }
  if (command === "eval") return evalCommand(rest, { stdout: process.stdout, stderr: process.stderr });
  if (command === "audit") {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { all: { type: "boolean" } } });
    if (positionals[0] !== "verify" || positionals.length < 2) { console.error("usage: wardline audit verify [--all] FILE [FILE…]"); return 1; }
    const files = positionals.slice(1);
    const r = verifyFiles(values.all ? [...rotatedFiles(files[0]), ...files] : files);
    if (r.ok) { console.log(`OK: ${r.records} records in ${r.files} file(s), last hash ${r.last}`); return 0; }
    console.log(`BROKEN: ${r.file}:${r.line}: ${r.reason}`);
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
