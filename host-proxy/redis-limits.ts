// Rate-limit and quota counters in Redis, so several proxy replicas share them. One Lua script
// (EVALSHA, EVAL when the server does not know it yet) checks and counts atomically, with
// Redis's own clock (TIME), so replicas with skewed clocks still agree. Keys per tenant:
// `<prefix>{<tenant>}:bucket` (hash: tokens, ts), `:rm:<minute>`, `:rd:<day>`, `:tm:<minute>`,
// `:td:<day>` (counters that expire after their window); the hash tag keeps one tenant's keys
// in one cluster slot.
//
// When Redis is unreachable (not connected, a command fails or takes over `timeoutMs`), the
// proxy counts in its own memory (MemoryLimiter: limits hold per replica) and logs that once;
// when a command succeeds again it logs the recovery once and the counters are shared again.
// Counts made locally while Redis was away are not copied to Redis.
import { createClient } from "redis";
import { createHash } from "node:crypto";
import type { Logger } from "./log.ts";
import { MemoryLimiter, burstOf, type Limiter, type LimiterMode, type Limits, type LimitName, type Verdict } from "./limits.ts";

export const LIMIT_SCRIPT = `
local p = KEYS[1]
local mode = ARGV[1]
local rate, burst = tonumber(ARGV[2]), tonumber(ARGV[3])
local rpm, rpd, tpm, tpd = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local m = math.floor(now / 60000)
local d = math.floor(now / 86400000)
local toM = (m + 1) * 60000 - now
local toD = (d + 1) * 86400000 - now
local kRm, kRd, kTm, kTd = p .. ':rm:' .. m, p .. ':rd:' .. d, p .. ':tm:' .. m, p .. ':td:' .. d
if mode == 'charge' then
  local n = tonumber(ARGV[8])
  if tpm > 0 then redis.call('INCRBY', kTm, n); redis.call('PEXPIRE', kTm, toM + 5000) end
  if tpd > 0 then redis.call('INCRBY', kTd, n); redis.call('PEXPIRE', kTd, toD + 5000) end
  return {1, '', 0}
end
local function used(k) return tonumber(redis.call('GET', k) or '0') end
if rpd > 0 and used(kRd) >= rpd then return {0, 'requests_per_day', toD} end
if tpd > 0 and used(kTd) >= tpd then return {0, 'tokens_per_day', toD} end
if rpm > 0 and used(kRm) >= rpm then return {0, 'requests_per_minute', toM} end
if tpm > 0 and used(kTm) >= tpm then return {0, 'tokens_per_minute', toM} end
if rate > 0 then
  local kB = p .. ':bucket'
  local b = redis.call('HMGET', kB, 'tokens', 'ts')
  local tokens = tonumber(b[1]) or burst
  local ts = tonumber(b[2]) or now
  if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate / 1000) end
  if tokens < 1 then
    redis.call('HSET', kB, 'tokens', tostring(tokens), 'ts', tostring(math.max(now, ts)))
    redis.call('PEXPIRE', kB, math.ceil(burst * 1000 / rate) + 1000)
    return {0, 'requests_per_second', math.ceil((1 - tokens) * 1000 / rate)}
  end
  redis.call('HSET', kB, 'tokens', tostring(tokens - 1), 'ts', tostring(math.max(now, ts)))
  redis.call('PEXPIRE', kB, math.ceil(burst * 1000 / rate) + 1000)
end
if rpm > 0 then redis.call('INCR', kRm); redis.call('PEXPIRE', kRm, toM + 5000) end
if rpd > 0 then redis.call('INCR', kRd); redis.call('PEXPIRE', kRd, toD + 5000) end
return {1, '', 0}
`;

const SHA = createHash("sha1").update(LIMIT_SCRIPT).digest("hex");

export interface RedisLimiterOptions {
  url: string;
  logger: Logger;
  /** key prefix (default "wardline:") */
  prefix?: string;
  /** a command slower than this counts as Redis being away (default 500 ms) */
  timeoutMs?: number;
  /** called when the mode changes (redis ⇄ local-fallback) */
  onMode?: (mode: LimiterMode) => void;
}

type RedisClient = ReturnType<typeof createClient>;

export class RedisLimiter implements Limiter {
  private client: RedisClient;
  private local = new MemoryLimiter();
  private shared = false;
  private announced = false;
  private closed = false;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(private options: RedisLimiterOptions) {
    this.prefix = options.prefix ?? "wardline:";
    this.timeoutMs = options.timeoutMs ?? 500;
    this.client = createClient({
      url: options.url,
      // commands fail at once while disconnected (we count locally) instead of queueing
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 1000) },
    });
    // connection errors are expected while Redis is away; the mode change is logged instead
    this.client.on("error", (e) => { if (!this.closed && !this.client.isReady) this.setShared(false, e); });
    this.client.on("ready", () => { if (!this.closed) this.setShared(true); });
    this.client.connect().catch(() => {});
    this.client.unref();
  }

  get mode(): LimiterMode { return this.shared ? "redis" : "local-fallback"; }

  private setShared(shared: boolean, err?: unknown): void {
    if (shared === this.shared && this.announced) return;
    const first = !this.announced;
    this.announced = true;
    this.shared = shared;
    const log = this.options.logger;
    if (shared) log.info({ limits: "redis" }, first ? "rate limits shared in Redis" : "Redis is back: rate limits shared again");
    else log.warn({ limits: "local-fallback", err: err ? { name: (err as Error).name, message: (err as Error).message } : undefined },
      "Redis unavailable: rate limits counted in this process until it returns");
    this.options.onMode?.(this.mode);
  }

  private async run(args: string[], key: string): Promise<unknown[]> {
    if (!this.client.isReady) throw new Error("not connected");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs); });
    const call = async () => {
      try {
        return await this.client.evalSha(SHA, { keys: [key], arguments: args });
      } catch (e) {
        if (!/NOSCRIPT/.test(String((e as Error).message))) throw e;
        return await this.client.eval(LIMIT_SCRIPT, { keys: [key], arguments: args });
      }
    };
    try {
      return await Promise.race([call(), timeout]) as unknown[];
    } finally { clearTimeout(timer); }
  }

  private args(mode: "admit" | "charge", l: Limits, tokens = 0): string[] {
    return [mode, String(l.requests_per_second), String(burstOf(l)), String(l.requests_per_minute), String(l.requests_per_day),
      String(l.tokens_per_minute), String(l.tokens_per_day), String(tokens)];
  }

  private key(tenant: string): string { return `${this.prefix}{${tenant}}`; }

  async admit(tenant: string, l: Limits): Promise<Verdict> {
    try {
      const r = await this.run(this.args("admit", l), this.key(tenant));
      this.setShared(true);
      return Number(r[0]) === 1 ? { ok: true } : { ok: false, limit: String(r[1]) as LimitName, retryAfterMs: Number(r[2]) };
    } catch (e) {
      if (this.closed) throw e;
      this.setShared(false, e);
      return this.local.admitSync(tenant, l);
    }
  }

  async charge(tenant: string, tokens: number, l: Limits): Promise<void> {
    if (tokens <= 0 || (l.tokens_per_minute <= 0 && l.tokens_per_day <= 0)) return;
    try {
      await this.run(this.args("charge", l, Math.round(tokens)), this.key(tenant));
      this.setShared(true);
    } catch (e) {
      if (this.closed) return;
      this.setShared(false, e);
      this.local.chargeSync(tenant, tokens);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    try { await this.client.close(); } catch { this.client.destroy(); }
  }
}
