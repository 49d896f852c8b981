// Tenants: who is calling, which policy applies to them, which limits. A request belongs to
//  1. the configured tenant whose `header_value` equals the `tenant_header` request header, else
//  2. the configured tenant listing the SHA-256 of its API key (`authorization: Bearer …` or
//     `x-api-key`), else
//  3. an unlisted key: tenant `key-<first 12 hex of the key's SHA-256>` with the proxy's policy and
//     the default `rate_limits`, else
//  4. `anonymous` (no key at all).
// Keys are hashed per request and never stored. Each tenant's policy is compiled once (tenants
// naming the same policy share one guard); its hash tags the tenant's decisions, log lines and
// metrics.
import { createHash } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { Counter, Gauge } from "prom-client";
import { LineCounter, isMap, isSeq, isScalar, parseDocument } from "yaml";
import type { Node as YamlNode } from "yaml";
import { createGuard, type Guard } from "../bindings/index.ts";
import type { ProtoResult } from "../bindings/transform.ts";
import type { RequestInspection } from "../bindings/inspect-request.ts";
import type { ProxyConfig } from "./config.ts";
import type { Logger } from "./log.ts";
import type { ProxyMetrics } from "./metrics.ts";
import { policyNames, type PolicyNames } from "./policy-names.ts";
import { MemoryLimiter, NO_LIMITS, hasLimits, tokensFor, type Limiter, type Limits, type Metered, type Verdict } from "./limits.ts";
import { RedisLimiter } from "./redis-limits.ts";

export interface TenantSpec {
  id: string;
  /** SHA-256 (hex) of each API key of this tenant */
  api_key_sha256?: string[];
  /** value of the `tenant_header` request header that selects this tenant */
  header_value?: string;
  /** shipped policy name or policy file (instead of the proxy's policy) */
  policy?: string;
  /** overrides of the default `rate_limits`, field by field */
  rate_limits?: Partial<Limits>;
}

const LIMIT_KEYS: (keyof Limits)[] = ["requests_per_second", "burst", "requests_per_minute", "requests_per_day", "tokens_per_minute", "tokens_per_day"];
const TENANT_KEYS = ["id", "api_key_sha256", "header_value", "policy", "rate_limits"];

export class TenantsError extends Error {
  constructor(message: string) { super(message); this.name = "TenantsError"; }
}

/**
 * Checks a `tenants` list given as a YAML node; `at(offset)` names a place in the file.
 * Relative policy files are resolved against `baseDir`.
 */
