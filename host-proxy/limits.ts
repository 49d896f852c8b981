// Per-tenant rate limits and quotas: a token bucket (requests per second with a burst) and
// fixed windows (requests and tokens per UTC minute and per UTC day). This file holds the
// shared vocabulary, the in-memory limiter (the default), the 429 in each provider's shape and
// the token meter; redis-limits.ts keeps the same counters in Redis for several replicas.
//
// Tokens are charged after an answer ends: the provider's usage fields when the answer carries
// them (OpenAI `usage.total_tokens` or prompt+completion, Responses and Anthropic
// input+output), else an estimate of (request bytes + answer bytes) / 4. A request is refused
// once the window's tokens reached the quota; the request that crosses it is not cut short.
import type { ProviderFamily } from "./provider-errors.ts";

export interface Limits {
  /** token bucket refill, requests per second (0: no bucket) */
  requests_per_second: number;
  /** bucket size (0: max(1, ceil(requests_per_second))) */
  burst: number;
  requests_per_minute: number;
  requests_per_day: number;
  tokens_per_minute: number;
  tokens_per_day: number;
}

export type LimitName = "requests_per_second" | "requests_per_minute" | "requests_per_day" | "tokens_per_minute" | "tokens_per_day";

export type Verdict = { ok: true } | { ok: false; limit: LimitName; retryAfterMs: number };

export const NO_LIMITS: Limits = { requests_per_second: 0, burst: 0, requests_per_minute: 0, requests_per_day: 0, tokens_per_minute: 0, tokens_per_day: 0 };

export const hasLimits = (l: Limits) =>
  l.requests_per_second > 0 || l.requests_per_minute > 0 || l.requests_per_day > 0 || l.tokens_per_minute > 0 || l.tokens_per_day > 0;

export const burstOf = (l: Limits) => l.burst > 0 ? l.burst : Math.max(1, Math.ceil(l.requests_per_second));

/** Where counters live: "memory" (this process), "redis" (shared), "local-fallback" (Redis unreachable). */
export type LimiterMode = "memory" | "redis" | "local-fallback";

export interface Limiter {
  readonly mode: LimiterMode;
  /** counts one request against the tenant's limits, or says which limit refuses it */
  admit(tenant: string, limits: Limits): Promise<Verdict>;
  /** adds tokens used by an answer to the tenant's token windows */
  charge(tenant: string, tokens: number, limits: Limits): Promise<void>;
  close(): Promise<void>;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

interface TenantState {
  tokens: number; ts: number;
  minute: number; rm: number; tm: number;
  day: number; rd: number; td: number;
  seen: number;
}

/** Counters in this process: exact for one replica, the fallback when Redis is away. */
export class MemoryLimiter implements Limiter {
  readonly mode: LimiterMode = "memory";
  private states = new Map<string, TenantState>();
  private calls = 0;
  constructor(private now: () => number = Date.now) {}

  private state(tenant: string, now: number): TenantState {
    let s = this.states.get(tenant);
    if (!s) { s = { tokens: NaN, ts: now, minute: -1, rm: 0, tm: 0, day: -1, rd: 0, td: 0, seen: now }; this.states.set(tenant, s); }
    const m = Math.floor(now / MINUTE), d = Math.floor(now / DAY);
    if (s.minute !== m) { s.minute = m; s.rm = 0; s.tm = 0; }
    if (s.day !== d) { s.day = d; s.rd = 0; s.td = 0; }
    s.seen = now;
    // forget tenants idle for a day (keys that are never seen again)
    if (++this.calls % 1024 === 0) for (const [k, v] of this.states) if (now - v.seen > DAY) this.states.delete(k);
    return s;
  }

  admitSync(tenant: string, l: Limits): Verdict {
    const now = this.now();
    const s = this.state(tenant, now);
    const toMinute = (s.minute + 1) * MINUTE - now, toDay = (s.day + 1) * DAY - now;
    if (l.requests_per_day > 0 && s.rd >= l.requests_per_day) return { ok: false, limit: "requests_per_day", retryAfterMs: toDay };
    if (l.tokens_per_day > 0 && s.td >= l.tokens_per_day) return { ok: false, limit: "tokens_per_day", retryAfterMs: toDay };
    if (l.requests_per_minute > 0 && s.rm >= l.requests_per_minute) return { ok: false, limit: "requests_per_minute", retryAfterMs: toMinute };
    if (l.tokens_per_minute > 0 && s.tm >= l.tokens_per_minute) return { ok: false, limit: "tokens_per_minute", retryAfterMs: toMinute };
    if (l.requests_per_second > 0) {
      const burst = burstOf(l);
      let tokens = Number.isNaN(s.tokens) ? burst : s.tokens;
      if (now > s.ts) tokens = Math.min(burst, tokens + (now - s.ts) * l.requests_per_second / 1000);
      s.ts = Math.max(now, s.ts);
      s.tokens = tokens;
      if (tokens < 1) return { ok: false, limit: "requests_per_second", retryAfterMs: Math.ceil((1 - tokens) * 1000 / l.requests_per_second) };
      s.tokens = tokens - 1;
    }
    s.rm++; s.rd++;
    return { ok: true };
  }

  chargeSync(tenant: string, tokens: number): void {
    const s = this.state(tenant, this.now());
    s.tm += tokens; s.td += tokens;
  }

