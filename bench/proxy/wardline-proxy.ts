// The Wardline proxy as users start it (host-proxy/server.ts), default policy, upstream from
// WARDLINE_UPSTREAM_OPENAI. Concurrency limit raised for the 1,000-stream RSS measurement.
// BENCH_ENGINE_WASM names another engine build (the profile run uses one with function names).
import { readFileSync } from "node:fs";
import { compilePolicyInput } from "../../bindings/index.ts";
import { createGuardWith } from "../../bindings/guard.ts";
import { Engine } from "../../bindings/engine.ts";
import { startProxy } from "../../host-proxy/server.ts";
import { loadConfig } from "../../host-proxy/config.ts";
import { serveChild } from "./child.ts";

const config = loadConfig({ env: process.env, flags: { listen: "127.0.0.1:0", watch: "false", "max-concurrency": "5000" } });
const wasm = process.env.BENCH_ENGINE_WASM;
const module = wasm ? new WebAssembly.Module(readFileSync(wasm)) : undefined;
const guard = module ? await createGuardWith({ policy: compilePolicyInput(new Engine(module), config.policy), module }) : undefined;
const proxy = await startProxy({ config, guard });
await serveChild(proxy.port);