export function parseTenantsNode(node: YamlNode | null, at: (offset: number) => string, baseDir: string): TenantSpec[] {
  const where = (n: YamlNode | null | undefined, fallback: YamlNode | null) => at(n?.range?.[0] ?? fallback?.range?.[0] ?? 0);
  const fail = (n: YamlNode | null | undefined, msg: string, fallback: YamlNode | null = node): never => { throw new TenantsError(`${where(n, fallback)}: ${msg}`); };
  if (!node || !isSeq(node)) return fail(node, "tenants: expected a list of tenants");
  const out: TenantSpec[] = [];
  const ids = new Set<string>(), keys = new Set<string>(), headers = new Set<string>();
  node.items.forEach((item, i) => {
    const it = item as YamlNode;
    const name = `tenants[${i}]`;
    if (!isMap(it)) return fail(it, `${name}: expected a mapping (id, api_key_sha256, header_value, policy, rate_limits)`);
    const t: Partial<TenantSpec> = {};
    for (const pair of it.items) {
      const k = pair.key as YamlNode;
      const key = isScalar(k) ? String(k.value) : "";
      const v = pair.value as YamlNode | null;
      const scalar = (what: string): string => {
        if (!v || !isScalar(v) || (typeof v.value !== "string" && typeof v.value !== "number") || String(v.value).trim() === "") return fail(v, `${name}.${key}: expected ${what}`, k);
        return String(v.value).trim();
      };
      switch (key) {
        case "id": {
          const id = scalar("a tenant name");
          if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) fail(v, `${name}.id: expected letters, digits, '.', '_' or '-' (at most 64), got ${JSON.stringify(id)}`);
          if (ids.has(id)) fail(v, `${name}.id: "${id}" is used twice`);
          ids.add(id); t.id = id; break;
        }
        case "api_key_sha256": {
          const list = v && isSeq(v) ? v.items as YamlNode[] : [v];
          t.api_key_sha256 = list.map((n) => {
            const h = n && isScalar(n) ? String(n.value).trim().toLowerCase() : "";
            if (!/^[0-9a-f]{64}$/.test(h)) fail(n, `${name}.api_key_sha256: expected the SHA-256 of a key in hex (64 characters; printf %s "$KEY" | sha256sum)`, k);
            if (keys.has(h)) fail(n, `${name}.api_key_sha256: this key hash belongs to two tenants`, k);
            keys.add(h);
            return h;
          });
          break;
        }
        case "header_value": {
          const h = scalar("a header value");
          if (headers.has(h)) fail(v, `${name}.header_value: "${h}" belongs to two tenants`);
          headers.add(h); t.header_value = h; break;
        }
        case "policy": {
          const p = scalar("a shipped policy name or a policy file");
          t.policy = /\.(ya?ml|json|wlp)$/i.test(p) ? resolvePath(baseDir, p) : p;
          break;
        }
        case "rate_limits": {
          if (!v || !isMap(v)) return fail(v, `${name}.rate_limits: expected a mapping (${LIMIT_KEYS.join(", ")})`, k);
          const l: Partial<Limits> = {};
          for (const lp of v.items) {
            const lk = lp.key as YamlNode;
            const lkey = isScalar(lk) ? String(lk.value) : "";
            if (!LIMIT_KEYS.includes(lkey as keyof Limits)) fail(lk, `${name}.rate_limits: unknown limit "${lkey}" (known: ${LIMIT_KEYS.join(", ")})`);
            const lv = lp.value as YamlNode | null;
            const n = lv && isScalar(lv) ? Number(lv.value) : NaN;
            const int = lkey !== "requests_per_second";
            if (!Number.isFinite(n) || n < 0 || (int && !Number.isSafeInteger(n))) fail(lv, `${name}.rate_limits.${lkey}: expected a ${int ? "whole " : ""}number ≥ 0 (0: no limit), got ${JSON.stringify(lv && isScalar(lv) ? lv.value : null)}`, lk);
            l[lkey as keyof Limits] = n;
          }
          t.rate_limits = l; break;
        }
        default:
          fail(k, `${name}: unknown setting "${key}" (known: ${TENANT_KEYS.join(", ")})`);
      }
    }
    if (!t.id) fail(it, `${name}: "id" is required`);
    if (!t.api_key_sha256 && t.header_value === undefined) fail(it, `${name}: give api_key_sha256 or header_value (how requests are matched to tenant "${t.id}")`);
    out.push(t as TenantSpec);
  });
  return out;
}

