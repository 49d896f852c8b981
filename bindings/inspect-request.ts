// Ingress for a whole provider request: wl_request_inspect (assembly/entry/js_request.ts,
// docs/abi.md "Request inspection") decoded into paths, findings, the verdict and the
// rewritten body. Runtime-neutral: no node:* imports.
import { ACTIONS, DETECTORS, type Action } from "./engine.ts";
import { decodeInspection, RequestBodyError } from "./inspection-result.ts";
import { WardlineError } from "./errors.ts";
import type { Finding } from "./guard.ts";

/** Request formats and their numbers in the ABI. */
export const REQUEST_PROVIDERS = { "openai-chat": 1, "openai-responses": 2, "anthropic": 3 } as const;
export type RequestProvider = keyof typeof REQUEST_PROVIDERS;

/** Why a path was not scanned (index = reason code in the result). */
export const NOT_SCANNED_REASONS = ["", "unknown-type", "not-a-string", "unexpected-shape", "opaque"] as const;


/** What inspectRequest needs from an engine instance (bindings/engine.ts Engine, or rawRequestEngine). */
export interface RequestEngine {
  /** Copies body to the input buffer, calls wl_request_inspect; returns its code and a view of the result. */
  requestInspect(handle: number, provider: number, body: Uint8Array): { code: number; result: Uint8Array };
  policyInfo(handle: number): { types: { name: string; detector: string }[]; rules: { id: string; action: Action; mode: string; message?: string }[] };
}

/** One text part of the request. */
export interface RequestPart {
  /** JSON path of the string value, e.g. `messages[2].content[1].text` */
  path: string;
  /** the strongest action taken in this part */
  action: Action;
  /** the decoded text that was scanned */
  text: string;
  /** findings with UTF-16 offsets into `text` */
  findings: Finding[];
}

export interface RequestInspection {
  /** the strongest action of any part (block: do not send the request) */
  action: Action;
  /** the block rule's message */
  message?: string;
  /** the block rule's id */
  rule?: string;
  /** every scanned text part, in document order */
  parts: RequestPart[];
  /** the request body with every changed part replaced (only when something was redacted and nothing blocked) */
  body?: Uint8Array;
  /** paths that hold text which was not scanned (unknown block types, opaque blocks, odd shapes) */
  notScanned: string[];
  /** reason per notScanned entry, same order */
  notScannedReasons: (typeof NOT_SCANNED_REASONS)[number][];
}

/** A request body that is not one valid JSON document. */
export { RequestBodyError };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const infos = new WeakMap<RequestEngine, Map<number, ReturnType<RequestEngine["policyInfo"]>>>();

/** Type and rule names per engine and handle, read once. */
function infoOf(engine: RequestEngine, handle: number): ReturnType<RequestEngine["policyInfo"]> {
  let m = infos.get(engine);
  if (!m) { m = new Map(); infos.set(engine, m); }
  let info = m.get(handle);
  if (!info) { info = engine.policyInfo(handle); m.set(handle, info); }
  return info;
}

/**
 * Finds every text part of a provider request, scans each with the ingress rules of the
 * policy loaded under `handle`, and returns the verdict and (after redactions) the new body.
 * Throws RequestBodyError for malformed JSON, WardlineError WL_REQUEST_PROVIDER for an unknown provider.
 * @example
 * const r = inspectRequest(engine, handle, "openai-chat", JSON.stringify(body));
 * if (r.action === "block") return error(400, r.message);
 * const upstreamBody = r.body ?? original;
 */
export function inspectRequest(engine: RequestEngine, handle: number, provider: RequestProvider, body: Uint8Array | string): RequestInspection {
  const p = REQUEST_PROVIDERS[provider];
  if (!p) throw new WardlineError(`unknown provider "${provider}" (openai-chat, openai-responses, anthropic) (WL_REQUEST_PROVIDER)`, "WL_REQUEST_PROVIDER");
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const info = infoOf(engine, handle);
  const { code, result } = engine.requestInspect(handle, p, bytes);
  const d = decodeInspection("request", p, code, result, info, NOT_SCANNED_REASONS, "unexpected-shape");
  const r: RequestInspection = { action: d.action, parts: d.parts, notScanned: d.notScanned, notScannedReasons: d.notScannedReasons };
  if (d.rule !== undefined) { r.rule = d.rule; r.message = d.message; }
  if (d.body) r.body = d.body;
  return r;
}

interface RawExports {
  memory: WebAssembly.Memory;
  wl_input(len: number): number;
  wl_result_ptr(): number;
  wl_result_len(): number;
  wl_policy_load(len: number): number;
  wl_policy_info(h: number): number;
  wl_request_inspect(h: number, provider: number, len: number): number;
  wl_request_result_ptr(): number;
  wl_request_result_len(): number;
}

/**
 * A RequestEngine over a raw instance's exports (a module built with js_request), for
 * hosts that hold the instance themselves; bindings/engine.ts Engine does the same with
 * its own buffers. loadPolicy returns the handle.
 * @example
 * const e = rawRequestEngine(new WebAssembly.Instance(module, {}).exports);
 * const h = e.loadPolicy(guard.policyBytes);
 * inspectRequest(e, h, "anthropic", body);
 */
export function rawRequestEngine(exports: WebAssembly.Exports): RequestEngine & { loadPolicy(bytes: Uint8Array): number } {
  const x = exports as unknown as RawExports;
  const input = (bytes: Uint8Array) => { const ptr = x.wl_input(bytes.length); new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes); return bytes.length; };
  return {
    loadPolicy(bytes) {
      const h = x.wl_policy_load(input(bytes));
      if (h < 0) throw new WardlineError(`the engine refused the policy (status ${-h}) (WL_ENGINE_BAD_POLICY_SECTION)`, "WL_ENGINE_BAD_POLICY_SECTION");
      return h;
    },
    policyInfo(h) {
      if (x.wl_policy_info(h) < 0) throw new WardlineError("no policy is loaded under that handle (WL_ENGINE_NO_SUCH_POLICY)", "WL_ENGINE_NO_SUCH_POLICY");
      const b = new Uint8Array(x.memory.buffer, x.wl_result_ptr(), x.wl_result_len()).slice();
      const dv = new DataView(b.buffer);
      let o = 0;
      const u32 = () => { const v = dv.getUint32(o, true); o += 4; return v; };
      const str = () => { const n = u32(); const s = decoder.decode(b.subarray(o, o + n)); o += n; return s; };
      const tc = u32(), rc = u32();
      const types = [];
      for (let i = 0; i < tc; i++) { const d = u32(); types.push({ detector: DETECTORS[d] ?? "", name: str() }); }
      const rules = [];
      for (let i = 0; i < rc; i++) {
        const action = ACTIONS[u32()]; u32(); const id = str(); const message = str();
        rules.push({ id, action, mode: "", message: message || undefined });
      }
      return { types, rules };
    },
    requestInspect(h, provider, body) {
      const code = x.wl_request_inspect(h, provider, input(body));
      return { code, result: new Uint8Array(x.memory.buffer, x.wl_request_result_ptr(), x.wl_request_result_len()) };
    },
  };
}
