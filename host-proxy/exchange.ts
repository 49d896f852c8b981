// One guarded exchange: read the request under the size limit, inspect it (ingress), call the
// upstream under the first-byte timer, then guard the answer — streamed SSE through
// Guard.transform (midstream), whole bodies through Guard.inspectResponse — before a byte of it
// reaches the client. Client disconnect (request.signal) aborts the upstream fetch at once.
import type { Guard } from "../bindings/index.ts";
import { RequestBodyError, type RequestInspection } from "../bindings/inspect-request.ts";
import type { ProxyConfig } from "./config.ts";
import type { ProxyMetrics } from "./metrics.ts";
import type { Logger } from "./log.ts";
import type { PolicyNames } from "./policy-names.ts";
import type { Route, GuardedProvider } from "./routes.ts";
import { upstreamUrl } from "./routes.ts";
import { errorResponse, errorFrame, type Failure } from "./provider-errors.ts";
import { upstreamRequestHeaders, clientResponseHeaders } from "./headers.ts";
import { BodyTooLarge, IdleTimeout, idleGuarded, limitStream, readAllWithin, readLimited } from "./body.ts";
import { withErrorTail, onBodyEnd } from "./stream-end.ts";
import type { AuditLog, ExchangeAudit } from "./audit.ts";
import { recordIngress, recordMidstream } from "./decisions.ts";
import { usageMeter, usageFromBody, type Metered } from "./limits.ts";
import type { TenantRecorder } from "./tenants.ts";
import { undecodedCoding } from "./upstream-encoding.ts";
import { MalformedUpstream, checkWellFormed } from "./upstream-malformed.ts";
import { countEngineFault, isEngineFault } from "./engine-faults.ts";

export interface ExchangeContext {
  config: ProxyConfig;
  guard: Guard;
  metrics: ProxyMetrics;
  names: PolicyNames;
  fetch: typeof fetch;
  requestId: string;
  route: Route;
  /** what happened, for the request's log line (no text) */
  outcome: Outcome;
  /** audit log (host-proxy/audit.ts), when configured */
  audit?: AuditLog;
  /** the tenant's id, its decisions (labelled with tenant and policy hash), and what its answer used (host-proxy/tenants.ts) */
  tenant?: string;
  tenantRecorder?: TenantRecorder;
  meter?: Metered;
}

export interface Outcome {
  action?: string;
  rules?: string[];
  findings?: number;
  notScanned?: number;
  upstreamStatus?: number;
  error?: string;
  stopped?: boolean;
  /** tenant id and the hash of the policy applied (host-proxy/tenants.ts) */
  tenant?: string;
  policy?: string;
  /** tokens charged to the tenant: from the provider's usage fields, or estimated (bytes / 4) */
  tokens?: number;
  tokensSource?: string;
}

/** The non-streamed response scanner another module adds to Guard (bindings/inspect-response.ts). */
type InspectResponse = (provider: GuardedProvider, body: Uint8Array) => { action: string; message?: string; body: Uint8Array; stopped?: boolean };

