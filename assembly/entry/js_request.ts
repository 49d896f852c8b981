// Ingress over the byte ABI (docs/abi.md, "Request inspection"): a whole provider request
// body in, its text parts' findings, the verdict and the rewritten body out. The body is
// the first len bytes of the shared input buffer (wl_input); the result has its own buffer
// (wl_request_result_ptr / _len), so a request result never clobbers a scan result.
import { Status } from "../engine/constants";
import { Scanner } from "../engine/scanner";
import { JsonOut } from "../protocol/json_out";
import { JsonStatus } from "../protocol/json_status";
import { shapeOf } from "../protocol/request_shapes";
import { RequestParts } from "../protocol/request_parts";
import { RequestInspector } from "../protocol/request_inspect";
import { policyOf, scanners } from "./registry";
import { wl_input } from "./js";

/** −wl_request_inspect: the provider number is not 1 (openai-chat), 2 (openai-responses) or 3 (anthropic). */
export const REQUEST_BAD_PROVIDER: i32 = 32;
/** −wl_request_inspect − this = the JsonStatus of a malformed body (details in the result header). */
export const REQUEST_BAD_JSON_BASE: i32 = 64;

const result = new JsonOut(4096);
const inspector = new RequestInspector();
const partsOf = new StaticArray<RequestParts | null>(4);

/**
 * Inspects the request body in the first len input bytes for `provider` with policy h's
 * ingress rules. Returns 0 (result ready), −4 (no such policy), −32 (unknown provider) or
 * −(64 + JsonStatus) for a malformed body (the result header then holds the status and the
 * offset of the offending byte).
 */
export function wl_request_inspect(h: i32, provider: i32, len: u32): i32 {
  const p = policyOf(h);
  if (p == null) { result.reset(); return -(<i32>Status.NO_SUCH_POLICY); }
  const shape = shapeOf(provider);
  if (shape == null) { result.reset(); return -REQUEST_BAD_PROVIDER; }
  let parts = unchecked(partsOf[provider]);
  if (parts == null) { parts = new RequestParts(shape); unchecked((partsOf[provider] = parts)); }
  // the policy's one-shot ingress scanner, shared with wl_scan (slot 0 = ingress)
  const cache = scanners[h - 1]!;
  let s = cache[0];
  if (s == null) { s = new Scanner(p, 1); cache[0] = s; }
  const status = inspector.inspect(parts, s, wl_input(len), <usize>len, result);
  s.out.keepPseudonyms = false; // the scanner is shared with wl_scan: one request's numbering ends here
  return status == JsonStatus.OK ? 0 : -(REQUEST_BAD_JSON_BASE + <i32>status);
}

export function wl_request_result_ptr(): usize { return result.ptr; }
export function wl_request_result_len(): i32 { return result.len; }
