// Upstream retries, only where they are safe: before the client got a byte, with a request
// body the proxy holds whole (a guarded route's body, or none), for failures where the
// upstream did not start on the answer — the connection was refused or reset before response
// headers, or the upstream said 429/502/503/504 before any body reached the client. Never after
// a byte was streamed (the answer may already have been billed and half-shown), never for a
// body that streams through (it cannot be replayed), never on a timeout (the upstream may still
// be working on the first try). A small bounded count with exponential backoff and jitter; an
// upstream `retry-after` is honoured when it is short, otherwise its answer goes to the client
// (the SDKs wait and retry themselves).
import type { ProxyConfig } from "./config.ts";

export const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const RETRY_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "UND_ERR_SOCKET", "EPIPE"]);

/** The reason a failed fetch may be tried again (its error code), or undefined. */
export function retryableError(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (e as { code?: string }).code;
  return code && RETRY_ERRORS.has(code) ? code : undefined;
}

/** `retry-after` in milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** How long to wait before retry number `retry` (0-based), or undefined when the upstream asks
 *  for longer than the cap. */
export function retryDelay(r: ProxyConfig["retries"], retry: number, retryAfter: string | null): number | undefined {
  const asked = retryAfterMs(retryAfter);
  if (asked !== undefined) return asked <= r.max_retry_after_ms ? asked : undefined;
  const base = r.backoff_ms * 2 ** retry;
  return base / 2 + Math.random() * base / 2;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(signal.reason); return; }
    const onAbort = () => { clearTimeout(t); reject(signal.reason); };
    const t = setTimeout(() => { signal.removeEventListener("abort", onAbort); resolve(); }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
