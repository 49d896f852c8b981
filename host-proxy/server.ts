// Starting and stopping the proxy: loads the policy, builds the handler, listens.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGuard, type Guard } from "../bindings/index.ts";
import { listenAddress, type ProxyConfig } from "./config.ts";
import { createHandler, type ProxyHandler } from "./handler.ts";
import { ProxyMetrics } from "./metrics.ts";
import { nodeListener } from "./node.ts";
import type { Logger } from "./log.ts";

export interface RunningProxy {
  /** http://host:port */
  url: string;
  port: number;
  server: Server;
  handler: ProxyHandler;
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
}

export async function startProxy(options: StartOptions): Promise<RunningProxy> {
  const guard = options.guard ?? await createGuard({ policy: options.config.policy });
  const handler = createHandler({ config: options.config, guard, logger: options.logger, fetch: options.fetch,
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
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
