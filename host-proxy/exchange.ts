// One guarded exchange: read the request under the size limit, inspect it (ingress), call the
// upstream under the first-byte timer, then guard the answer — streamed SSE through
// Guard.transform (midstream), whole bodies through Guard.inspectResponse — before a byte of it
// reaches the client. Client disconnect (request.signal) aborts the upstream fetch at once.
import type { Guard } from "../bindings/index.ts";
import type { GuardTransformer } from "../bindings/transform.ts";
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
import { usageFeed, usageFromBody, type Metered } from "./limits.ts";
import { guardedBody } from "./guarded-body.ts";
import type { TenantRecorder } from "./tenants.ts";
import { failClosed, failModeOf } from "./fail-mode.ts";
import { RETRY_STATUSES, retryDelay, retryableError, sleep } from "./retry.ts";
import { flaggedRules, setFlagHeaders } from "./flag-headers.ts";
import type { TraceSpan } from "./tracing.ts";
import { undecodedCoding } from "./upstream-encoding.ts";
import { MalformedUpstream, checkWellFormed } from "./upstream-malformed.ts";
import { countEngineRestart, isEngineFault } from "./engine-faults.ts";

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
  /** the request's server span when tracing is on (host-proxy/tracing.ts) */
  trace?: TraceSpan;
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
  /** rules that flagged (any phase) */
  flags?: string[];
  /** upstream attempts repeated (host-proxy/retry.ts) */
  retries?: number;
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
    const span = ctx.trace?.child("wardline.ingress");
    let r: RequestInspection | undefined;
    try {
      r = ctx.guard.inspectRequest(route.provider, body);
    } catch (e) {
      if (e instanceof RequestBodyError) { span?.end({}, "bad_request"); return fail("bad_request", e.message); }
      log.error({ reqId: ctx.requestId, err: { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message } }, "ingress scan failed");
      countEngineRestart(ctx.metrics, e);
      span?.end({ "wardline.fail_mode": failModeOf(config, "ingress") }, "scan_failed");
      if (failClosed(config, ctx.metrics, "ingress")) return fail("internal", "request scanning failed");
      outcome.error = "ingress_unscanned";
    } finally {
      const seconds = (performance.now() - t0) / 1000;
      ctx.metrics.engineSeconds.observe({ phase: "ingress" }, seconds);
      span?.set({ "wardline.engine_ms": seconds * 1000 });
    }
    if (r) {
      const rec = recordIngress(ctx.metrics, r);
      Object.assign(outcome, { action: r.action, rules: rec.rules, findings: rec.findings, notScanned: r.notScanned.length });
      const flags = flaggedRules(r.parts);
      if (flags.length) outcome.flags = flags;
      span?.end({ "wardline.action": r.action, "wardline.findings": rec.findings, "wardline.rules": rec.rules });
      audit?.ingress(r);
      ctx.tenantRecorder?.ingress(r, rec.rules);
      if (r.action === "block") { outcome.error = "blocked"; return withFlags(errorResponse(route.family, "blocked", r.message ?? "Request blocked by the policy."), outcome.flags, ctx); }
      if (r.body) body = r.body;
      // pseudonym round trip: what ingress replaced comes back in the streamed answer
      for (const part of r.parts) {
        for (const f of part.findings) if (f.placeholder) (restore ??= new Map()).set(f.placeholder, part.text.slice(f.start, f.end));
      }
    }
    span?.end();
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
  const url = upstreamUrl(config, route.family, new URL(request.url));
  const upSpan = ctx.trace?.child("wardline.upstream", { "server.address": new URL(url).host }, "client");
  let res: Response;
  try {
    const upHeaders = upstreamRequestHeaders(request.headers, ctx.requestId);
    if (upSpan) upHeaders.set("traceparent", upSpan.traceparent());
    // duplex: undici needs it for stream bodies (not in lib.dom's RequestInit yet)
    const init: RequestInit & { duplex: "half" } = {
      method: request.method,
      headers: upHeaders,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : (body as BodyInit | null),
      signal: upstream.signal,
      redirect: "manual",
      duplex: "half",
    };
    // a body the proxy holds whole (or none) can be sent again; a streaming one cannot
    const replayable = init.body === undefined || body === null || body instanceof Uint8Array;
    for (let attempt = 0; ; attempt++) {
      const canRetry = replayable && attempt < (config.retries?.attempts ?? 0);
      try {
        res = await ctx.fetch(url, init);
      } catch (e) {
        const reason = canRetry && !upstream.signal.aborted ? retryableError(e) : undefined;
        if (!reason) throw e;
        ctx.metrics.retries.inc({ route: route.name, reason });
        outcome.retries = attempt + 1;
        await sleep(retryDelay(config.retries, attempt, null)!, upstream.signal);
        continue;
      }
      // an error status before any body went to the client: the upstream did not start on it
      const wait = canRetry && RETRY_STATUSES.has(res.status) ? retryDelay(config.retries, attempt, res.headers.get("retry-after")) : undefined;
      if (wait === undefined) break;
      await res.body?.cancel().catch(() => {});
      ctx.metrics.retries.inc({ route: route.name, reason: String(res.status) });
      outcome.retries = attempt + 1;
      await sleep(wait, upstream.signal);
    }
  } catch (e) {
    clearTimeout(timer);
    upSpan?.end({ "wardline.retries": outcome.retries }, firstByteTimedOut ? "first_byte_timeout" : "unreachable");
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
  const ttfb = (performance.now() - t1) / 1000;
  ctx.metrics.upstreamSeconds.observe({ route: route.name }, ttfb);
  upSpan?.end({ "http.response.status_code": res.status, "wardline.upstream.ttfb_ms": ttfb * 1000, "wardline.retries": outcome.retries });
  outcome.upstreamStatus = res.status;
  const headers = clientResponseHeaders(res.headers, ctx.requestId);
  if (outcome.flags) setFlagHeaders(headers, outcome.flags, ctx.guard.policyHash, ctx.requestId);
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
    let transformer: GuardTransformer | undefined;
    const mid = { engineMs: 0, bytesIn: 0, bytesOut: 0, heldMax: 0, redactions: 0, stops: 0 };
    const midSpan = ctx.trace?.child("wardline.midstream");
    try {
      transformer = ctx.guard.transformer(route.provider as "openai-chat", {
        failOpen: failModeOf(config, "midstream") === "open",
        restore,
        onStop: () => { outcome.stopped = true; mid.stops++; ctx.metrics.streamsStopped.inc({ route: route.name }); abortUpstream(); },
        onResult: (r) => {
          if (failModeOf(config, "midstream") === "closed") checkWellFormed(r);
          audit?.midstream(r); ctx.tenantRecorder?.midstream(r);
          const rules = recordMidstream(ctx.metrics, ctx.names, r);
          if (rules.length) outcome.rules = [...(outcome.rules ?? []), ...rules];
          for (const f of r.fired) {
            if (f.action === "redact") mid.redactions++;
            else if (f.action === "flag") {
              // too late for a header: the log line, audit and metrics carry it (flag-headers.ts)
              const id = ctx.names.rules[f.rule] ?? String(f.rule);
              if (!(outcome.flags ??= []).includes(id)) outcome.flags.push(id);
            }
          }
        },
        // summed per stream, observed once when it ends (two histogram observes per push
        // profiled as a visible share of the per-event cost)
        onTiming: (t) => {
          const held = Math.max(0, t.bytesIn - t.bytesOut);
          mid.engineMs += t.ms; mid.bytesIn = t.bytesIn; mid.bytesOut = t.bytesOut; if (held > mid.heldMax) mid.heldMax = held;
        },
        onEngineError: (e) => {
          log.error({ reqId: ctx.requestId, err: { name: e.name, code: (e as { code?: string }).code, message: e.message } }, "stream scan failed");
          countEngineRestart(ctx.metrics, e);
          if (failClosed(config, ctx.metrics, "midstream")) return false;
          outcome.error = "midstream_unscanned";
          return true;
        },
      });
    } catch (e) {
      if (failClosed(config, ctx.metrics, "midstream")) { abortUpstream(); midSpan?.end({}, "scanner_unavailable"); return fail("internal", `response scanning unavailable (${(e as Error).message})`); }
      outcome.error = "midstream_unscanned";
    }
    // one stream stage does idle timer, usage meter, audit copy, guard and error tail (guarded-body.ts)
    const usage = ctx.meter ? usageFeed(ctx.meter) : undefined;
    const observe = usage && audit ? (c: Uint8Array) => { usage.feed(c); audit.record(c); } : usage ? usage.feed : audit ? (c: Uint8Array) => audit.record(c) : undefined;
    const out = guardedBody(res.body, { idleMs, onIdle, transformer, observe, observeEnd: usage?.end, tail: (e) => {
      if (request.signal.aborted) return null;
      if (e instanceof MalformedUpstream) {
        abortUpstream();
        outcome.error = "upstream_malformed";
        ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "malformed" });
        return errorFrame(route.family, "bad_upstream", `Wardline: ${e.message}`);
      }
      if (isEngineFault(e)) {
        // fail_mode closed mid-stream (onEngineError counted it): the answer ends here, as an error the SDK raises
        abortUpstream();
        outcome.error = "midstream_scan_failed";
        return errorFrame(route.family, "internal", "Wardline: response scanning failed; the answer was cut there");
      }
      const idle = idled || e instanceof IdleTimeout;
      outcome.error = idle ? "idle_timeout" : "upstream_dropped";
      if (!idle) ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "dropped" });
      return errorFrame(route.family, idle ? "timeout" : "unreachable",
        idle ? `Wardline: the upstream sent nothing for ${idleMs} ms` : "Wardline: the upstream connection ended before the answer was complete");
    } });
    const streamedRes = new Response(out, { status: res.status, statusText: res.statusText, headers });
    if (!transformer && !audit && !midSpan) return streamedRes;
    return onBodyEnd(streamedRes, () => {
      if (transformer) {
        ctx.metrics.engineSeconds.observe({ phase: "midstream" }, mid.engineMs / 1000);
        ctx.metrics.heldBytes.observe({ route: route.name }, mid.heldMax);
      }
      audit?.streamEnded();
      midSpan?.end({ "wardline.bytes_in": mid.bytesIn, "wardline.bytes_out": mid.bytesOut, "wardline.held_bytes_max": mid.heldMax,
        "wardline.redactions": mid.redactions, "wardline.stops": mid.stops, "wardline.engine_ms": mid.engineMs }, outcome.error);
    });
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
    if (failClosed(config, ctx.metrics, "egress")) return fail("internal", "response scanning unavailable");
    outcome.error = "response_unscanned";
    return new Response(whole as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  }
  const t2 = performance.now();
  const egSpan = ctx.trace?.child("wardline.egress");
  try {
    const r = inspect.call(ctx.guard, route.provider, whole);
    ctx.metrics.decisions.inc({ phase: "egress", action: r.action, rule: "" });
    ctx.tenantRecorder?.decision("egress", r.action, "");
    Object.assign(outcome, { action: r.action, stopped: r.stopped });
    audit?.whole(r);
    const flags = flaggedRules((r as { parts?: { findings: { action: string; rule?: string }[] }[] }).parts ?? []);
    if (flags.length) {
      outcome.flags = [...new Set([...(outcome.flags ?? []), ...flags])];
      setFlagHeaders(headers, outcome.flags, ctx.guard.policyHash, ctx.requestId);
    }
    egSpan?.set({ "wardline.action": r.action, "wardline.stopped": r.stopped });
    return new Response(r.body as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  } catch (e) {
    // a body that is not JSON (inspectResponse throws the same class as for requests) is the
    // upstream's fault, whatever the fail mode: no SDK could read it either
    if (e instanceof RequestBodyError) {
      ctx.metrics.upstreamErrors.inc({ route: route.name, kind: "malformed" });
      egSpan?.end({}, "bad_upstream");
      return fail("bad_upstream", `the upstream answer is not valid JSON (${e.status} at byte ${e.offset})`);
    }
    log.error({ reqId: ctx.requestId, err: { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message } }, "response scan failed");
    countEngineRestart(ctx.metrics, e);
    egSpan?.set({ "wardline.fail_mode": failModeOf(config, "egress") });
    if (failClosed(config, ctx.metrics, "egress")) { egSpan?.end({}, "scan_failed"); return fail("internal", "response scanning failed"); }
    outcome.error = "egress_unscanned";
    return new Response(whole as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers });
  } finally {
    const seconds = (performance.now() - t2) / 1000;
    ctx.metrics.engineSeconds.observe({ phase: "egress" }, seconds);
    egSpan?.end({ "wardline.engine_ms": seconds * 1000 });
  }
}

/** The flag headers on a response made before the upstream was asked (an ingress block). */
function withFlags(res: Response, flags: string[] | undefined, ctx: ExchangeContext): Response {
  if (flags) setFlagHeaders(res.headers, flags, ctx.guard.policyHash, ctx.requestId);
  return res;
}

/** A refusal sent before the body was read: close the connection rather than drain it. */
function withClose(res: Response): Response {
  res.headers.set("connection", "close");
  return res;
}
