// Proxy configuration: one YAML file, every setting also an environment variable and a
// flag. Precedence: built-in defaults < file < environment < flags. Errors name the
// place: `file:line:col` for the file, the variable or flag name otherwise.
import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { LineCounter, isMap, isScalar, parseDocument } from "yaml";
import type { Node as YamlNode } from "yaml";
import { parseTenantsNode, parseTenantsValue, type TenantSpec } from "./tenants.ts";
import type { Limits } from "./limits.ts";

export interface ProxyConfig {
  /** host:port to listen on */
  listen: string;
  upstreams: { openai: string; anthropic: string };
  /** a shipped policy name, a policy file path, or YAML text */
  policy: string;
  timeouts: { first_byte_ms: number; idle_ms: number };
  limits: { max_body_bytes: number; max_concurrency: number; max_response_bytes: number };
  /** when scanning is impossible (engine error, no scanner): open forwards unscanned, closed refuses;
   *  one mode for every phase, or one per phase (host-proxy/fail-mode.ts) */
  fail_mode: FailMode | PhaseFailModes;
  /** forward paths other than the guarded routes (true) or refuse them with 404 (false) */
  passthrough: boolean;
  /** audit log (host-proxy/audit.ts): JSONL file ("" = off), raw matched text, rotation size, HMAC salt */
  audit: { file: string; raw: boolean; max_bytes: number; salt: string };
  /** watch the policy and config files and swap in a new policy when they change (host-proxy/reload.ts) */
  watch: boolean;
  /** request header naming the tenant ("" = tenants by API key hash only; host-proxy/tenants.ts) */
  tenant_header: string;
  /** tenants with their own policy and limits (host-proxy/tenants.ts) */
  tenants: TenantSpec[];
  /** per-tenant limits for every tenant, 0 = none (host-proxy/limits.ts) */
  rate_limits: Limits;
  /** Redis shared by the replicas for rate-limit counters ("" = in this process; host-proxy/redis-limits.ts) */
  redis: { url: string };
  /** upstream retries before the client got a byte (host-proxy/retry.ts); attempts = retries after the first try */
  retries: { attempts: number; backoff_ms: number; max_retry_after_ms: number };
  /** OpenTelemetry spans to an OTLP/HTTP collector ("" = off; host-proxy/tracing.ts) */
  otel: { endpoint: string; service_name: string };
}

export type FailMode = "open" | "closed";
export interface PhaseFailModes { ingress: FailMode; midstream: FailMode; egress: FailMode }
const FAIL_PHASES = ["ingress", "midstream", "egress"] as const;

type Kind = "string" | "url" | "listen" | "int" | "fail_mode" | "bool" | "opt_string" | "rate" | "count" | "header" | "redis_url" | "tenants" | "opt_url";

