// Prometheus metrics of one proxy (its own registry, so several proxies in one process —
// tests — do not share counters). Labels never carry request text.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: "wardline_requests_total", help: "Requests by route and response status", labelNames: ["route", "status"], registers: [this.registry] });
  readonly decisions = new Counter({ name: "wardline_decisions_total", help: "Policy decisions by phase, action and rule", labelNames: ["phase", "action", "rule"], registers: [this.registry] });
  readonly findings = new Counter({ name: "wardline_findings_total", help: "Findings by detector and entity type", labelNames: ["phase", "detector", "type"], registers: [this.registry] });
  readonly engineSeconds = new Histogram({ name: "wardline_engine_seconds", help: "Engine time per call by phase (midstream: per streamed answer, all its pushes together)", labelNames: ["phase"], buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5], registers: [this.registry] });
  readonly streamsStopped = new Counter({ name: "wardline_streams_stopped_total", help: "Streamed answers ended by a stop rule", labelNames: ["route"], registers: [this.registry] });
  readonly upstreamSeconds = new Histogram({ name: "wardline_upstream_seconds", help: "Time to upstream response headers", labelNames: ["route"], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [this.registry] });
  readonly upstreamErrors = new Counter({ name: "wardline_upstream_errors_total", help: "Upstream failures by kind", labelNames: ["route", "kind"], registers: [this.registry] });
  readonly failMode = new Counter({ name: "wardline_fail_mode_total", help: "Times a phase could not be scanned and its fail mode applied", labelNames: ["phase", "mode"], registers: [this.registry] });
  readonly engineRestarts = new Counter({ name: "wardline_engine_restarts_total", help: "Engine instances replaced by a fresh one after a trap (out of memory, stack, or a bug)", registers: [this.registry] });
  readonly retries = new Counter({ name: "wardline_upstream_retries_total", help: "Upstream attempts repeated before the client got a byte, by reason", labelNames: ["route", "reason"], registers: [this.registry] });
  readonly heldBytes = new Histogram({ name: "wardline_stream_held_bytes", help: "Most upstream bytes held back at once in one streamed answer (input so far minus output so far, after each push)", labelNames: ["route"], buckets: [0, 64, 256, 1024, 4096, 16384, 65536, 262144], registers: [this.registry] });
  readonly shed = new Counter({ name: "wardline_shed_total", help: "Requests refused because max_concurrency was reached", registers: [this.registry] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
