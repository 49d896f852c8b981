// Ingress for one whole request body: decode every text part, scan each with the
// ingress policy, and write the verdict plus the body with each changed string replaced.
//
// Each part is its own text (Scanner.reset between parts): a finding never spans two
// parts, and a combination rule (`all`, `weighted`, `max`) sees the findings of one part
// only. Aggregating across parts would let two harmless messages combine into a block
// that no single message earns, and would make a verdict depend on how a client splits
// its prompt into blocks; the request's action is the strongest action of any part.
//
// The rewritten body is spliced in one pass in document order: bytes between parts are
// copied as they came, an unchanged part is copied as it came (its escapes kept), a
// changed part is re-encoded as JSON.stringify would write it. Linear in the body.
//
// Result layout (little-endian u32 unless noted), documented in docs/abi.md:
//   header 8 × u32: status | action | flags | partCount | notScannedCount | blockRule (i32) | errorAt | bodyLen
//   per part:       pathLen, path | action | findingCount | textLen, decoded text | findingCount × 8 u32
//   per not-scanned entry: reason | pathLen, path
//   body:           bodyLen bytes (the rewritten body; 0 when nothing changed or blocked)
import { Scanner } from "../engine/scanner";
import { Action } from "../engine/constants";
import { JsonOut } from "./json_out";
import { putU32, putPart, header } from "./inspection_result";
import { JsonStatus } from "./json_status";
import { decodeJsonString } from "./json_decode";
import { encodeJsonString } from "./json_encode";
import { RequestParts } from "./request_parts";

/** flags: the result carries a rewritten body */
export const REQUEST_REWRITTEN: u32 = 1;
/** flags: a block rule fired in some part (the request must not go upstream) */
export const REQUEST_BLOCKED: u32 = 2;

const HEADER: i32 = 32;
const QUOTE: u32 = 0x22;

/**
 * Inspects request bodies with one ingress Scanner (reset per part).
 *
 * ```ts
 * const r = new RequestInspector();
 * r.inspect(new RequestParts(shapeOf(Provider.OPENAI_CHAT)!), scanner, body, len, result);
 * ```
 */
export class RequestInspector {
  private text: JsonOut = new JsonOut(1024);
  private body: JsonOut = new JsonOut(1024);

  /** Writes the result for body [p, p + n) into `result` (reset first); returns the JsonStatus. */
  inspect(parts: RequestParts, scanner: Scanner, p: usize, n: usize, result: JsonOut): JsonStatus {
    result.reset();
    result.ensure(HEADER);
    result.len = HEADER;
    const status = parts.scan(p, n);
    if (status != JsonStatus.OK) {
      header(result, <u32>status, 0, 0, 0, 0, -1, parts.errorAt, 0);
      return status;
    }
    const body = this.body;
    const text = this.text;
    body.reset();
    let cursor: u32 = 0;
    let action: u32 = <u32>Action.ALLOW;
    let blockRule: i32 = -1;
    let changed = false;
    const count = parts.count;
    // one request, one pseudonym numbering: <EMAIL_1> is the same value in every part
    scanner.out.keepPseudonyms = true;
    scanner.out.clearPseudonyms();
    for (let i = 0; i < count; i++) {
      const start = parts.start(i);
      const end = parts.end(i);
      text.reset();
      decodeJsonString(p + <usize>start + 1, <usize>(end - start - 2), text); // validated by the scan
      scanner.reset(1);
      scanner.push(text.ptr, text.len);
      scanner.finish();
      const a = <u32>scanner.action;
      if (a > action) action = a;
      const f = scanner.findings;
      if (blockRule < 0 && a == <u32>Action.BLOCK) {
        for (let k = 0; k < f.n; k++) if (f.get(k, 2) == <u32>Action.BLOCK) { blockRule = <i32>f.get(k, 3); break; }
      }
      // the part's entry
      putPart(result, parts, i, a, text, f);
      // the body, up to and including this part
      const o = scanner.out;
      const same = o.outLen == text.len && memory.compare(changetype<usize>(o.out), text.ptr, <usize>text.len) == 0;
      if (start < cursor) continue; // one value matched by two rows: spliced once
      body.bytes(p + <usize>cursor, <usize>(start - cursor));
      if (same) {
        body.bytes(p + <usize>start, <usize>(end - start));
      } else {
        changed = true;
        body.byte(QUOTE);
        encodeJsonString(changetype<usize>(o.out), <usize>o.outLen, body);
        body.byte(QUOTE);
      }
      cursor = end;
    }
    const skipped = parts.skippedCount;
    for (let i = 0; i < skipped; i++) {
      putU32(result, <u32>parts.skippedReason(i));
      const pathAt = result.len;
      putU32(result, 0);
      parts.writeSkippedPath(i, result);
      store<u32>(result.ptr + <usize>pathAt, <u32>(result.len - pathAt - 4));
    }
    let flags: u32 = 0;
    let bodyLen: u32 = 0;
    if (action >= <u32>Action.STOP) {
      flags |= REQUEST_BLOCKED;
    } else if (changed) {
      body.bytes(p + <usize>cursor, n - <usize>cursor);
      flags |= REQUEST_REWRITTEN;
      bodyLen = <u32>body.len;
      result.bytes(body.ptr, <usize>body.len);
    }
    header(result, 0, action, flags, <u32>count, <u32>skipped, blockRule, 0, bodyLen);
    return JsonStatus.OK;
  }
}