/** Every setting: its place in the file, its variable and flag, its default and what it does. */
export const SETTINGS: { path: string; kind: Kind; env: string; flag: string; def: string | number | boolean | TenantSpec[]; help: string }[] = [
  { path: "listen", kind: "listen", env: "WARDLINE_LISTEN", flag: "listen", def: "127.0.0.1:8080", help: "address to listen on (host:port; port 0 picks a free one)" },
  { path: "upstreams.openai", kind: "url", env: "WARDLINE_UPSTREAM_OPENAI", flag: "upstream-openai", def: "https://api.openai.com", help: "OpenAI API base URL" },
  { path: "upstreams.anthropic", kind: "url", env: "WARDLINE_UPSTREAM_ANTHROPIC", flag: "upstream-anthropic", def: "https://api.anthropic.com", help: "Anthropic API base URL" },
  { path: "policy", kind: "string", env: "WARDLINE_POLICY", flag: "policy", def: "default", help: "shipped policy name or policy file (relative to the config file)" },
  { path: "timeouts.first_byte_ms", kind: "int", env: "WARDLINE_FIRST_BYTE_TIMEOUT_MS", flag: "first-byte-timeout-ms", def: 60_000, help: "upstream response headers must arrive within this (504 otherwise)" },
  { path: "timeouts.idle_ms", kind: "int", env: "WARDLINE_IDLE_TIMEOUT_MS", flag: "idle-timeout-ms", def: 30_000, help: "longest silence between upstream body chunks" },
  { path: "limits.max_body_bytes", kind: "int", env: "WARDLINE_MAX_BODY_BYTES", flag: "max-body-bytes", def: 10 * 1024 * 1024, help: "largest request body (413 beyond)" },
  { path: "limits.max_response_bytes", kind: "int", env: "WARDLINE_MAX_RESPONSE_BYTES", flag: "max-response-bytes", def: 64 * 1024 * 1024, help: "largest whole (non-streamed) upstream answer after decoding, read before it is scanned (502 beyond)" },
  { path: "limits.max_concurrency", kind: "int", env: "WARDLINE_MAX_CONCURRENCY", flag: "max-concurrency", def: 256, help: "requests in flight before shedding load (503)" },
  { path: "fail_mode", kind: "fail_mode", env: "WARDLINE_FAIL_MODE", flag: "fail-mode", def: "closed", help: "open | closed: forward or refuse traffic that cannot be scanned; per phase: ingress=open,midstream=closed,egress=closed (file: a mapping)" },
  { path: "passthrough", kind: "bool", env: "WARDLINE_PASSTHROUGH", flag: "passthrough", def: true, help: "true | false: forward other paths unguarded, or refuse them (404)" },
  { path: "audit.file", kind: "opt_string", env: "WARDLINE_AUDIT_FILE", flag: "audit-file", def: "", help: "append-only JSONL audit log with a hash chain (relative to the config file; empty: off)" },
  { path: "audit.raw", kind: "bool", env: "WARDLINE_AUDIT_RAW", flag: "audit-raw", def: false, help: "true | false: write matched text itself, not only its salted hash" },
  { path: "audit.max_bytes", kind: "int", env: "WARDLINE_AUDIT_MAX_BYTES", flag: "audit-max-bytes", def: 100 * 1024 * 1024, help: "rotate the audit file when it would grow past this size" },
  { path: "audit.salt", kind: "opt_string", env: "WARDLINE_AUDIT_SALT", flag: "audit-salt", def: "", help: "HMAC salt for matched text in the audit log (empty: a random salt kept in FILE.salt)" },
  { path: "watch", kind: "bool", env: "WARDLINE_WATCH", flag: "watch", def: true, help: "true | false: reload the policy and config files when they change" },
  { path: "tenant_header", kind: "header", env: "WARDLINE_TENANT_HEADER", flag: "tenant-header", def: "", help: "request header whose value selects a tenant (its header_value); empty: tenants by API key hash only" },
  { path: "tenants", kind: "tenants", env: "WARDLINE_TENANTS", flag: "tenants", def: [], help: "tenants: a list of {id, api_key_sha256, header_value, policy, rate_limits} (env/flag: a YAML file or the list as YAML/JSON)" },
  { path: "rate_limits.requests_per_second", kind: "rate", env: "WARDLINE_RATE_LIMIT_RPS", flag: "rate-limit-rps", def: 0, help: "per tenant: token bucket refill in requests per second (0: off; 429 beyond)" },
  { path: "rate_limits.burst", kind: "count", env: "WARDLINE_RATE_LIMIT_BURST", flag: "rate-limit-burst", def: 0, help: "per tenant: token bucket size (0: max(1, requests_per_second))" },
  { path: "rate_limits.requests_per_minute", kind: "count", env: "WARDLINE_QUOTA_REQUESTS_PER_MINUTE", flag: "quota-requests-per-minute", def: 0, help: "per tenant: requests per UTC minute (0: no quota)" },
  { path: "rate_limits.requests_per_day", kind: "count", env: "WARDLINE_QUOTA_REQUESTS_PER_DAY", flag: "quota-requests-per-day", def: 0, help: "per tenant: requests per UTC day (0: no quota)" },
  { path: "rate_limits.tokens_per_minute", kind: "count", env: "WARDLINE_QUOTA_TOKENS_PER_MINUTE", flag: "quota-tokens-per-minute", def: 0, help: "per tenant: tokens per UTC minute (provider usage, else bytes / 4; 0: no quota)" },
  { path: "rate_limits.tokens_per_day", kind: "count", env: "WARDLINE_QUOTA_TOKENS_PER_DAY", flag: "quota-tokens-per-day", def: 0, help: "per tenant: tokens per UTC day (provider usage, else bytes / 4; 0: no quota)" },
  { path: "redis.url", kind: "redis_url", env: "WARDLINE_REDIS_URL", flag: "redis-url", def: "", help: "redis:// or rediss:// URL: rate-limit counters shared by replicas (empty: in this process)" },
  { path: "retries.attempts", kind: "count", env: "WARDLINE_RETRY_ATTEMPTS", flag: "retry-attempts", def: 2, help: "upstream retries after the first try, only before the client got a byte: connection refused/reset, or 429/502/503/504 (0: off)" },
  { path: "retries.backoff_ms", kind: "count", env: "WARDLINE_RETRY_BACKOFF_MS", flag: "retry-backoff-ms", def: 100, help: "first retry waits this long, each further one twice as long (with jitter), unless retry-after says otherwise" },
  { path: "retries.max_retry_after_ms", kind: "count", env: "WARDLINE_RETRY_MAX_RETRY_AFTER_MS", flag: "retry-max-retry-after-ms", def: 5000, help: "an upstream retry-after longer than this is not waited for: the answer goes to the client" },
  { path: "otel.endpoint", kind: "opt_url", env: "WARDLINE_OTEL_ENDPOINT", flag: "otel-endpoint", def: "", help: "OTLP/HTTP collector base URL for OpenTelemetry spans (…/v1/traces is added; empty: no tracing; also OTEL_EXPORTER_OTLP_ENDPOINT)" },
  { path: "otel.service_name", kind: "string", env: "WARDLINE_OTEL_SERVICE_NAME", flag: "otel-service-name", def: "wardline", help: "service.name of the spans (also OTEL_SERVICE_NAME)" },
];

