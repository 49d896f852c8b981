// The packed result shared by request and response inspection (docs/abi.md, "Request
// inspection" and "Response inspection"): one decoder for both, so the two layouts cannot
// drift apart. Runtime-neutral.
import { ACTIONS, DETECTORS, type Action } from "./engine.ts";
import { byteOffsetsToUtf16 } from "./offsets.ts";
import { WardlineError } from "./errors.ts";
import type { Finding } from "./guard.ts";

export const JSON_STATUS = ["ok", "truncated", "syntax", "bad-escape", "bad-utf8", "control-char", "depth-exceeded",
  "too-many-matches", "bad-number", "trailing-data", "bad-path", "too-many-paths", "bad-span"] as const;
export const BAD_PROVIDER = 32;
export const BAD_JSON_BASE = 64;

export interface PolicyNames {
  types: { name: string; detector: string }[];
  rules: { id: string; action: Action; mode: string; message?: string }[];
}

/** A body that is not valid JSON: which JsonStatus, at which byte. */
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

export interface DecodedPart { path: string; action: Action; text: string; findings: Finding[] }

export interface DecodedInspection<R extends string> {
  action: Action;
  flags: number;
  parts: DecodedPart[];
  notScanned: string[];
  notScannedReasons: R[];
  /** the rule that blocked or stopped, if any */
  rule?: string;
  message?: string;
  /** the rewritten body (when the engine wrote one: flags bit 0) */
  body?: Uint8Array;
}

const decoder = new TextDecoder("utf-8", { ignoreBOM: true }); // part texts keep a leading U+FEFF

/** Decodes an inspection result (or throws the typed error its status code means). */
export function decodeInspection<R extends string>(what: string, provider: number, code: number, result: Uint8Array, info: PolicyNames, reasons: readonly R[], fallback: R): DecodedInspection<R> {
  const b = result.slice();
  const dv = new DataView(b.buffer);
  if (code <= -BAD_JSON_BASE) throw new RequestBodyError(JSON_STATUS[-code - BAD_JSON_BASE] ?? "unknown", dv.getUint32(24, true));
  if (code === -BAD_PROVIDER) throw new WardlineError(`the engine does not know provider ${provider} (WL_REQUEST_PROVIDER)`, "WL_REQUEST_PROVIDER");
  if (code < 0) throw new WardlineError(`${what} inspection failed with engine status ${-code} (WL_ENGINE_NO_SUCH_POLICY)`, "WL_ENGINE_NO_SUCH_POLICY");
  let o = 32;
  const u32 = () => { const v = dv.getUint32(o, true); o += 4; return v; };
  const str = () => { const n = u32(); const s = decoder.decode(b.subarray(o, o + n)); o += n; return s; };
  const flags = dv.getUint32(8, true);
  const partCount = dv.getUint32(12, true);
  const skippedCount = dv.getUint32(16, true);
  const ruleIndex = dv.getInt32(20, true);
  const bodyLen = dv.getUint32(28, true);
  const parts: DecodedPart[] = [];
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
  const notScannedReasons: R[] = [];
  for (let i = 0; i < skippedCount; i++) {
    notScannedReasons.push(reasons[u32()] ?? fallback);
    notScanned.push(str());
  }
  const r: DecodedInspection<R> = { action: ACTIONS[dv.getUint32(4, true)], flags, parts, notScanned, notScannedReasons };
  if (ruleIndex >= 0) { r.rule = info.rules[ruleIndex].id; r.message = info.rules[ruleIndex].message; }
  if (flags & 1) r.body = b.slice(o, o + bodyLen);
  return r;
}
