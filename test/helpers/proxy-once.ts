// Test helper process: a proxy (settings from the environment) in front of a fake upstream,
// one guarded request, then a clean stop; prints the status and whether tracing was on.
import { loadConfig } from "../../host-proxy/config.ts";
import { startProxy } from "../../host-proxy/server.ts";
import { startFakeUpstream, openaiChatBody } from "./fake-upstream.ts";

const upstream = await startFakeUpstream(() => ({ kind: "json", body: openaiChatBody("ok") }));
const config = loadConfig({ env: process.env });
Object.assign(config, { listen: "127.0.0.1:0", watch: false, upstreams: { openai: upstream.url, anthropic: upstream.url } });
const proxy = await startProxy({ config, defaultMetrics: false, logger: (await import("pino")).default({ level: "silent" }) });
const res = await fetch(`${proxy.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-x" },
  body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }) });
await res.text();
const tracing = proxy.tracing ? "yes" : "no";
await proxy.close();
await upstream.close();
console.log(`${res.status} tracing:${tracing}`);
