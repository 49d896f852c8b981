// Node and Deno entry: the runtime-neutral guard plus what only a server runtime has —
// policy files by path (relative paths resolve against the working directory) and the
// engine module read from disk. Browsers use bindings/browser.ts.
import { readFileSync } from "node:fs";
import { resolve as resolvePath, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Guard, compileWith, isCompiledPolicy, type PolicyInput } from "./guard.ts";
import { Engine } from "./engine.ts";
import { parsePolicy } from "./policy/parse.ts";
import { compilePolicy } from "./policy/compile.ts";
import { policyHash } from "./policy/hash.ts";
import { PolicyError } from "./errors.ts";
import { SHIPPED_POLICIES } from "./policy/builtin/shipped-policies.ts";

export * from "./guard.ts";
export { WardlineError, PolicyError, EngineError, ERROR_CODES } from "./errors.ts";
export type { PolicyIR } from "./policy/ir.ts";

export type Build = "release" | "debug";
const modules = new Map<Build, WebAssembly.Module>();

/** Folder of the package (bindings/ and dist/ both sit one level below it). */
export const PACKAGE_ROOT = resolvePath(dirname(fileURLToPath(import.meta.url)), "..");


/** The compiled engine module (compiled once per process and build). */
export function engineModule(build: Build = "release"): WebAssembly.Module {
  let m = modules.get(build);
  if (!m) {
    const file = resolvePath(PACKAGE_ROOT, "build", build === "debug" ? "wardline.debug.wasm" : "wardline.wasm");
    m = new WebAssembly.Module(readFileSync(file));
    modules.set(build, m);
  }
  return m;
}

export interface NodeGuardOptions {
  /** a file path (.yaml/.yml/.json, or a compiled .wlp), a built-in name (default, strict,
   *  pii-only, regulated-advice), YAML text, a policy object, or compiled bytes */
  policy?: PolicyInput;
  /** engine build: release (default) or debug (assertions on) */
  build?: Build;
}

/** Does this string name a file rather than hold YAML? */
function looksLikePath(s: string): boolean {
  return !s.includes("\n") && /\.(ya?ml|json|wlp)$/i.test(s.trim());
}

/** `extends:` targets: a shipped policy by name, else a file relative to the extending one (also used by `wardline eval`). */
export function resolveExtends(name: string, from: string): { text: string; file: string } {
  const builtin = SHIPPED_POLICIES[name.replace(/\.ya?ml$/, "")];
  if (builtin !== undefined && !name.includes("/")) return { text: builtin, file: `policies/${name.replace(/\.ya?ml$/, "")}.yaml` };
  const target = resolvePath(dirname(resolvePath(from)), name);
  return { text: readFileSync(target, "utf8"), file: target };
}

/** Parses a shipped policy (default, strict, pii-only, regulated-advice) from the embedded copy. */
export function shippedPolicy(name: string) {
  const text = SHIPPED_POLICIES[name];
  if (text === undefined) throw new PolicyError({ file: name, line: 0, col: 0 }, `no shipped policy named "${name}" (${Object.keys(SHIPPED_POLICIES).join(", ")})`, "WL_POLICY_FILE");
  return parsePolicy(text, `policies/${name}.yaml`, resolveExtends);
}

/** Reads and parses a policy file, following `extends`. */
export function readPolicyFile(path: string) {
  let text: string;
  try {
    text = readFileSync(resolvePath(path), "utf8");
  } catch (e) {
    throw new PolicyError({ file: path, line: 0, col: 0 }, `cannot read policy file: ${(e as Error).message}`, "WL_POLICY_FILE");
  }
  return parsePolicy(text, path, resolveExtends);
}

/** Compiles a policy given as path, name, text or object to engine bytes. */
export function compilePolicyInput(engine: Engine, policy: PolicyInput): Uint8Array {
  if (policy instanceof Uint8Array) return isCompiledPolicy(policy) ? policy : compileWith(engine, new TextDecoder().decode(policy));
  if (typeof policy === "string") {
    const name = policy.trim();
    if (SHIPPED_POLICIES[name] !== undefined) return compilePolicy(shippedPolicy(name), (t) => engine.lexiconKeys(t)).bytes;
    if (looksLikePath(name)) {
      if (/\.wlp$/i.test(name)) return new Uint8Array(readFileSync(resolvePath(name)));
      return compilePolicy(readPolicyFile(name), (t) => engine.lexiconKeys(t)).bytes;
    }
  }
  return compileWith(engine, policy as Exclude<PolicyInput, Uint8Array>);
}

/**
 * Creates a guard.
 * @example
 * import { createGuard } from "wardline";
 * const guard = await createGuard({ policy: "policies/default.yaml" });
 * const r = guard.scan("my card is 4111 1111 1111 1111", { phase: "ingress" });
 * console.log(r.action, r.text, r.findings);
 */
export async function createGuard(options: NodeGuardOptions = {}): Promise<Guard> {
  const engine = new Engine(engineModule(options.build));
  const bytes = compilePolicyInput(engine, options.policy ?? "default");
  return new Guard(engine, bytes, await policyHash(bytes));
}