  async admit(tenant: string, l: Limits): Promise<Verdict> { return this.admitSync(tenant, l); }
  async charge(tenant: string, tokens: number, _l: Limits): Promise<void> { this.chargeSync(tenant, tokens); }
  async close(): Promise<void> { this.states.clear(); }
}

// ---- the refusal ----

const TOKEN_LIMITS = new Set<LimitName>(["tokens_per_minute", "tokens_per_day"]);

/** 429 in the provider's shape (OpenAI: type "requests"/"tokens", code rate_limit_exceeded;
 *  Anthropic: rate_limit_error), with `retry-after` in whole seconds. */
export function rateLimitedResponse(family: ProviderFamily, tenant: string, limits: Limits, v: Extract<Verdict, { ok: false }>): Response {
  const seconds = Math.max(1, Math.ceil(v.retryAfterMs / 1000));
  const value = v.limit === "requests_per_second" ? `${limits.requests_per_second}/s, burst ${burstOf(limits)}` : String(limits[v.limit]);
  const message = `Wardline: rate limit reached for tenant ${tenant} on ${v.limit} (limit ${value}); retry after ${seconds} s`;
  const body = family === "anthropic"
    ? { type: "error", error: { type: "rate_limit_error", message } }
    : { error: { message, type: TOKEN_LIMITS.has(v.limit) ? "tokens" : "requests", param: null, code: "rate_limit_exceeded" } };
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: { "content-type": "application/json", "retry-after": String(seconds), "x-wardline-rate-limit": v.limit },
  });
}

// ---- token usage ----

export interface Usage { input: number; output: number; total?: number }

/** Folds one `usage` object (any provider) into `u`; Anthropic's output_tokens are cumulative. */
function addUsage(u: Usage, x: unknown): boolean {
  if (!x || typeof x !== "object") return false;
  const o = x as Record<string, unknown>;
  const num = (k: string) => typeof o[k] === "number" ? o[k] as number : undefined;
  const input = num("prompt_tokens") ?? num("input_tokens");
  const output = num("completion_tokens") ?? num("output_tokens");
  const total = num("total_tokens");
  if (input === undefined && output === undefined && total === undefined) return false;
  if (input !== undefined) u.input = Math.max(u.input, input + (num("cache_read_input_tokens") ?? 0) + (num("cache_creation_input_tokens") ?? 0));
  if (output !== undefined) u.output = Math.max(u.output, output);
  if (total !== undefined) u.total = Math.max(u.total ?? 0, total);
  return true;
}

/** Usage fields of one provider JSON object (a whole answer or one SSE event). */
function usageOf(u: Usage, obj: unknown): boolean {
  if (!obj || typeof obj !== "object") return false;
  const o = obj as Record<string, unknown>;
  let found = addUsage(u, o.usage);
  const nested = (o.message ?? o.response) as Record<string, unknown> | undefined;
  if (nested && typeof nested === "object") found = addUsage(u, nested.usage) || found;
  return found;
}

export const usageTokens = (u: Usage) => u.total ?? u.input + u.output;

/** Usage of a whole (non-streamed) answer, or undefined. */
export function usageFromBody(body: Uint8Array): Usage | undefined {
  if (body.length === 0 || body.length > 64 * 1024 * 1024) return undefined;
  try {
    const u: Usage = { input: 0, output: 0 };
    return usageOf(u, JSON.parse(new TextDecoder().decode(body))) ? u : undefined;
  } catch { return undefined; }
}

const MAX_LINE = 1 << 20;

/** What a meter saw of an answer so far. */
export interface Metered { usage?: Usage; bytes: number; /** guarded routes only */ requestBytes?: number }

/**
 * Passes SSE bytes through unchanged, counting them into `into.bytes` and reading `usage` from
 * the events that carry it into `into.usage` (lines are re-assembled across chunks; a line
 * over 1 MiB is skipped). The caller reads `into` when the body has ended, however it ended.
 */
export function usageMeter(into: Metered): TransformStream<Uint8Array, Uint8Array> {
  const m = usageFeed(into);
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) { m.feed(chunk); c.enqueue(chunk); },
    flush() { m.end(); },
  });
}

/** usageMeter's steps without the stream: feed() every chunk, end() when the answer ended normally.
 *  The complete lines of a chunk are searched for `"usage"` at once and split into lines only
 *  when it is there: a split, a regex and a JSON check per line of every event, for the one or
 *  two events per answer that carry usage, profiled at ~3.5 % of the proxy's CPU under load. */
export function usageFeed(into: Metered): { feed(chunk: Uint8Array): void; end(): void } {
  const dec = new TextDecoder();
  let line = "";
  let skipping = false;
  const u: Usage = { input: 0, output: 0 };
  const take = (l: string) => {
    if (!l.startsWith("data:") || !l.includes("\"usage\"")) return;
    try { if (usageOf(u, JSON.parse(l.slice(5)))) into.usage = u; } catch { /* not JSON: not ours */ }
  };
  const feed = (text: string) => {
    const last = text.lastIndexOf("\n");
    if (last >= 0) {
      // the complete lines so far; an over-long line being skipped ends at the first newline
      const block = skipping ? text.slice(text.indexOf("\n") + 1, last + 1) : line + text.slice(0, last + 1);
      if (block.includes("\"usage\"")) for (const l of block.split("\n")) take(l.replace(/\r$/, ""));
      line = ""; skipping = false; text = text.slice(last + 1);
    }
    if (!skipping) { line += text; if (line.length > MAX_LINE) { line = ""; skipping = true; } }
  };
  return {
    feed(chunk) { into.bytes += chunk.length; feed(dec.decode(chunk, { stream: true })); },
    end() { feed(dec.decode() + "\n"); },
  };
}


/** Tokens to charge for one exchange: the provider's usage, else (request + answer bytes) / 4. */
export function tokensFor(m: Metered): { tokens: number; source: "usage" | "estimate" } {
  if (m.usage) return { tokens: usageTokens(m.usage), source: "usage" };
  return { tokens: Math.ceil(((m.requestBytes ?? 0) + m.bytes) / 4), source: "estimate" };
}
