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
import { isPlaygroundPath, servePlayground } from "../browser/static.ts";
import type { AuditLog } from "./audit.ts";
import { Tenancy, type Tenant } from "./tenants.ts";
import { rateLimitedResponse, type Metered } from "./limits.ts";
import type { Tracing, TraceSpan } from "./tracing.ts";

export interface HandlerOptions {
  config: ProxyConfig;
  guard: Guard;
  metrics?: ProxyMetrics;
  logger?: Logger;
  /** the fetch used for upstream calls (default: the global fetch) */
  fetch?: typeof fetch;
  /** the policy in force now (hot reload, host-proxy/reload.ts); each request keeps the guard it started with */
  currentGuard?: () => Guard;
  /** audit log (host-proxy/audit.ts) */
  audit?: AuditLog;
  /** GET /playground/: the in-browser demo from dist/playground (browser/static.ts); default true */
  playground?: boolean;
  /** OpenTelemetry spans (host-proxy/tracing.ts startTracing); unset: no tracing, nothing loaded */
  tracing?: Tracing;
}

export interface ProxyHandler {
  (request: Request): Promise<Response>;
  metrics: ProxyMetrics;
  /** requests in flight */
  readonly active: number;
  /** tenants, their policies and rate limits (host-proxy/tenants.ts) */
  tenancy: Tenancy;
  /** releases what the handler holds open (the Redis connection of shared rate limits) */
  close(): Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export function createHandler(options: HandlerOptions): ProxyHandler {
  const { config } = options;
  const currentGuard = options.currentGuard ?? (() => options.guard);
  const metrics = options.metrics ?? new ProxyMetrics();
  const log = options.logger ?? createLogger();
  const namesByGuard = new WeakMap<Guard, ReturnType<typeof policyNames>>();
  const namesOf = (g: Guard) => { let n = namesByGuard.get(g); if (!n) { n = policyNames(g); namesByGuard.set(g, n); } return n; };
  namesOf(options.guard);
  const baseCtx: Omit<ExchangeContext, "requestId" | "route" | "outcome" | "guard" | "names"> = { config, metrics, fetch: options.fetch ?? fetch, audit: options.audit };
  const tenancy = new Tenancy({ config, metrics, logger: log });
  let active = 0;

  const handle = async (request: Request): Promise<Response> => {
    const started = performance.now();
    const url = new URL(request.url);
    const requestId = request.headers.get("x-request-id") || crypto.randomUUID();
    const idHeader = { "x-request-id": requestId };
    const guard = currentGuard();
    const ctx = { ...baseCtx, guard, names: namesOf(guard) };

    if (request.method === "GET" && url.pathname === "/healthz") return json(200, { status: "ok" }, idHeader);
    if (request.method === "GET" && url.pathname === "/readyz") return json(200, { status: "ready", policy: guard.policyHash, ...(config.redis?.url ? { limits: tenancy.limiter.mode } : {}) }, idHeader);
    if (request.method === "GET" && url.pathname === "/metrics") {
      const m = await metrics.text();
      return new Response(m.body, { status: 200, headers: { "content-type": m.contentType } });
    }
    if ((request.method === "GET" || request.method === "HEAD") && options.playground !== false && isPlaygroundPath(url.pathname)) return servePlayground(request);

    const route = routeOf(request.method, url.pathname, request.headers);
    const outcome: Outcome = {};
    const span: TraceSpan | undefined = options.tracing?.request(`${request.method} ${route.name}`, request.headers, {
      "http.request.method": request.method, "http.route": route.name, "wardline.provider": route.provider ?? route.family,
      "wardline.request_id": requestId, "wardline.session_id": request.headers.get("x-session-id") ?? undefined,
    });
    let release = () => {};
    let tenant: Tenant | undefined;
    const meter: Metered = { bytes: 0 };
    // one log line per request, written when its body has ended (so it knows about stops and
    // failures mid-stream)
    const done = (res: Response): Response => {
      res.headers.set("x-request-id", requestId);
      metrics.requests.inc({ route: route.name, status: String(res.status) });
      return onBodyEnd(res, () => {
        release();
        if (tenant) Object.assign(outcome, tenancy.finish(tenant, route.name, res.status, meter));
        log.info({ reqId: requestId, method: request.method, route: route.name, status: res.status, ms: Math.round(performance.now() - started), ...outcome }, "request");
        span?.end({ "http.response.status_code": res.status, "wardline.tenant": outcome.tenant, "wardline.policy": outcome.policy,
          "wardline.decision": outcome.action, "wardline.rules": outcome.rules, "wardline.flags": outcome.flags,
          "wardline.stopped": outcome.stopped, "wardline.retries": outcome.retries }, outcome.error);
      });
    };

    if (!route.provider && !config.passthrough) {
      return done(errorResponse(route.family, "not_found", `Wardline: no route for ${request.method} ${url.pathname} (passthrough is off)`));
    }
    // the tenant: its policy and its rate limits (429 in the provider's shape beyond them)
    try {
      tenant = await tenancy.identify(request.headers, ctx);
    } catch {
      return done(errorResponse(route.family, "internal", "Wardline: a tenant policy failed to load"));
    }
    Object.assign(outcome, { tenant: tenant.id, policy: tenant.policyHash });
    const verdict = await tenancy.admit(tenant);
    if (!verdict.ok) { outcome.error = "rate_limited"; return done(rateLimitedResponse(route.family, tenant.id, tenant.limits, verdict)); }
    if (active >= config.limits.max_concurrency) {
      metrics.shed.inc();
      return done(errorResponse(route.family, "overloaded", `Wardline: too many requests in flight (max_concurrency ${config.limits.max_concurrency}); retry later`));
    }
    active++;
    let released = false;
    release = () => { if (!released) { released = true; active--; } };
    try {
      return done(await exchange(request, { ...ctx, guard: tenant.guard, names: tenant.names, tenant: tenant.id, tenantRecorder: tenancy.recorder(tenant), meter, requestId, route, outcome, trace: span }, log));
    } catch (e) {
      log.error({ reqId: requestId, route: route.name, err: { name: (e as Error).name, message: (e as Error).message } }, "internal error");
      return done(errorResponse(route.family, "internal", "Wardline: internal error"));
    }
  };

  Object.defineProperty(handle, "active", { get: () => active });
  return Object.assign(handle, { metrics, tenancy, close: () => tenancy.close() }) as ProxyHandler;
}
