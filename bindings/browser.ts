// Browser entry (`wardline/browser`): the runtime-neutral guard, with the engine fetched
// by URL (WebAssembly.compileStreaming) and policies given as compiled bytes, a URL, YAML
// text, an object or a shipped name. No node:* imports.
import { Guard, compileWith, isCompiledPolicy, type PolicyInput } from "./guard.ts";
import { Engine } from "./engine.ts";
import { policyHash } from "./policy/hash.ts";
import { SHIPPED_POLICIES } from "./policy/builtin/shipped-policies.ts";

export * from "./guard.ts";
export { WardlineError, PolicyError, EngineError, ERROR_CODES } from "./errors.ts";

export interface BrowserGuardOptions {
  /** compiled bytes, a URL to compiled bytes or YAML, YAML text, a policy object, or a shipped name (default) */
  policy?: PolicyInput | URL;
  /** the engine: a URL (default: wardline.wasm next to this bundle), its bytes, or a compiled module */
  wasm?: URL | string | BufferSource | WebAssembly.Module;
}

const modules = new Map<string, Promise<WebAssembly.Module>>();

async function engineModule(wasm: BrowserGuardOptions["wasm"]): Promise<WebAssembly.Module> {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (wasm !== undefined && !(wasm instanceof URL) && typeof wasm !== "string") return WebAssembly.compile(wasm);
  const url = String(wasm ?? new URL("./wardline.wasm", import.meta.url));
  let m = modules.get(url);
  if (!m) {
    m = (async () => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`cannot fetch the Wardline engine from ${url}: HTTP ${res.status}`);
      // compileStreaming needs the application/wasm content type; fall back when a server omits it
      if (typeof WebAssembly.compileStreaming === "function" && res.headers.get("content-type")?.startsWith("application/wasm")) {
        return WebAssembly.compileStreaming(res);
      }
      return WebAssembly.compile(await res.arrayBuffer());
    })();
    modules.set(url, m);
  }
  return m;
}

/**
 * Creates a guard in a browser.
 * @example
 * import { createGuard } from "wardline/browser";
 * const guard = await createGuard({ policy: new URL("/policies/default.wlp", location.href) });
 * guard.scan(textarea.value).findings;
 */
export async function createGuard(options: BrowserGuardOptions = {}): Promise<Guard> {
  const engine = new Engine(await engineModule(options.wasm));
  let policy: PolicyInput | URL = options.policy ?? "default";
  if (policy instanceof URL) policy = new Uint8Array(await (await fetch(policy)).arrayBuffer());
  if (typeof policy === "string" && SHIPPED_POLICIES[policy.trim()] !== undefined) policy = SHIPPED_POLICIES[policy.trim()];
  const bytes =
    policy instanceof Uint8Array
      ? isCompiledPolicy(policy) ? policy : compileWith(engine, new TextDecoder().decode(policy))
      : compileWith(engine, policy);
  return new Guard(engine, bytes, await policyHash(bytes));
}