export async function exchange(request: Request, ctx: ExchangeContext, log: Logger): Promise<Response> {
  const { config, route, outcome } = ctx;
  const fail = (failure: Failure, message: string) => { outcome.error = failure; return errorResponse(route.family, failure, `Wardline: ${message}`); };
  const limit = config.limits.max_body_bytes;
  const audit: ExchangeAudit | undefined = route.provider ? ctx.audit?.exchange({
    requestId: ctx.requestId, sessionId: request.headers.get("x-session-id"), route: route.name, provider: route.provider,
    tenant: ctx.tenant ?? null, guard: ctx.guard, names: ctx.names,
  }) : undefined;

  /** pseudonym round trip: placeholders ingress sent upstream → the values they replaced */
  let restore: Map<string, string> | undefined;
  // 1. the request body: refused by its declared length before reading, else counted while read
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) return withClose(fail("too_large", `the request body is larger than ${limit} bytes`));
  let body: Uint8Array | ReadableStream<Uint8Array> | null = null;
  let tooLarge = false;
  if (route.provider) {
    try {
      body = await readLimited(request.body, limit);
    } catch (e) {
      if (e instanceof BodyTooLarge) return withClose(fail("too_large", e.message));
      throw e;
    }
    if (ctx.meter) ctx.meter.requestBytes = body.length;
    // 2. ingress
    const t0 = performance.now();
    let r: RequestInspection | undefined;
    try {
      r = ctx.guard.inspectRequest(route.provider, body);
    } catch (e) {
      if (e instanceof RequestBodyError) return fail("bad_request", e.message);
      log.error({ reqId: ctx.requestId, err: { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message } }, "ingress scan failed");
      countEngineFault(ctx.metrics, "ingress", config.fail_mode, e);
      if (config.fail_mode === "closed") return fail("internal", "request scanning failed");
    } finally {
      ctx.metrics.engineSeconds.observe({ phase: "ingress" }, (performance.now() - t0) / 1000);
    }
    if (r) {
      const rec = recordIngress(ctx.metrics, r);
      Object.assign(outcome, { action: r.action, rules: rec.rules, findings: rec.findings, notScanned: r.notScanned.length });
      audit?.ingress(r);
      ctx.tenantRecorder?.ingress(r, rec.rules);
      if (r.action === "block") { outcome.error = "blocked"; return errorResponse(route.family, "blocked", r.message ?? "Request blocked by the policy."); }
      if (r.body) body = r.body;
      // pseudonym round trip: what ingress replaced comes back in the streamed answer
      for (const part of r.parts) {
        for (const f of part.findings) if (f.placeholder) (restore ??= new Map()).set(f.placeholder, part.text.slice(f.start, f.end));
      }
    }
  } else if (request.body) {
    body = limitStream(request.body, limit, () => { tooLarge = true; });
  }

  // 3. upstream, under the first-byte timer; the client going away aborts it
  const upstream = new AbortController();
  const onClientGone = () => upstream.abort(new Error("client disconnected"));
  if (request.signal.aborted) onClientGone();
  request.signal.addEventListener("abort", onClientGone, { once: true });
  let firstByteTimedOut = false;
  const timer = setTimeout(() => { firstByteTimedOut = true; upstream.abort(new Error("first-byte timeout")); }, config.timeouts.first_byte_ms);
  const t1 = performance.now();
  let res: Response;
  try {
    // duplex: undici needs it for stream bodies (not in lib.dom's RequestInit yet)
    const init: RequestInit & { duplex: "half" } = {
      method: request.method,
      headers: upstreamRequestHeaders(request.headers, ctx.requestId),
      body: request.method === "GET" || request.method === "HEAD" ? undefined : (body as BodyInit | null),
      signal: upstream.signal,
      redirect: "manual",
      duplex: "half",
    };
    res = await ctx.fetch(upstreamUrl(config, route.family, new URL(request.url)), init);
  } catch (e) {
    clearTimeout(timer);
    if (tooLarge) return withClose(fail("too_large", `the request body is larger than ${limit} bytes`));
    if (firstByteTimedOut) {
      ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "first_byte_timeout" });
      return fail("timeout", `the upstream did not answer within ${config.timeouts.first_byte_ms} ms`);
    }
    if (request.signal.aborted) { outcome.error = "client_gone"; return new Response(null, { status: 499 }); }
    const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "unreachable" });
    return fail("unreachable", `the upstream is unreachable (${code})`);
  }
  clearTimeout(timer);
  ctx.metrics.upstreamSeconds.observe({ route: route.name }, (performance.now() - t1) / 1000);
  outcome.upstreamStatus = res.status;
  const headers = clientResponseHeaders(res.headers, ctx.requestId);
  const abortUpstream = () => upstream.abort(new Error("stopped"));
  let idled = false;
  const onIdle = () => { idled = true; ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "idle_timeout" }); abortUpstream(); };
  const idleMs = config.timeouts.idle_ms;

  const streamed = (res.headers.get("content-type") ?? "").startsWith("text/event-stream");
  // compressed in a coding fetch did not decode: never scanned as text (host-proxy/upstream-encoding.ts)
  const coding = undecodedCoding(res.headers);
  if (coding && route.provider && res.ok) {
    abortUpstream();
    ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "bad_encoding" });
    return fail("bad_upstream", `the upstream answered with content-encoding ${coding}, which Wardline cannot decode`);
  }
  // passthrough (still encoded: the client decodes), the provider's own errors, and bodies of unknown kind go back as they came
  if (coding) headers.set("content-encoding", res.headers.get("content-encoding")!);
  if (!route.provider || !res.ok || !res.body) {
    const b = res.body ? withErrorTail(idleGuarded(res.body, idleMs, onIdle), () => null) : null;
    return new Response(b, { status: res.status, statusText: res.statusText, headers });
  }

  // 4a. streamed answers: midstream guard over the SSE bytes
  if (streamed) {
    let transform: TransformStream<Uint8Array, Uint8Array> | undefined;
    try {
      transform = ctx.guard.transform(route.provider as "openai-chat", {
        failOpen: config.fail_mode === "open",
        restore,
        onStop: () => { outcome.stopped = true; ctx.metrics.streamsStopped.inc({ route: route.name }); abortUpstream(); },
        onFault: (e) => { outcome.error = "midstream_unscanned"; countEngineFault(ctx.metrics, "midstream", "open", e); },
        onResult: (r) => { if (config.fail_mode === "closed") checkWellFormed(r); audit?.midstream(r); ctx.tenantRecorder?.midstream(r); const rules = recordMidstream(ctx.metrics, ctx.names, r); if (rules.length) outcome.rules = [...(outcome.rules ?? []), ...rules]; },
      });
    } catch (e) {
      if (config.fail_mode === "closed") { abortUpstream(); return fail("internal", `response scanning unavailable (${(e as Error).message})`); }
      outcome.error = "midstream_unscanned";
    }
    const idleOnly = idleGuarded(res.body, idleMs, onIdle);
    const idleSource = ctx.meter ? idleOnly.pipeThrough(usageMeter(ctx.meter)) : idleOnly;
    const source = audit ? audit.tap(idleSource) : idleSource;
    const guarded = transform ? source.pipeThrough(transform) : source;
    const out = withErrorTail(guarded, (e) => {
      if (request.signal.aborted) return null;
      if (e instanceof MalformedUpstream) {
        abortUpstream();
        outcome.error = "upstream_malformed";
        ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "malformed" });
        return errorFrame(route.family, "bad_upstream", `Wardline: ${e.message}`);
      }
      if (isEngineFault(e)) {
        abortUpstream();
        outcome.error = "midstream_scan_failed";
        countEngineFault(ctx.metrics, "midstream", "closed", e);
        log.error({ reqId: ctx.requestId, err: { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message } }, "midstream scan failed");
        return errorFrame(route.family, "internal", "Wardline: response scanning failed; the answer was cut there");
      }
      const idle = idled || e instanceof IdleTimeout;
      outcome.error = idle ? "idle_timeout" : "upstream_dropped";
      if (!idle) ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "dropped" });
      return errorFrame(route.family, idle ? "timeout" : "unreachable",
        idle ? `Wardline: the upstream sent nothing for ${idleMs} ms` : "Wardline: the upstream connection ended before the answer was complete");
    });
    const streamedRes = new Response(out, { status: res.status, statusText: res.statusText, headers });
    return audit ? onBodyEnd(streamedRes, () => audit.streamEnded()) : streamedRes;
  }

  // 4b. whole answers: read under the idle timer, scanned before anything is sent
  let whole: Uint8Array;
  try {
    // bounded: a compressed answer (decoded by fetch) can expand far beyond its wire size
    const maxWhole = config.limits.max_response_bytes;
    whole = await readAllWithin(limitStream(res.body, maxWhole, abortUpstream), idleMs, onIdle);
    if (ctx.meter) { ctx.meter.bytes = whole.length; ctx.meter.usage = usageFromBody(whole); }
  } catch (e) {
    if (e instanceof IdleTimeout) return fail("timeout", e.message);
    if (e instanceof BodyTooLarge) {
      ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "too_large" });
      return fail("bad_upstream", `the upstream answer is larger than ${config.limits.max_response_bytes} bytes (limits.max_response_bytes)`);
    }
    if (request.signal.aborted) { outcome.error = "client_gone"; return new Response(null, { status: 499 }); }
    ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "dropped" });
    return fail("unreachable", "the upstream connection ended before the answer was complete");
  }
  const inspect = (ctx.guard as unknown as { inspectResponse?: InspectResponse }).inspectResponse;
  if (typeof inspect !== "function") {
    if (config.fail_mode === "closed") return fail("internal", "response scanning unavailable");
    outcome.error = "response_unscanned";
    return new Response(whole as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  }
  const t2 = performance.now();
  try {
    const r = inspect.call(ctx.guard, route.provider, whole);
    ctx.metrics.decisions.inc({ phase: "egress", action: r.action, rule: "" });
    ctx.tenantRecorder?.decision("egress", r.action, "");
    Object.assign(outcome, { action: r.action, stopped: r.stopped });
    audit?.whole(r);
    return new Response(r.body as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  } catch (e) {
    // a body that is not JSON (inspectResponse throws the same class as for requests) is the
    // upstream's fault, whatever the fail mode: no SDK could read it either
    if (e instanceof RequestBodyError) {
      ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "malformed" });
      return fail("bad_upstream", `the upstream answer is not valid JSON (${e.status} at byte ${e.offset})`);
    }
    log.error({ reqId: ctx.requestId, err: { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message } }, "response scan failed");
    countEngineFault(ctx.metrics, "egress", config.fail_mode, e);
    if (config.fail_mode === "closed") return fail("internal", "response scanning failed");
    return new Response(whole as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  } finally {
    ctx.metrics.engineSeconds.observe({ phase: "egress" }, (performance.now() - t2) / 1000);
  }
}

/** A refusal sent before the body was read: close the connection rather than drain it. */
function withClose(res: Response): Response {
  res.headers.set("connection", "close");
  return res;
}
