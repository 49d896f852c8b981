// Scanning that failed: an engine trap (the Guard has already swapped in a fresh instance,
// bindings/engine-recovery.ts) or any other engine error. The exchange applies the phase's
// fail mode (fail-mode.ts counts it in wardline_fail_mode_total{phase,mode}); this module tells
// engine faults from upstream and client faults and counts the instances replaced
// (wardline_engine_restarts_total).
import { isEngineTrap } from "../bindings/engine-recovery.ts";
import type { ProxyMetrics } from "./metrics.ts";

/** True for errors that mean the engine could not scan (as opposed to the upstream or the client failing). */
export function isEngineFault(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("WL_ENGINE_");
}

/** Counts an engine instance replaced after `e`, when `e` was a trap. */
export function countEngineRestart(m: ProxyMetrics, e: unknown): void {
  if (isEngineTrap(e)) m.engineRestarts.inc();
}
