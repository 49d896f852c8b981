// Deno adapter: the same Web-standard Request → Response handler on Deno.serve. Deno's
// Request.signal aborts when the client goes away and a cancelled response body cancels the
// upstream fetch through the pipes, so nothing here is Deno-specific beyond listening.
// Audit and hot reload work as under Node (node:fs, node:crypto are in Deno's Node layer).
//
//   deno run --allow-net --allow-read --allow-env --allow-sys --allow-write host-proxy/deno.ts [--config FILE]
import { createGuard, type Guard } from "../bindings/index.ts";
import { listenAddress, loadConfig, type ConfigSources, type ProxyConfig } from "./config.ts";
import { createHandler, type ProxyHandler } from "./handler.ts";
import { ProxyMetrics } from "./metrics.ts";
import { createLogger, type Logger } from "./log.ts";
import { AuditLog } from "./audit.ts";
import { PolicyHolder, watchPolicy, type Reloader } from "./reload.ts";

// the few Deno APIs used, typed here so the file also type-checks under Node's tsconfig
interface DenoServer { finished: Promise<void>; shutdown(): Promise<void>; addr: { hostname: string; port: number } }
declare const Deno: {
  serve(options: { hostname: string; port: number; onListen?: (addr: { hostname: string; port: number }) => void }, handler: (r: Request) => Response | Promise<Response>): DenoServer;
  args: string[];
  env: { toObject(): Record<string, string> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", fn: () => void): void;
  exit(code?: number): never;
};

export interface DenoProxy {
  url: string;
  port: number;
  handler: ProxyHandler;
  policy: PolicyHolder;
  reloader?: Reloader;
  audit?: AuditLog;
  close(): Promise<void>;
}

export interface DenoStartOptions {
  config: ProxyConfig;
  guard?: Guard;
  logger?: Logger;
  configSources?: ConfigSources;
}

export async function serveDeno(options: DenoStartOptions): Promise<DenoProxy> {
  const { config } = options;
  const guard = options.guard ?? await createGuard({ policy: config.policy });
  const logger = options.logger ?? createLogger();
  const policy = new PolicyHolder(guard);
  const audit = config.audit?.file ? new AuditLog({ file: config.audit.file, raw: config.audit.raw, maxBytes: config.audit.max_bytes, salt: config.audit.salt,
    onError: (e) => logger.error({ err: { message: e.message } }, "audit write failed") }) : undefined;
  const reloader = config.watch && !options.guard ? watchPolicy({ holder: policy, config, sources: options.configSources, log: logger }) : undefined;
  const handler = createHandler({ config, guard, logger, currentGuard: policy.get, audit, metrics: new ProxyMetrics({ defaultMetrics: false }) });
  const { host, port } = listenAddress(config.listen);
  let resolveListen!: (a: { hostname: string; port: number }) => void;
  const listening = new Promise<{ hostname: string; port: number }>((r) => { resolveListen = r; });
  const server = Deno.serve({ hostname: host, port, onListen: (a) => resolveListen(a) }, (req) => handler(req));
  const addr = await listening;
  const shown = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `http://${shown}:${addr.port}`,
    port: addr.port,
    handler,
    policy,
    reloader,
    audit,
    close: async () => { reloader?.close(); await server.shutdown(); await audit?.flush(); },
  };
}

/** `deno run … host-proxy/deno.ts [--config FILE]`: settings as for `wardline serve` (file, env). */
async function main(): Promise<void> {
  const i = Deno.args.indexOf("--config");
  const sources: ConfigSources = { file: i >= 0 ? Deno.args[i + 1] : undefined, env: Deno.env.toObject() };
  const config = loadConfig(sources);
  const proxy = await serveDeno({ config, configSources: sources });
  console.error(`wardline (deno): listening on ${proxy.url}`);
  const stop = () => { proxy.close().then(() => Deno.exit(0)); };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}

if ((import.meta as ImportMeta & { main?: boolean }).main) await main();
