// The proxy side of `npm run soak`, in its own process so that its RSS and event-loop delay are
// its own, not the load generator's. Forked by scripts/soak.ts with the policy file and the
// fake upstream's URL; answers IPC messages: "stats" (RSS, event-loop delay, the engine's wasm
// memory) and "stop".
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Writable } from "node:stream";
import pino from "pino";
import { Engine } from "../bindings/engine.ts";
import { Guard } from "../bindings/guard.ts";
import { engineModule, compilePolicyInput } from "../bindings/index.ts";
import { policyHash } from "../bindings/policy/hash.ts";
import { defaultConfig } from "../host-proxy/config.ts";
import { startProxy } from "../host-proxy/server.ts";

export interface ProxyStats { rss: number; heap: number; wasm: number; delay: { p50: number; p99: number; max: number } }

const [policyFile, upstreamUrl, streams] = process.argv.slice(2);
// A guard built by hand (what createGuard does) so that its engine's memory can be read.
const engine = new Engine(engineModule());
const bytes = compilePolicyInput(engine, policyFile);
const guard = new Guard(engine, bytes, await policyHash(bytes));

const config = defaultConfig();
config.listen = "127.0.0.1:0";
config.upstreams = { openai: upstreamUrl, anthropic: upstreamUrl };
config.limits.max_concurrency = Number(streams) * 2;
config.timeouts.idle_ms = 120_000;
config.timeouts.first_byte_ms = 120_000;
config.watch = false;
// Warnings and errors go to stderr (WARDLINE_SOAK_LOG=1) or nowhere.
const sink = process.env.WARDLINE_SOAK_LOG ? process.stderr : new Writable({ write(_c, _e, cb) { cb(); } });
const proxy = await startProxy({ config, guard, logger: pino({ level: process.env.WARDLINE_SOAK_LOG ? "info" : "warn" }, sink), defaultMetrics: false });
proxy.server.maxConnections = 0x7fffffff;
// Node closes a kept-alive connection after 5 s idle; on a starved event loop that timer can fire
// while the client's next request is already on the way (ECONNRESET). Load balancers keep 60 s.
proxy.server.keepAliveTimeout = 65_000;

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on("message", async (m: string) => {
  if (m === "stats") {
    const ms = (ns: number) => +(ns / 1e6).toFixed(1);
    const stats: ProxyStats = {
      rss: process.memoryUsage.rss(),
      heap: process.memoryUsage().heapUsed,
      wasm: (engine.rawExports.memory as WebAssembly.Memory).buffer.byteLength,
      delay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
    };
    process.send!({ stats });
  } else if (m === "reset-delay") {
    delay.reset();
  } else if (m === "stop") {
    await proxy.close();
    process.exit(0);
  }
});
process.send!({ url: proxy.url });