/** Standard OpenTelemetry variables, read when Wardline's own are unset. */
const OTEL_STANDARD_ENV: Record<string, string> = { "otel.endpoint": "OTEL_EXPORTER_OTLP_ENDPOINT", "otel.service_name": "OTEL_SERVICE_NAME" };

export class ConfigError extends Error {
  constructor(message: string) { super(message); this.name = "ConfigError"; }
}

/** Converts and checks one value; returns an error detail (no location) or the value. */
function convert(kind: Kind, raw: unknown): { value?: unknown; error?: string } {
  const s = typeof raw === "string" ? raw.trim() : raw;
  switch (kind) {
    case "string":
      return typeof s === "string" && s !== "" ? { value: s } : { error: "expected a non-empty string" };
    case "url": {
      if (typeof s !== "string") return { error: "expected a URL string" };
      try {
        const u = new URL(s);
        if (u.protocol !== "http:" && u.protocol !== "https:") return { error: `expected an http(s) URL, got "${s}"` };
        return { value: s.replace(/\/+$/, "") };
      } catch { return { error: `not a URL: "${s}"` }; }
    }
    case "listen": {
      const m = typeof s === "string" ? /^(.*):(\d{1,5})$/.exec(s) : null;
      if (!m || Number(m[2]) > 65535) return { error: `expected host:port, got ${JSON.stringify(s)}` };
      return { value: s };
    }
    case "int": {
      const n = typeof s === "number" ? s : typeof s === "string" && /^\d+$/.test(s) ? Number(s) : NaN;
      return Number.isSafeInteger(n) && n > 0 ? { value: n } : { error: `expected a positive integer, got ${JSON.stringify(raw)}` };
    }
    case "fail_mode":
      return parseFailMode(s, raw);
    case "opt_url":
      if (s === null || s === undefined || s === "") return { value: "" };
      return convert("url", s);
    case "opt_string":
      return typeof s === "string" ? { value: s } : s === null || s === undefined ? { value: "" } : { error: "expected a string" };
    case "rate": {
      const n = typeof s === "number" ? s : typeof s === "string" && /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
      return Number.isFinite(n) && n >= 0 ? { value: n } : { error: `expected a number ≥ 0 (0: off), got ${JSON.stringify(raw)}` };
    }
    case "count": {
      const n = typeof s === "number" ? s : typeof s === "string" && /^\d+$/.test(s) ? Number(s) : NaN;
      return Number.isSafeInteger(n) && n >= 0 ? { value: n } : { error: `expected a whole number ≥ 0 (0: off), got ${JSON.stringify(raw)}` };
    }
    case "header":
      if (s === null || s === undefined || s === "") return { value: "" };
      return typeof s === "string" && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(s) ? { value: s.toLowerCase() } : { error: `expected a header name, got ${JSON.stringify(raw)}` };
    case "redis_url": {
      if (s === null || s === undefined || s === "") return { value: "" };
      if (typeof s !== "string") return { error: "expected a redis:// URL" };
      try {
        const u = new URL(s);
        return u.protocol === "redis:" || u.protocol === "rediss:" ? { value: s } : { error: `expected a redis:// or rediss:// URL, got "${s}"` };
      } catch { return { error: `not a URL: "${s}"` }; }
    }
    case "tenants":
      try { return { value: typeof s === "string" ? parseTenantsValue(s) : [] }; } catch (e) { return { error: (e as Error).message }; }
    case "bool":
      if (s === true || s === "true") return { value: true };
      if (s === false || s === "false") return { value: false };
      return { error: `expected true or false, got ${JSON.stringify(raw)}` };
  }
}

