// Fail mode per phase: what the proxy does when it cannot scan (an engine error, a scanner that
// is unavailable). `open` forwards the traffic unscanned, `closed` refuses it. Every time a mode
// is applied it is counted (wardline_fail_mode_total{phase,mode}), so an open proxy that quietly
// stopped scanning shows up on a dashboard.
import type { FailMode, ProxyConfig } from "./config.ts";
import type { ProxyMetrics } from "./metrics.ts";

export type FailPhase = "ingress" | "midstream" | "egress";

/** The mode configured for `phase` (`fail_mode` is one word for all phases, or one per phase). */
export function failModeOf(config: ProxyConfig, phase: FailPhase): FailMode {
  const m = config.fail_mode;
  return typeof m === "string" ? m : m[phase];
}

/** Applies (counts) the mode of `phase`; returns true when the traffic must be refused. */
export function failClosed(config: ProxyConfig, metrics: ProxyMetrics, phase: FailPhase): boolean {
  const mode = failModeOf(config, phase);
  metrics.failMode.inc({ phase, mode });
  return mode === "closed";
}
