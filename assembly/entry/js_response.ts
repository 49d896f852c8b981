// Non-streamed answers over the byte ABI (docs/abi.md, "Response inspection"): a whole provider
// response body in, its text parts' findings, the verdict and the rewritten body out
// (assembly/protocol/response_inspect.ts). The body is the first len bytes of the shared input
// buffer (wl_input); the result has its own buffer (wl_response_result_ptr / _len).
import { Status, Phase } from "../engine/constants";
import { Scanner } from "../engine/scanner";
import { JsonOut } from "../protocol/json_out";
import { JsonStatus } from "../protocol/json_status";
import { RequestParts } from "../protocol/request_parts";
import { responseShapeOf } from "../protocol/response_shapes";
import { ResponseInspector } from "../protocol/response_inspect";
import { policyOf } from "./registry";
import { wl_input } from "./js";

/** −wl_response_inspect: the provider number is not 1 (openai-chat), 2 (openai-responses) or 3 (anthropic). */
export const RESPONSE_BAD_PROVIDER: i32 = 32;
/** −wl_response_inspect − this = the JsonStatus of a malformed body (details in the result header). */
export const RESPONSE_BAD_JSON_BASE: i32 = 64;

const result = new JsonOut(4096);
const inspector = new ResponseInspector();
const partsOf = new StaticArray<RequestParts | null>(4);
// one scanner per policy handle, phase MIDSTREAM | EGRESS (response_inspect.ts says why);
// rebuilt when the handle now names another policy
const scannerOf = new Map<i32, Scanner>();

/**
 * Inspects the response body in the first len input bytes for `provider` with policy h's
 * midstream and egress rules. Returns 0 (result ready), −4 (no such policy), −32 (unknown
 * provider) or −(64 + JsonStatus) for a malformed body (the result header then holds the
 * status and the offset of the offending byte).
 */
export function wl_response_inspect(h: i32, provider: i32, len: u32): i32 {
  const p = policyOf(h);
  if (p == null) { result.reset(); return -(<i32>Status.NO_SUCH_POLICY); }
  const shape = responseShapeOf(provider);
  if (shape == null) { result.reset(); return -RESPONSE_BAD_PROVIDER; }
  let parts = unchecked(partsOf[provider]);
  if (parts == null) { parts = new RequestParts(shape); unchecked((partsOf[provider] = parts)); }
  let s: Scanner | null = scannerOf.has(h) ? scannerOf.get(h) : null;
  if (s == null || s.policy !== p) {
    s = new Scanner(p, Phase.MIDSTREAM | Phase.EGRESS);
    scannerOf.set(h, s);
  }
  const status = inspector.inspect(provider, parts, s, wl_input(len), <usize>len, result);
  return status == JsonStatus.OK ? 0 : -(RESPONSE_BAD_JSON_BASE + <i32>status);
}

export function wl_response_result_ptr(): usize { return result.ptr; }
export function wl_response_result_len(): i32 { return result.len; }