/** `open`, `closed`, or per phase: `ingress=open,midstream=closed` (phases not named: closed). */
function parseFailMode(s: unknown, raw: unknown): { value?: unknown; error?: string } {
  if (s === "open" || s === "closed") return { value: s };
  if (typeof s !== "string" || !s.includes("=")) return { error: `expected open or closed (or per phase: ingress=open,midstream=closed,egress=closed), got ${JSON.stringify(raw)}` };
  const modes: PhaseFailModes = { ingress: "closed", midstream: "closed", egress: "closed" };
  for (const item of s.split(",")) {
    const [phase, mode] = item.split("=").map((x) => x.trim());
    if (!(FAIL_PHASES as readonly string[]).includes(phase)) return { error: `unknown phase "${phase}" (known: ${FAIL_PHASES.join(", ")})` };
    if (mode !== "open" && mode !== "closed") return { error: `${phase}: expected open or closed, got ${JSON.stringify(mode)}` };
    modes[phase as keyof PhaseFailModes] = mode;
  }
  return { value: modes };
}

/** `fail_mode:` as a mapping in the file: each phase checked where it is written. */
function failModeNode(node: YamlNode, at: (offset: number) => string): PhaseFailModes {
  const modes: PhaseFailModes = { ingress: "closed", midstream: "closed", egress: "closed" };
  if (!isMap(node)) throw new ConfigError(`${at(node.range?.[0] ?? 0)}: fail_mode: expected open, closed or a mapping of ${FAIL_PHASES.join(", ")}`);
  for (const pair of node.items) {
    const k = pair.key as YamlNode;
    const phase = isScalar(k) ? String(k.value) : "";
    if (!(FAIL_PHASES as readonly string[]).includes(phase)) throw new ConfigError(`${at(k?.range?.[0] ?? 0)}: unknown setting "fail_mode.${phase}" (known: ${FAIL_PHASES.join(", ")})`);
    const v = pair.value as YamlNode | null;
    const mode = v && isScalar(v) ? v.value : undefined;
    if (mode !== "open" && mode !== "closed") throw new ConfigError(`${at(v?.range?.[0] ?? k?.range?.[0] ?? 0)}: fail_mode.${phase}: expected open or closed, got ${JSON.stringify(mode ?? null)}`);
    modes[phase as keyof PhaseFailModes] = mode;
  }
  return modes;
}

function set(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = target;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]] = value;
}

export function defaultConfig(): ProxyConfig {
  const c: Record<string, unknown> = {};
  for (const s of SETTINGS) set(c, s.path, s.def);
  return c as unknown as ProxyConfig;
}

