// Ingress for a whole provider request: wl_request_inspect (assembly/entry/js_request.ts,
// docs/abi.md "Request inspection") decoded into paths, findings, the verdict and the
// rewritten body. Runtime-neutral: no node:* imports.
import { ACTIONS, DETECTORS, type Action } from "./engine.ts";
import { byteOffsetsToUtf16 } from "./offsets.ts";
import { WardlineError } from "./errors.ts";
import type { Finding } from "./guard.ts";

/** Request formats and their numbers in the ABI. */
export const REQUEST_PROVIDERS = { "openai-chat": 1, "openai-responses": 2, "anthropic": 3 } as const;
export type RequestProvider = keyof typeof REQUEST_PROVIDERS;

/** Why a path was not scanned (index = reason code in the result). */
export const NOT_SCANNED_REASONS = ["", "unknown-type", "not-a-string", "unexpected-shape", "opaque"] as const;

/** JsonStatus names (assembly/protocol/json_status.ts), index = status. */
const JSON_STATUS = ["ok", "truncated", "syntax", "bad-escape", "bad-utf8", "control-char", "depth-exceeded",
  "too-many-matches", "bad-number", "trailing-data", "bad-path", "too-many-paths", "bad-span"] as const;

const REQUEST_BAD_PROVIDER = 32;
const REQUEST_BAD_JSON_BASE = 64;

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
export class RequestBodyError extends WardlineError {
  /** JsonStatus name: truncated, syntax, bad-escape, bad-utf8, … */
  readonly status: string;
  /** byte offset of the offending byte */
  readonly offset: number;
  constructor(status: string, offset: number) {
    super(`the request body is not valid JSON: ${status} at byte ${offset} (WL_REQUEST_BAD_JSON)`, "WL_REQUEST_BAD_JSON");
    this.name = "RequestBodyError";
    this.status = status;
    this.offset = offset;
  }
}

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
  const b = result.slice();
  const dv = new DataView(b.buffer);
  if (code <= -REQUEST_BAD_JSON_BASE) throw new RequestBodyError(JSON_STATUS[-code - REQUEST_BAD_JSON_BASE] ?? "unknown", dv.getUint32(24, true));
  if (code === -REQUEST_BAD_PROVIDER) throw new WardlineError(`the engine does not know provider ${p} (WL_REQUEST_PROVIDER)`, "WL_REQUEST_PROVIDER");
  if (code < 0) throw new WardlineError(`request inspection failed with engine status ${-code} (WL_ENGINE_NO_SUCH_POLICY)`, "WL_ENGINE_NO_SUCH_POLICY");
  let o = 32;
  const u32 = () => { const v = dv.getUint32(o, true); o += 4; return v; };
  const str = () => { const n = u32(); const s = decoder.decode(b.subarray(o, o + n)); o += n; return s; };
  const action = ACTIONS[dv.getUint32(4, true)];
  const flags = dv.getUint32(8, true);
  const partCount = dv.getUint32(12, true);
  const skippedCount = dv.getUint32(16, true);
  const blockRule = dv.getInt32(20, true);
  const bodyLen = dv.getUint32(28, true);
  const parts: RequestPart[] = [];
  for (let i = 0; i < partCount; i++) {
    const path = str();
    const partAction = ACTIONS[u32()];
    const nf = u32();
    const text = str();
    const raw = [];
    for (let k = 0; k < nf; k++, o += 32) {
      raw.push({
        typeId: dv.getUint32(o, true), detector: dv.getUint32(o + 4, true), action: dv.getUint32(o + 8, true),
        rule: dv.getInt32(o + 12, true), start: dv.getUint32(o + 16, true), end: dv.getUint32(o + 20, true),
        score: Math.round(dv.getFloat32(o + 24, true) * 1000) / 1000, aux: dv.getUint32(o + 28, true),
      });
    }
    raw.sort((x, y) => x.start - y.start || y.end - x.end);
    const map = byteOffsetsToUtf16(text, raw.flatMap((f) => [f.start, f.end]));
    const findings = raw.map((f) => {
      const t = info.types[f.typeId];
      const finding: Finding = {
        detector: DETECTORS[f.detector], type: t.name, action: ACTIONS[f.action],
        start: map.get(f.start)!, end: map.get(f.end)!, score: f.score,
      };
      if (f.rule >= 0) finding.rule = info.rules[f.rule].id;
      if (f.aux > 0) finding.placeholder = `<${t.name}_${f.aux}>`;
      return finding;
    });
    parts.push({ path, action: partAction, text, findings });
  }
  const notScanned: string[] = [];
  const notScannedReasons: RequestInspection["notScannedReasons"] = [];
  for (let i = 0; i < skippedCount; i++) {
    notScannedReasons.push(NOT_SCANNED_REASONS[u32()] ?? "unexpected-shape");
    notScanned.push(str());
  }
  const r: RequestInspection = { action, parts, notScanned, notScannedReasons };
  if (blockRule >= 0) { r.rule = info.rules[blockRule].id; r.message = info.rules[blockRule].message; }
  if (flags & 1) r.body = b.slice(o, o + bodyLen);
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
