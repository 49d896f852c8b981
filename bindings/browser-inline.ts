// Inline browser entry (`dist/browser-inline.js`): one self-contained ES module with the
// engine inlined as base64 and the default policy precompiled inside — no fetches, no
// application/wasm content type needed. It loads compiled policies only (the YAML
// compiler and its lexicons stay out: the bundle is ~20× smaller than dist/browser.js);
// compile others with `npx wardline compile policy.yaml -o policy.wlp`.
// scripts/targets/browser.mjs defines the two constants below and swaps the policy
// compiler for bindings/browser-nocompile.ts. No node:* imports.
import { Guard, isCompiledPolicy } from "./guard.ts";
import { Engine } from "./engine.ts";
import { policyHash } from "./policy/hash.ts";
import { WardlineError } from "./errors.ts";

export { Guard, GuardStream, isCompiledPolicy } from "./guard.ts";
export type { Finding, FiredRule, ScanResult, StreamChunk, StreamOptions, Phase, Action } from "./guard.ts";
export { WardlineError, PolicyError, EngineError, ERROR_CODES } from "./errors.ts";
export { attachGuard } from "../browser/attach-guard.ts";
export type { AttachGuardOptions, AttachedGuard, SubmitDecision } from "../browser/attach-guard.ts";

declare const __WL_WASM_BASE64__: string;
declare const __WL_DEFAULT_POLICY_BASE64__: string;

export interface InlineGuardOptions {
  /** compiled policy bytes, a URL to a compiled policy (.wlp), or "default" (built in) */
  policy?: Uint8Array | ArrayBuffer | URL | "default";
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let module: Promise<WebAssembly.Module> | undefined;
/** The inlined engine, compiled once per page. */
export function engineModule(): Promise<WebAssembly.Module> {
  return (module ??= WebAssembly.compile(fromBase64(__WL_WASM_BASE64__) as Uint8Array<ArrayBuffer>));
}

/** The precompiled default policy (the bytes of dist/default.wlp). */
export function defaultPolicy(): Uint8Array { return fromBase64(__WL_DEFAULT_POLICY_BASE64__); }

/**
 * Creates a guard from the inlined engine and a compiled policy.
 * @example
 * import { createGuard, attachGuard } from "./browser-inline.js";
 * const guard = await createGuard();                                   // the default policy
 * const strict = await createGuard({ policy: new URL("/policies/strict.wlp", location.href) });
 */
export async function createGuard(options: InlineGuardOptions = {}): Promise<Guard> {
  const p = options.policy ?? "default";
  let bytes: Uint8Array;
  if (p === "default") bytes = defaultPolicy();
  else if (p instanceof URL) {
    const res = await fetch(p);
    if (!res.ok) throw new WardlineError(`cannot fetch the policy ${p}: HTTP ${res.status} (WL_POLICY_FILE)`, "WL_POLICY_FILE");
    bytes = new Uint8Array(await res.arrayBuffer());
  } else if (p instanceof Uint8Array) bytes = p;
  else if (p instanceof ArrayBuffer) bytes = new Uint8Array(p);
  else throw notCompiled();
  if (!isCompiledPolicy(bytes)) throw notCompiled();
  const engine = new Engine(await engineModule());
  return new Guard(engine, bytes, await policyHash(bytes));
}

function notCompiled(): WardlineError {
  return new WardlineError(
    "browser-inline.js loads compiled policies only (bytes or a URL to a .wlp file, or \"default\"): " +
    "compile with `npx wardline compile policy.yaml -o policy.wlp`, or use wardline/browser to compile YAML in the page (WL_POLICY_FILE)",
    "WL_POLICY_FILE");
}
