// OpenTelemetry spans, only when a collector is configured (`otel.endpoint`). The SDK, the
// OTLP/HTTP exporter and the API are imported here on demand, so the default path — and Deno,
// and the bundled CLI (they are external in scripts/build-js.mjs) — never loads them; with no
// endpoint the handler holds no Tracing at all and every hook is an `undefined?.` check.
//
// One SERVER span per proxied request, children for ingress, the upstream call (CLIENT),
// midstream and egress. An incoming W3C `traceparent` becomes the parent, and the upstream gets
// a `traceparent` naming the upstream span. Attributes carry ids, counts, actions, rule ids and
// hashes — never prompt or answer text, never credentials.
import type { Span, Tracer } from "@opentelemetry/api";
import type { ProxyConfig } from "./config.ts";

export type Attrs = Record<string, string | number | boolean | string[] | undefined>;

export interface TraceSpan {
  set(attrs: Attrs): void;
  /** ends the span (once); an `error` marks it failed */
  end(attrs?: Attrs, error?: string): void;
  child(name: string, attrs?: Attrs, kind?: "client" | "internal"): TraceSpan;
  /** the W3C traceparent naming this span, for the next hop */
  traceparent(): string;
}

export interface Tracing {
  /** the server span of one request, child of the request's `traceparent` when it has one */
  request(name: string, headers: Headers, attrs: Attrs): TraceSpan;
  /** exports the finished spans now */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

// W3C Trace Context, level 1 §3.2: version-traceid-parentid-flags; version ff, all-zero ids invalid
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The exporter URL for an OTLP/HTTP base endpoint (the spec's signal path, unless given). */
export function tracesUrl(endpoint: string): string {
  return /\/v1\/traces$/.test(endpoint) ? endpoint : `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

/** A Tracing when `otel.endpoint` is set, else undefined (nothing loaded). */
export async function startTracing(otel: ProxyConfig["otel"] | undefined): Promise<Tracing | undefined> {
  if (!otel?.endpoint) return undefined;
  const [api, sdk, exporter, resources] = await Promise.all([
    import("@opentelemetry/api"), import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/exporter-trace-otlp-http"), import("@opentelemetry/resources"),
  ]);
  const provider = new sdk.TracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": otel.service_name || "wardline" }),
      // the 0.301 node exporter sends OTLP JSON (content-type application/json)
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new exporter.OTLPTraceExporter({ url: tracesUrl(otel.endpoint) }) })],
  });
  const tracer: Tracer = provider.getTracer("wardline");

  const clean = (attrs: Attrs | undefined) => {
    const out: Record<string, string | number | boolean | string[]> = {};
    if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
    return out;
  };
  const wrap = (span: Span): TraceSpan => {
    let ended = false;
    return {
      set: (attrs) => { span.setAttributes(clean(attrs)); },
      end: (attrs, error) => {
        if (ended) return;
        ended = true;
        span.setAttributes(clean(attrs));
        if (error) span.setStatus({ code: api.SpanStatusCode.ERROR, message: error });
        span.end();
      },
      child: (name, attrs, kind) => wrap(tracer.startSpan(name,
        { kind: kind === "client" ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL, attributes: clean(attrs) },
        api.trace.setSpan(api.ROOT_CONTEXT, span))),
      traceparent: () => {
        const sc = span.spanContext();
        return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
      },
    };
  };

  return {
    request(name, headers, attrs) {
      let parent = api.ROOT_CONTEXT;
      const m = TRACEPARENT.exec(headers.get("traceparent")?.trim().toLowerCase() ?? "");
      if (m && m[1] !== "ff" && !/^0+$/.test(m[2]) && !/^0+$/.test(m[3])) {
        parent = api.trace.setSpanContext(api.ROOT_CONTEXT, { traceId: m[2], spanId: m[3], traceFlags: parseInt(m[4], 16) & 1, isRemote: true });
      }
      return wrap(tracer.startSpan(name, { kind: api.SpanKind.SERVER, attributes: clean(attrs) }, parent));
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
