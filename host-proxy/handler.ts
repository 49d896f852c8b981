// The proxy core: a Web-standard Request → Response function (no node:http here; see node.ts).
// Ops endpoints, routing, load shedding, request ids and one log line per request; the
// guarded exchange itself is in exchange.ts.
import type { Guard } from "../bindings/index.ts";
import type { ProxyConfig } from "./config.ts";
import { ProxyMetrics } from "./metrics.ts";
import { createLogger, type Logger } from "./log.ts";
import { errorResponse } from "./provider-errors.ts";
import { routeOf } from "./routes.ts";
import { policyNames } from "./policy-names.ts";
import { exchange, type ExchangeContext, type Outcome } from "./exchange.ts";
import { onBodyEnd } from "./stream-end.ts";

export interface HandlerOptions {
  config: ProxyConfig;
  guard: Guard;
  metrics?: ProxyMetrics;
  logger?: Logger;
  /** the fetch used for upstream calls (default: the global fetch) */
  fetch?: typeof fetch;
}

export interface ProxyHandler {
  (request: Request): Promise<Response>;
  metrics: ProxyMetrics;
  /** requests in flight */
  readonly active: number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export function createHandler(options: HandlerOptions): ProxyHandler {
  const { config, guard } = options;
  const metrics = options.metrics ?? new ProxyMetrics();
  const log = options.logger ?? createLogger();
  const names = policyNames(guard);
  const ctx: Omit<ExchangeContext, "requestId" | "route" | "outcome"> = { config, guard, metrics, names, fetch: options.fetch ?? fetch };
  let active = 0;

  const handle = async (request: Request): Promise<Response> => {
    const started = performance.now();
    const url = new URL(request.url);
    const requestId = request.headers.get("x-request-id") || crypto.randomUUID();
    const idHeader = { "x-request-id": requestId };

    if (request.method === "GET" && url.pathname === "/healthz") return json(200, { status: "ok" }, idHeader);
    if (request.method === "GET" && url.pathname === "/readyz") return json(200, { status: "ready", policy: guard.policyHash }, idHeader);
    if (request.method === "GET" && url.pathname === "/metrics") {
      const m = await metrics.text();
      return new Response(m.body, { status: 200, headers: { "content-type": m.contentType } });
    }

    const route = routeOf(request.method, url.pathname, request.headers);
    const outcome: Outcome = {};
    let release = () => {};
    // one log line per request, written when its body has ended (so it knows about stops and
    // failures mid-stream)
    const done = (res: Response): Response => {
      res.headers.set("x-request-id", requestId);
      metrics.requests.inc({ route: route.name, status: String(res.status) });
      return onBodyEnd(res, () => {
        release();
        log.info({ reqId: requestId, method: request.method, route: route.name, status: res.status, ms: Math.round(performance.now() - started), ...outcome }, "request");
      });
    };

    if (!route.provider && !config.passthrough) {
      return done(errorResponse(route.family, "not_found", `Wardline: no route for ${request.method} ${url.pathname} (passthrough is off)`));
    }
    if (active >= config.limits.max_concurrency) {
      metrics.shed.inc();
      return done(errorResponse(route.family, "overloaded", `Wardline: too many requests in flight (max_concurrency ${config.limits.max_concurrency}); retry later`));
    }
    active++;
    let released = false;
    release = () => { if (!released) { released = true; active--; } };
    try {
      return done(await exchange(request, { ...ctx, requestId, route, outcome }, log));
    } catch (e) {
      log.error({ reqId: requestId, route: route.name, err: { name: (e as Error).name, message: (e as Error).message } }, "internal error");
      return done(errorResponse(route.family, "internal", "Wardline: internal error"));
    }
  };

  Object.defineProperty(handle, "active", { get: () => active });
  return Object.assign(handle, { metrics }) as ProxyHandler;
}
