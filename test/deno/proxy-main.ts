// The proxy under real Deno for test/proxy-deno.test.ts: args are the upstream base URL, a
// policy file and (optional) an audit log file; prints `LISTENING <url>` on stdout once Deno.serve listens (port 0).
import { defaultConfig } from "../../host-proxy/config.ts";
import { serveDeno } from "../../host-proxy/deno.ts";

declare const Deno: { args: string[]; addSignalListener(s: "SIGTERM", fn: () => void): void; exit(code?: number): never };

const [upstream, policy, audit] = Deno.args;
const config = defaultConfig();
config.listen = "127.0.0.1:0";
config.upstreams = { openai: upstream, anthropic: upstream };
config.policy = policy;
config.watch = false;
if (audit) config.audit = { ...config.audit, file: audit, salt: "deno-test-salt" };
const proxy = await serveDeno({ config });
console.log(`LISTENING ${proxy.url}`);
Deno.addSignalListener("SIGTERM", () => { proxy.close().then(() => Deno.exit(0)); });
