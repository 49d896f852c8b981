// Starting and stopping the proxy: loads the policy, builds the handler, listens.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGuard, type Guard } from "../bindings/index.ts";
import { listenAddress, type ProxyConfig } from "./config.ts";
import { createHandler, type ProxyHandler } from "./handler.ts";
import { ProxyMetrics } from "./metrics.ts";
import { nodeListener } from "./node.ts";
import { createLogger, type Logger } from "./log.ts";
import type { ConfigSources } from "./config.ts";
import { AuditLog } from "./audit.ts";
import { PolicyHolder, watchPolicy, type Reloader } from "./reload.ts";
import { startTracing, type Tracing } from "./tracing.ts";

export interface RunningProxy {
  /** http://host:port */
  url: string;
  port: number;
  server: Server;
  handler: ProxyHandler;
  /** the policy in force (replaced on hot reload) */
  policy: PolicyHolder;
  /** the policy/config watcher when config.watch is on */
  reloader?: Reloader;
  /** the audit log when config.audit.file is set */
  audit?: AuditLog;
  /** OpenTelemetry spans when otel.endpoint is set */
  tracing?: Tracing;
  close(): Promise<void>;
}

export interface StartOptions {
  config: ProxyConfig;
  /** a guard to use instead of loading config.policy */
  guard?: Guard;
  logger?: Logger;
  fetch?: typeof fetch;
  /** process metrics (CPU, memory, event loop) in /metrics; default true */
  defaultMetrics?: boolean;
  /** how config was loaded: its file is watched for hot reload too */
  configSources?: ConfigSources;
  /** called after each hot-reload attempt */
  onReload?: (r: { ok: boolean; policy: string; error?: string }) => void;
}

export async function startProxy(options: StartOptions): Promise<RunningProxy> {
  const guard = options.guard ?? await createGuard({ policy: options.config.policy });
  const logger = options.logger ?? createLogger();
  const { config } = options;
  const policy = new PolicyHolder(guard);
  const audit = config.audit?.file ? new AuditLog({ file: config.audit.file, raw: config.audit.raw, maxBytes: config.audit.max_bytes, salt: config.audit.salt,
    onError: (e) => logger.error({ err: { message: e.message } }, "audit write failed") }) : undefined;
  // a guard passed in (tests, embedding) is not reloaded from config.policy
  const reloader = config.watch && !options.guard
    ? watchPolicy({ holder: policy, config, sources: options.configSources, log: logger, onReload: options.onReload }) : undefined;
  const tracing = await startTracing(config.otel);
  const handler = createHandler({ config: options.config, guard, logger, fetch: options.fetch, currentGuard: policy.get, audit, tracing,
    metrics: new ProxyMetrics({ defaultMetrics: options.defaultMetrics ?? true }) });
  const server = createServer(nodeListener(handler));
  const { host, port } = listenAddress(options.config.listen);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => { server.off("error", reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}`,
    port: addr.port,
    server,
    handler,
    policy,
    reloader,
    audit,
    tracing,
    close: async () => {
      reloader?.close();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await audit?.flush();
      await handler.close(); // tenants' Redis connection
      await tracing?.shutdown(); // exports the spans still queued
    },
  };
}