/** Values from YAML text, each checked, errors at `file:line:col`. */
export function parseConfigText(text: string, file: string): Map<string, unknown> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => { const p = lc.linePos(offset); return `${file}:${p.line}:${p.col}`; };
  const err = doc.errors[0] ?? doc.warnings[0];
  if (err) throw new ConfigError(`${at(err.pos[0])}: YAML syntax: ${err.message.split("\n")[0]}`);
  const out = new Map<string, unknown>();
  if (doc.contents === null) return out;
  const walk = (node: YamlNode, prefix: string) => {
    if (!isMap(node)) throw new ConfigError(`${at(node.range?.[0] ?? 0)}: ${prefix ? `"${prefix}"` : "the configuration"} must be a mapping`);
    for (const pair of node.items) {
      const k = pair.key as YamlNode;
      const key = isScalar(k) ? String(k.value) : "";
      const path = prefix ? `${prefix}.${key}` : key;
      const where = at(k?.range?.[0] ?? 0);
      const setting = SETTINGS.find((s) => s.path === path);
      const isGroup = SETTINGS.some((s) => s.path.startsWith(path + "."));
      const v = pair.value as YamlNode | null;
      if (isGroup) { if (v) walk(v, path); else throw new ConfigError(`${where}: "${path}" must be a mapping`); continue; }
      if (setting?.kind === "tenants") {
        try { out.set(path, v === null || (isScalar(v) && v.value === null) ? [] : parseTenantsNode(v, at, dirname(resolvePath(file)))); } catch (e) { throw new ConfigError((e as Error).message); }
        continue;
      }
      if (setting?.kind === "fail_mode" && v && isMap(v)) { out.set(path, failModeNode(v, at)); continue; }
      if (!setting) {
        const known = SETTINGS.filter((s) => s.path.startsWith(prefix ? prefix + "." : "")).map((s) => s.path.slice(prefix ? prefix.length + 1 : 0).split(".")[0]);
        throw new ConfigError(`${where}: unknown setting "${path}" (known: ${[...new Set(known)].join(", ")})`);
      }
      const valueAt = at(v?.range?.[0] ?? k?.range?.[0] ?? 0);
      const r = convert(setting.kind, v && isScalar(v) ? v.value : undefined);
      if (r.error) throw new ConfigError(`${valueAt}: ${path}: ${r.error}`);
      out.set(path, r.value);
    }
  };
  walk(doc.contents as YamlNode, "");
  return out;
}

export interface ConfigSources {
  /** path of a YAML configuration file */
  file?: string;
  /** environment (process.env) */
  env?: Record<string, string | undefined>;
  /** flag values by flag name (without --) */
  flags?: Record<string, string | undefined>;
}

/** Resolves the configuration from defaults, file, environment and flags. */
export function loadConfig(sources: ConfigSources = {}): ProxyConfig {
  const c = defaultConfig() as unknown as Record<string, unknown>;
  if (sources.file) {
    let text: string;
    try { text = readFileSync(sources.file, "utf8"); } catch (e) { throw new ConfigError(`${sources.file}: cannot read: ${(e as Error).message}`); }
    for (const [path, value] of parseConfigText(text, sources.file)) {
      // a policy file named in the config file is relative to that file
      const v = (path === "policy" && /\.(ya?ml|json|wlp)$/i.test(String(value))) || (path === "audit.file" && value !== "") ? resolvePath(dirname(sources.file), String(value)) : value;
      set(c, path, v);
    }
  }
  for (const s of SETTINGS) {
    const std = OTEL_STANDARD_ENV[s.path];
    const raw = sources.env?.[s.env] || (std ? sources.env?.[std] : undefined);
    if (raw === undefined || raw === "") continue;
    const r = convert(s.kind, raw);
    if (r.error) throw new ConfigError(`${sources.env?.[s.env] ? s.env : std}: ${r.error}`);
    set(c, s.path, r.value);
  }
  for (const s of SETTINGS) {
    const raw = sources.flags?.[s.flag];
    if (raw === undefined) continue;
    const r = convert(s.kind, raw);
    if (r.error) throw new ConfigError(`--${s.flag}: ${r.error}`);
    set(c, s.path, r.value);
  }
  return c as unknown as ProxyConfig;
}

/** Host and port of `listen`. */
export function listenAddress(listen: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(listen)!;
  return { host: m[1].replace(/^\[|\]$/g, "") || "127.0.0.1", port: Number(m[2]) };
}

/** The settings as `--help` text. */
export function settingsHelp(): string {
  return SETTINGS.map((s) => `  --${s.flag} VALUE\n      ${s.help}\n      file: ${s.path}   env: ${s.env}   default: ${s.def}`).join("\n");
}
