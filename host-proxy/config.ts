// Proxy configuration: one YAML file, every setting also an environment variable and a
// flag. Precedence: built-in defaults < file < environment < flags. Errors name the
// place: `file:line:col` for the file, the variable or flag name otherwise.
import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { LineCounter, isMap, isScalar, parseDocument } from "yaml";
import type { Node as YamlNode } from "yaml";

export interface ProxyConfig {
  /** host:port to listen on */
  listen: string;
  upstreams: { openai: string; anthropic: string };
  /** a shipped policy name, a policy file path, or YAML text */
  policy: string;
  timeouts: { first_byte_ms: number; idle_ms: number };
  limits: { max_body_bytes: number; max_concurrency: number };
  /** when scanning is impossible (engine error, no scanner): open forwards unscanned, closed refuses */
  fail_mode: "open" | "closed";
  /** forward paths other than the guarded routes (true) or refuse them with 404 (false) */
  passthrough: boolean;
}

type Kind = "string" | "url" | "listen" | "int" | "fail_mode" | "bool";

/** Every setting: its place in the file, its variable and flag, its default and what it does. */
export const SETTINGS: { path: string; kind: Kind; env: string; flag: string; def: string | number | boolean; help: string }[] = [
  { path: "listen", kind: "listen", env: "WARDLINE_LISTEN", flag: "listen", def: "127.0.0.1:8080", help: "address to listen on (host:port; port 0 picks a free one)" },
  { path: "upstreams.openai", kind: "url", env: "WARDLINE_UPSTREAM_OPENAI", flag: "upstream-openai", def: "https://api.openai.com", help: "OpenAI API base URL" },
  { path: "upstreams.anthropic", kind: "url", env: "WARDLINE_UPSTREAM_ANTHROPIC", flag: "upstream-anthropic", def: "https://api.anthropic.com", help: "Anthropic API base URL" },
  { path: "policy", kind: "string", env: "WARDLINE_POLICY", flag: "policy", def: "default", help: "shipped policy name or policy file (relative to the config file)" },
  { path: "timeouts.first_byte_ms", kind: "int", env: "WARDLINE_FIRST_BYTE_TIMEOUT_MS", flag: "first-byte-timeout-ms", def: 60_000, help: "upstream response headers must arrive within this (504 otherwise)" },
  { path: "timeouts.idle_ms", kind: "int", env: "WARDLINE_IDLE_TIMEOUT_MS", flag: "idle-timeout-ms", def: 30_000, help: "longest silence between upstream body chunks" },
  { path: "limits.max_body_bytes", kind: "int", env: "WARDLINE_MAX_BODY_BYTES", flag: "max-body-bytes", def: 10 * 1024 * 1024, help: "largest request body (413 beyond)" },
  { path: "limits.max_concurrency", kind: "int", env: "WARDLINE_MAX_CONCURRENCY", flag: "max-concurrency", def: 256, help: "requests in flight before shedding load (503)" },
  { path: "fail_mode", kind: "fail_mode", env: "WARDLINE_FAIL_MODE", flag: "fail-mode", def: "closed", help: "open | closed: forward or refuse traffic that cannot be scanned" },
  { path: "passthrough", kind: "bool", env: "WARDLINE_PASSTHROUGH", flag: "passthrough", def: true, help: "true | false: forward other paths unguarded, or refuse them (404)" },
];

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
      return s === "open" || s === "closed" ? { value: s } : { error: `expected open or closed, got ${JSON.stringify(raw)}` };
    case "bool":
      if (s === true || s === "true") return { value: true };
      if (s === false || s === "false") return { value: false };
      return { error: `expected true or false, got ${JSON.stringify(raw)}` };
  }
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
      const v = path === "policy" && /\.(ya?ml|json|wlp)$/i.test(String(value)) ? resolvePath(dirname(sources.file), String(value)) : value;
      set(c, path, v);
    }
  }
  for (const s of SETTINGS) {
    const raw = sources.env?.[s.env];
    if (raw === undefined || raw === "") continue;
    const r = convert(s.kind, raw);
    if (r.error) throw new ConfigError(`${s.env}: ${r.error}`);
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
