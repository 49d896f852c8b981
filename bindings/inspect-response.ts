// A complete (non-streamed) provider response: wl_response_inspect (assembly/entry/js_response.ts,
// docs/abi.md "Response inspection") decoded into paths, findings, the verdict and the body for
// the client. Runtime-neutral: no node:* imports.
import { ACTIONS, DETECTORS, type Action } from "./engine.ts";
import { decodeInspection } from "./inspection-result.ts";
import { WardlineError } from "./errors.ts";
import { RequestBodyError, type RequestEngine } from "./inspect-request.ts";
import type { Finding } from "./guard.ts";

/** Response formats and their numbers in the ABI. */
export const RESPONSE_PROVIDERS = { "openai-chat": 1, "openai-responses": 2, "anthropic": 3 } as const;
export type ResponseProvider = keyof typeof RESPONSE_PROVIDERS;

/** Why a path was not scanned (index = reason code in the result). */
export const RESPONSE_NOT_SCANNED_REASONS = ["", "unknown-type", "not-a-string", "unexpected-shape", "opaque", "after-stop"] as const;


/** What inspectResponse needs from an engine instance. */
export interface ResponseEngine {
  /** Copies body to the input buffer, calls wl_response_inspect; returns its code and a view of the result. */
  responseInspect(handle: number, provider: number, body: Uint8Array): { code: number; result: Uint8Array };
  policyInfo: RequestEngine["policyInfo"];
}

/** One scanned text part of the response. */
export interface ResponsePart {
  /** JSON path of the string value, e.g. `choices[0].message.content` */
  path: string;
  /** the strongest action taken in this part */
  action: Action;
  /** the decoded text that was scanned (as upstream sent it) */
  text: string;
  /** findings with UTF-16 offsets into `text` */
  findings: Finding[];
}

export interface ResponseInspection {
  /** the strongest action of any part */
  action: Action;
  /** the stop/block rule's message */
  message?: string;
  /** the stop/block rule's id */
  rule?: string;
  /** every scanned text part, in document order */
  parts: ResponsePart[];
  /** the body for the client: rewritten in place, or the input bytes when nothing changed */
  body: Uint8Array;
  /** a stop or block rule cut the answer: text after the cut emptied, finish reason set */
  stopped: boolean;
  /** paths that hold text which was not scanned (opaque blocks, unknown types, parts after a stop) */
  notScanned: string[];
  /** reason per notScanned entry, same order */
  notScannedReasons: (typeof RESPONSE_NOT_SCANNED_REASONS)[number][];
}

const encoder = new TextEncoder();
const infos = new WeakMap<object, Map<number, ReturnType<ResponseEngine["policyInfo"]>>>();

function infoOf(engine: ResponseEngine, handle: number): ReturnType<ResponseEngine["policyInfo"]> {
  let m = infos.get(engine);
  if (!m) { m = new Map(); infos.set(engine, m); }
  let info = m.get(handle);
  if (!info) { info = engine.policyInfo(handle); m.set(handle, info); }
  return info;
}

/**
 * Scans every text part of a complete provider response with the midstream and egress rules of
 * the policy under `handle`; returns the verdict and the body for the client (redacted in
 * place; on a stop cut, with the provider's finish reason set to content_filter / "incomplete" /
 * "refusal"). Throws RequestBodyError for malformed JSON, WardlineError WL_REQUEST_PROVIDER for
 * an unknown provider.
 * @example
 * const r = inspectResponse(engine, handle, "openai-chat", await upstream.arrayBuffer().then((b) => new Uint8Array(b)));
 * return new Response(r.body, upstream);
 */
export function inspectResponse(engine: ResponseEngine, handle: number, provider: ResponseProvider, body: Uint8Array | string): ResponseInspection {
  const p = RESPONSE_PROVIDERS[provider];
  if (!p) throw new WardlineError(`unknown provider "${provider}" (openai-chat, openai-responses, anthropic) (WL_REQUEST_PROVIDER)`, "WL_REQUEST_PROVIDER");
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const info = infoOf(engine, handle);
  const { code, result } = engine.responseInspect(handle, p, bytes);
  const d = decodeInspection("response", p, code, result, info, RESPONSE_NOT_SCANNED_REASONS, "unexpected-shape");
  const r: ResponseInspection = {
    action: d.action, parts: d.parts, notScanned: d.notScanned, notScannedReasons: d.notScannedReasons,
    stopped: (d.flags & 2) !== 0,
    body: d.body ?? bytes,
  };
  if (d.rule !== undefined) { r.rule = d.rule; r.message = d.message; }
  return r;
}

interface RawExports {
  memory: WebAssembly.Memory;
  wl_input(len: number): number;
  wl_response_inspect(h: number, provider: number, len: number): number;
  wl_response_result_ptr(): number;
  wl_response_result_len(): number;
}

const engines = new WeakMap<object, ResponseEngine>();

/**
 * A ResponseEngine over an engine's raw exports (bindings/engine.ts Engine has `rawExports`
 * and `policyInfo`), made once per engine.
 * @example
 * const r = inspectResponse(responseEngine(engine), handle, "anthropic", body);
 */
export function responseEngine(engine: { rawExports: WebAssembly.Exports; policyInfo: ResponseEngine["policyInfo"] }): ResponseEngine {
  let e = engines.get(engine);
  if (e) return e;
  const x = engine.rawExports as unknown as RawExports;
  if (typeof x.wl_response_inspect !== "function") {
    throw new WardlineError("this engine module has no response inspection (wl_response_inspect) (WL_ENGINE_ABI)", "WL_ENGINE_ABI");
  }
  e = {
    policyInfo: (h) => engine.policyInfo(h),
    responseInspect(h, provider, body) {
      const ptr = x.wl_input(body.length);
      new Uint8Array(x.memory.buffer, ptr, body.length).set(body);
      const code = x.wl_response_inspect(h, provider, body.length);
      return { code, result: new Uint8Array(x.memory.buffer, x.wl_response_result_ptr(), x.wl_response_result_len()) };
    },
  };
  engines.set(engine, e);
  return e;
}
