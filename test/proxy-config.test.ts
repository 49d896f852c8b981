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
  ])("a broken file names file:line:col (%s)", (name, text, re) => {
    const e = errorOf(() => loadConfig({ file: file(name, text) }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message.startsWith(`${join(dir, name)}:`)).toBe(true);
    expect(e.message.slice(join(dir, "").length + 1)).toMatch(re);
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
