// The proxy's configuration: YAML file with file:line:col errors, environment, flags, and
// `wardline serve` as a user runs it (the built dist/cli.js).
import { describe, it, expect } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, ConfigError, SETTINGS } from "../host-proxy/config.ts";

const dir = mkdtempSync(join(tmpdir(), "wl-proxy-"));
function file(name: string, text: string): string { const p = join(dir, name); writeFileSync(p, text); return p; }
const errorOf = (fn: () => unknown): Error => { try { fn(); } catch (e) { return e as Error; } throw new Error("no error thrown"); };

describe("proxy configuration", () => {
  it("reads every setting from YAML; environment beats the file; flags beat both", () => {
    const f = file("ok.yaml", `listen: 127.0.0.1:9000
upstreams:
  openai: http://127.0.0.1:1111/
  anthropic: http://127.0.0.1:2222
policy: my-policy.yaml
timeouts: { first_byte_ms: 5000, idle_ms: 7000 }
limits: { max_body_bytes: 1024, max_concurrency: 8, max_response_bytes: 4096 }
fail_mode: open
passthrough: false
`);
    const c = loadConfig({ file: f, env: { WARDLINE_IDLE_TIMEOUT_MS: "8000", WARDLINE_LISTEN: "127.0.0.1:9001" }, flags: { listen: "127.0.0.1:9002" } });
    expect(c).toEqual({
      listen: "127.0.0.1:9002",
      upstreams: { openai: "http://127.0.0.1:1111", anthropic: "http://127.0.0.1:2222" },
      policy: join(dir, "my-policy.yaml"),
      timeouts: { first_byte_ms: 5000, idle_ms: 8000 },
      limits: { max_body_bytes: 1024, max_concurrency: 8, max_response_bytes: 4096 },
      fail_mode: "open",
      passthrough: false,
      // settings not in the file keep their defaults
      audit: { file: "", raw: false, max_bytes: 104857600, salt: "" },
      watch: true,
      tenant_header: "",
      tenants: [],
      rate_limits: { requests_per_second: 0, burst: 0, requests_per_minute: 0, requests_per_day: 0, tokens_per_minute: 0, tokens_per_day: 0 },
      redis: { url: "" },
      retries: { attempts: 2, backoff_ms: 100, max_retry_after_ms: 5000 },
      otel: { endpoint: "", service_name: "wardline" },
    });
  });

  it("defaults: 127.0.0.1:8080, the public APIs, the shipped default policy", () => {
    const c = loadConfig();
    expect(c.listen).toBe("127.0.0.1:8080");
    expect(c.upstreams).toEqual({ openai: "https://api.openai.com", anthropic: "https://api.anthropic.com" });
    expect(c.policy).toBe("default");
    expect(c.passthrough).toBe(true);
  });

  it.each([
    ["syntax.yaml", "listen: 127.0.0.1:80\nlimits: { max_body_bytes: 10\n", /syntax\.yaml:\d+:\d+: YAML syntax/],
    ["unknown.yaml", "listen: 127.0.0.1:80\nlimits:\n  max_bodybytes: 10\n", /unknown\.yaml:3:3: unknown setting "limits.max_bodybytes" \(known: max_body_bytes, max_response_bytes, max_concurrency\)/],
    ["range.yaml", "timeouts:\n  idle_ms: -5\n", /range\.yaml:2:12: timeouts\.idle_ms: expected a positive integer, got -5/],
    ["mode.yaml", "fail_mode: maybe\n", /mode\.yaml:1:12: fail_mode: expected open or closed/],
    ["url.yaml", "upstreams:\n  openai: ftp://x\n", /url\.yaml:2:11: upstreams\.openai: expected an http\(s\) URL/],
    ["phase.yaml", "fail_mode:\n  ingress: open\n  egres: closed\n", /phase\.yaml:3:3: unknown setting "fail_mode\.egres" \(known: ingress, midstream, egress\)/],
    ["phasemode.yaml", "fail_mode:\n  midstream: sometimes\n", /phasemode\.yaml:2:14: fail_mode\.midstream: expected open or closed, got "sometimes"/],
    ["retries.yaml", "retries:\n  attempts: -1\n", /retries\.yaml:2:13: retries\.attempts: expected a whole number/],
    ["otel.yaml", "otel:\n  endpoint: collector:4318\n", /otel\.yaml:2:13: otel\.endpoint: expected an http\(s\) URL/],
  ])("a broken file names file:line:col (%s)", (name, text, re) => {
    const e = errorOf(() => loadConfig({ file: file(name, text) }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message.startsWith(`${join(dir, name)}:`)).toBe(true);
    expect(e.message.slice(join(dir, "").length + 1)).toMatch(re);
  });

  it("fail_mode per phase: a mapping in the file, phase=mode lists in the environment and flags", () => {
    const f = file("phases.yaml", "fail_mode:\n  ingress: open\n  egress: open\n");
    expect(loadConfig({ file: f }).fail_mode).toEqual({ ingress: "open", midstream: "closed", egress: "open" });
    expect(loadConfig({ env: { WARDLINE_FAIL_MODE: "midstream=open" } }).fail_mode).toEqual({ ingress: "closed", midstream: "open", egress: "closed" });
    expect(loadConfig({ file: f, flags: { "fail-mode": "open" } }).fail_mode).toBe("open");
    expect(errorOf(() => loadConfig({ flags: { "fail-mode": "ingress=open,middle=closed" } })).message).toBe('--fail-mode: unknown phase "middle" (known: ingress, midstream, egress)');
  });

  it("retries and otel: file, environment (the standard OTEL_* variables too) and flags", () => {
    const f = file("ops.yaml", "retries: { attempts: 3, backoff_ms: 50, max_retry_after_ms: 2000 }\notel: { endpoint: http://127.0.0.1:4318/, service_name: gw }\n");
    const c = loadConfig({ file: f });
    expect(c.retries).toEqual({ attempts: 3, backoff_ms: 50, max_retry_after_ms: 2000 });
    expect(c.otel).toEqual({ endpoint: "http://127.0.0.1:4318", service_name: "gw" });
    expect(loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel:4318", OTEL_SERVICE_NAME: "edge" } }).otel).toEqual({ endpoint: "http://otel:4318", service_name: "edge" });
    // Wardline's own variable wins over the standard one; a flag over both
    expect(loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel:4318", WARDLINE_OTEL_ENDPOINT: "http://mine:4318" } }).otel.endpoint).toBe("http://mine:4318");
    expect(loadConfig({ env: { WARDLINE_OTEL_ENDPOINT: "http://mine:4318" }, flags: { "otel-endpoint": "http://flag:4318", "retry-attempts": "0" } })).toMatchObject({ otel: { endpoint: "http://flag:4318" }, retries: { attempts: 0 } });
    expect(errorOf(() => loadConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "otel:4318" } })).message).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT: /);
  });

  it("a bad environment value or flag names the variable or flag", () => {
    expect(errorOf(() => loadConfig({ env: { WARDLINE_MAX_CONCURRENCY: "lots" } })).message).toBe('WARDLINE_MAX_CONCURRENCY: expected a positive integer, got "lots"');
    expect(errorOf(() => loadConfig({ flags: { passthrough: "yes" } })).message).toBe('--passthrough: expected true or false, got "yes"');
  });
});

