// Scanning that failed: an engine trap (the Guard has already swapped in a fresh instance,
// bindings/engine-recovery.ts) or any other engine error. The exchange applies the phase's
// fail mode — closed refuses or cuts the answer, open forwards unscanned — and this module
// counts both, on the proxy's own registry:
//   wardline_engine_restarts_total                 engine instances replaced after a trap
//   wardline_fail_mode_total{phase, mode}          requests whose phase was failed open or closed
import { Counter } from "prom-client";
import { isEngineTrap } from "../bindings/engine-recovery.ts";
import type { ProxyMetrics } from "./metrics.ts";

export type ScanPhase = "ingress" | "midstream" | "egress";

interface FaultCounters { restarts: Counter; failMode: Counter<"phase" | "mode"> }
const byMetrics = new WeakMap<ProxyMetrics, FaultCounters>();

/** The fault counters of one proxy's metrics (made once, on its registry). */
export function faultCounters(m: ProxyMetrics): FaultCounters {
  let c = byMetrics.get(m);
  if (!c) {
    c = {
      restarts: new Counter({ name: "wardline_engine_restarts_total", help: "Engine instances replaced by a fresh one after a trap (out of memory, stack, or a bug)", registers: [m.registry] }),
      failMode: new Counter({ name: "wardline_fail_mode_total", help: "Requests whose scanning failed, by phase and the fail mode applied (open: forwarded unscanned; closed: refused or cut)", labelNames: ["phase", "mode"], registers: [m.registry] }),
    };
    byMetrics.set(m, c);
  }
  return c;
}

/** True for errors that mean the engine could not scan (as opposed to the upstream or the client failing). */
export function isEngineFault(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("WL_ENGINE_");
}

/** Counts one failed scan and the fail mode applied to it. */
export function countEngineFault(m: ProxyMetrics, phase: ScanPhase, mode: "open" | "closed", e: unknown): void {
  const c = faultCounters(m);
  if (isEngineTrap(e)) c.restarts.inc();
  c.failMode.inc({ phase, mode });
}