/** `tenants` from an environment variable or flag: a YAML file, or the list itself as YAML/JSON. */
export function parseTenantsValue(value: string): TenantSpec[] {
  const v = value.trim();
  const inline = v.startsWith("[") || v.startsWith("-") || v.includes("\n") || !existsSync(v);
  let text = v, file = "tenants", base = process.cwd();
  if (!inline) {
    file = resolvePath(v); base = dirname(file);
    text = readFileSync(file, "utf8");
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => { const p = lc.linePos(offset); return inline ? `${p.line}:${p.col}` : `${file}:${p.line}:${p.col}`; };
  const err = doc.errors[0];
  if (err) throw new TenantsError(`${at(err.pos[0])}: YAML syntax: ${err.message.split("\n")[0]}`);
  return parseTenantsNode(doc.contents as YamlNode | null, at, base);
}

// ---- at run time ----

export interface Tenant {
  /** the configured name, `key-<hash prefix>` or `anonymous` */
  id: string;
  guard: Guard;
  names: PolicyNames;
  policyHash: string;
  limits: Limits;
}

/** What exchange.ts reports per tenant (decisions by phase, action and rule). */
export interface TenantRecorder {
  decision(phase: string, action: string, rule: string): void;
  ingress(r: RequestInspection, rules: string[]): void;
  midstream(r: ProtoResult): void;
}

/** A policy in force: the guard and its rule/type names. */
export interface PolicyRef { guard: Guard; names: PolicyNames }

interface Listed { id: string; own?: PolicyRef; limits: Limits }

export const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** The API key of a request (never stored; hashed at once). */
export function apiKeyOf(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  const m = auth ? /^\s*Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (m) return m[1];
  return headers.get("x-api-key")?.trim() || undefined;
}

export function limitsOf(config: ProxyConfig, overlay?: Partial<Limits>): Limits {
  return { ...NO_LIMITS, ...(config.rate_limits ?? {}), ...(overlay ?? {}) };
}

class TenantMetrics {
  readonly requests: Counter<string>;
  readonly decisions: Counter<string>;
  readonly limited: Counter<string>;
  readonly tokens: Counter<string>;
  readonly shared: Gauge<string>;
  constructor(m: ProxyMetrics) {
    const registers = [m.registry];
    // one set per registry, even if a second handler shares the metrics
    const existing = m.registry.getSingleMetric("wardline_tenant_requests_total");
    if (existing) {
      const get = (n: string) => m.registry.getSingleMetric(n) as never;
      this.requests = existing as Counter<string>; this.decisions = get("wardline_tenant_decisions_total"); this.limited = get("wardline_rate_limited_total");
      this.tokens = get("wardline_tenant_tokens_total"); this.shared = get("wardline_rate_limits_shared");
      return;
    }
    this.requests = new Counter({ name: "wardline_tenant_requests_total", help: "Requests by tenant, policy hash, route and status", labelNames: ["tenant", "policy", "route", "status"], registers });
    this.decisions = new Counter({ name: "wardline_tenant_decisions_total", help: "Policy decisions by tenant, policy hash, phase, action and rule", labelNames: ["tenant", "policy", "phase", "action", "rule"], registers });
    this.limited = new Counter({ name: "wardline_rate_limited_total", help: "Requests refused with 429 by tenant, policy hash and limit", labelNames: ["tenant", "policy", "limit"], registers });
    this.tokens = new Counter({ name: "wardline_tenant_tokens_total", help: "Tokens charged to tenants (source: usage fields, or estimate = bytes / 4)", labelNames: ["tenant", "policy", "source"], registers });
    this.shared = new Gauge({ name: "wardline_rate_limits_shared", help: "1 while rate-limit counters are shared in Redis, 0 while counted in this process", registers });
  }
}

export interface TenancyOptions { config: ProxyConfig; metrics: ProxyMetrics; logger: Logger }

export class Tenancy {
  /** settles once every tenant policy is compiled (rejects if one fails to load) */
  readonly ready: Promise<void>;
  readonly limiter: Limiter;
  private readonly m: TenantMetrics;
  private byKey = new Map<string, Listed>();
  private byHeader = new Map<string, Listed>();
  private readonly header?: string;
  private readonly defaultLimits: Limits;
  private readonly limited: boolean;

  constructor(private o: TenancyOptions) {
    const { config } = o;
    this.m = new TenantMetrics(o.metrics);
    this.header = config.tenant_header?.toLowerCase();
    this.defaultLimits = limitsOf(config);
    const specs = config.tenants ?? [];
    this.limited = hasLimits(this.defaultLimits) || specs.some((t) => hasLimits(limitsOf(config, t.rate_limits)));
    if (config.redis?.url) {
      this.limiter = new RedisLimiter({ url: config.redis.url, logger: o.logger, onMode: (mode) => this.m.shared.set(mode === "redis" ? 1 : 0) });
      this.m.shared.set(0);
    } else this.limiter = new MemoryLimiter();
    this.ready = this.load(specs);
    this.ready.catch((e) => o.logger.error({ err: { name: (e as Error).name, message: (e as Error).message } }, "tenant policy failed to load"));
  }

  private async load(specs: TenantSpec[]): Promise<void> {
    const guards = new Map<string, Promise<PolicyRef>>();
    for (const s of specs) {
      let own: PolicyRef | undefined;
      if (s.policy) {
        const p = s.policy;
        const g = guards.get(p) ?? createGuard({ policy: p }).then((guard) => ({ guard, names: policyNames(guard) }))
          .catch((e) => { throw new Error(`tenant "${s.id}": policy ${p}: ${(e as Error).message}`); });
        guards.set(p, g);
        own = await g;
      }
      const t: Listed = { id: s.id, own, limits: limitsOf(this.o.config, s.rate_limits) };
      for (const h of s.api_key_sha256 ?? []) this.byKey.set(h, t);
      if (s.header_value !== undefined) this.byHeader.set(s.header_value, t);
    }
  }

  /**
   * The tenant of a request (waits for tenant policies on the first requests). Tenants without
   * a policy of their own get `main`, the proxy's policy in force now.
   */
  async identify(headers: Headers, main: PolicyRef): Promise<Tenant> {
    await this.ready;
    let listed: Listed | undefined;
    if (this.header) {
      const v = headers.get(this.header);
      listed = v !== null ? this.byHeader.get(v.trim()) : undefined;
    }
    let id = listed?.id;
    if (!listed) {
      const key = apiKeyOf(headers);
      const hash = key === undefined ? undefined : sha256hex(key);
      listed = hash ? this.byKey.get(hash) : undefined;
      id = listed?.id ?? (hash ? `key-${hash.slice(0, 12)}` : "anonymous");
    }
    const p = listed?.own ?? main;
    return { id: id!, guard: p.guard, names: p.names, policyHash: p.guard.policyHash, limits: listed?.limits ?? this.defaultLimits };
  }

  async admit(t: Tenant): Promise<Verdict> {
    if (!hasLimits(t.limits)) return { ok: true };
    const v = await this.limiter.admit(t.id, t.limits);
    if (!v.ok) this.m.limited.inc({ tenant: t.id, policy: t.policyHash, limit: v.limit });
    return v;
  }

  /** After an answer ended: counts the request and charges its tokens to the tenant. */
  finish(t: Tenant, route: string, status: number, metered: Metered): { tokens?: number; tokensSource?: string } {
    this.m.requests.inc({ tenant: t.id, policy: t.policyHash, route, status: String(status) });
    if (metered.requestBytes === undefined || status >= 400) return {};
    const { tokens, source } = tokensFor(metered);
    this.m.tokens.inc({ tenant: t.id, policy: t.policyHash, source }, tokens);
    if (this.limited && (t.limits.tokens_per_minute > 0 || t.limits.tokens_per_day > 0)) {
      this.limiter.charge(t.id, tokens, t.limits).catch((e) => this.o.logger.error({ tenant: t.id, err: { message: (e as Error).message } }, "charging tokens failed"));
    }
    return { tokens, tokensSource: source };
  }

  /** Decisions of one exchange, labelled with the tenant and its policy hash. */
  recorder(t: Tenant): TenantRecorder {
    const d = this.m.decisions;
    return {
      decision: (phase, action, rule) => d.inc({ tenant: t.id, policy: t.policyHash, phase, action, rule }),
      ingress: (r, rules) => {
        if (rules.length === 0) d.inc({ tenant: t.id, policy: t.policyHash, phase: "ingress", action: r.action, rule: "" });
        for (const id of rules) d.inc({ tenant: t.id, policy: t.policyHash, phase: "ingress", action: id === r.rule ? "block" : r.action, rule: id });
      },
      midstream: (r) => { for (const f of r.fired) d.inc({ tenant: t.id, policy: t.policyHash, phase: "midstream", action: f.action, rule: t.names.rules[f.rule] ?? String(f.rule) }); },
    };
  }

  close(): Promise<void> { return this.limiter.close(); }
}