describe("wardline serve (dist/cli.js)", () => {
  it("--help lists every setting with its flag, file key and environment variable", () => {
    const r = spawnSync(process.execPath, ["dist/cli.js", "serve", "--help"], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(0);
    for (const s of SETTINGS) {
      expect(r.stdout).toContain(`--${s.flag} VALUE`);
      expect(r.stdout).toContain(`file: ${s.path}   env: ${s.env}`);
    }
  });

  it("exits 1 with file:line:col for a broken config file", () => {
    const f = file("cli-bad.yaml", "limits:\n  max_concurrency: zero\n");
    const r = spawnSync(process.execPath, ["dist/cli.js", "serve", "--config", f], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${f}:2:20: limits.max_concurrency: expected a positive integer, got "zero"`);
  });

  it("starts from flags and the environment and answers /readyz", async () => {
    const child = spawn(process.execPath, ["dist/cli.js", "serve", "--listen", "127.0.0.1:0"], { env: { ...process.env, WARDLINE_POLICY: "strict" }, stdio: ["ignore", "ignore", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = "";
        child.stderr.on("data", (d) => { err += d; const m = /listening on (http:\/\/\S+)/.exec(err); if (m) resolve(m[1]); });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
      const r = await fetch(`${url}/readyz`);
      expect(r.status).toBe(200);
      expect((await r.json()).status).toBe("ready");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
