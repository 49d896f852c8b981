// One complete (non-streamed) provider response body: decode every text part
// (response_shapes.ts), scan each, and write the verdict plus the body with each changed string
// replaced in place; every other byte is kept as it came.
//
// Phase: MIDSTREAM | EGRESS. The architecture gives a non-streamed answer "the same checks as
// midstream", and the egress rules are the ones written for a whole answer: both sets apply, so
// the same answer gets the same treatment whether it was streamed or not (rules whose phases
// include both fire once). Each part is its own text (Scanner.reset between parts), as at
// ingress (request_inspect.ts explains why).
//
// Stop (a stop or block rule fired in a part): that part keeps the text released before the cut
// (redactions applied), every later part becomes "" (reported as not scanned, AFTER_STOP), and the
// provider's finish reason says the answer was filtered:
//   OpenAI Chat       choices[].finish_reason "content_filter" for the cut choice and every
//                     later one (their text was emptied)
//   OpenAI Responses  "status":"incomplete", incomplete_details {"reason":"content_filter"}
//                     (a null incomplete_details is replaced; an object's `reason` rewritten)
//   Anthropic         "stop_reason":"refusal" (what its streaming classifier reports)
// A field that is absent stays absent: the guard adds no keys.
//
// Result layout (little-endian u32 unless noted), documented in docs/abi.md:
//   header 8 × u32: status | action | flags | partCount | notScannedCount | stopRule (i32) | errorAt | bodyLen
//   per part:       pathLen, path | action | findingCount | textLen, decoded text | findingCount × 8 u32
//   per not-scanned entry: reason | pathLen, path
//   body:           bodyLen bytes (the rewritten body; 0 when nothing changed)
import { Scanner, FLAG_STOPPED } from "../engine/scanner";
import { Action } from "../engine/constants";
import { JsonOut } from "./json_out";
import { putU32, putPart, header } from "./inspection_result";
import { JsonStatus } from "./json_status";
import { JsonScanner, JsonKind } from "./json_scanner";
import { decodeJsonString } from "./json_decode";
import { encodeJsonString } from "./json_encode";
import { RequestParts } from "./request_parts";
import { ResponseProvider, EndPath, endingPaths } from "./response_shapes";

/** flags: the result carries a rewritten body */
export const RESPONSE_REWRITTEN: u32 = 1;
/** flags: a stop or block rule cut the answer */
export const RESPONSE_STOPPED: u32 = 2;
/** Not-scanned reason for a part after the cut (request_shapes.ts NotScanned has 1..4). */
export const AFTER_STOP: u32 = 5;

const HEADER: i32 = 32;
const QUOTE: u32 = 0x22;

// Replacement values, encoded once at start-up.
const CONTENT_FILTER = String.UTF8.encode(`"content_filter"`);
const INCOMPLETE = String.UTF8.encode(`"incomplete"`);
const DETAILS = String.UTF8.encode(`{"reason":"content_filter"}`);
const REFUSAL = String.UTF8.encode(`"refusal"`);
const EMPTY = String.UTF8.encode(`""`);

/**
 * Inspects response bodies with one Scanner (reset per part).
 *
 * ```ts
 * const r = new ResponseInspector();
 * r.inspect(ResponseProvider.ANTHROPIC, new RequestParts(responseShapeOf(3)!), scanner, body, len, result);
 * ```
 */
export class ResponseInspector {
  private text: JsonOut = new JsonOut(1024);
  private body: JsonOut = new JsonOut(1024);
  private reps: JsonOut = new JsonOut(256);
  /** edits, 4 i32 each: start, end, offset and length of the replacement in `reps` */
  private edits: i32[] = [];
  /** parts after the cut */
  private cutParts: i32[] = [];
  /** OpenAI Chat: positions of the choices whose text was cut */
  private cutChoices: u32[] = [];
  private ending: StaticArray<JsonScanner | null> = new StaticArray<JsonScanner | null>(4);

  /** Writes the result for body [p, p + n) into `result` (reset first); returns the JsonStatus. */
  inspect(provider: i32, parts: RequestParts, scanner: Scanner, p: usize, n: usize, result: JsonOut): JsonStatus {
    result.reset();
    result.ensure(HEADER);
    result.len = HEADER;
    const status = parts.scan(p, n);
    if (status != JsonStatus.OK) {
      header(result, <u32>status, 0, 0, 0, 0, -1, parts.errorAt, 0);
      return status;
    }
    const text = this.text;
    const reps = this.reps;
    reps.reset();
    this.edits.length = 0;
    this.cutParts.length = 0;
    this.cutChoices.length = 0;
    const phase = scanner.phase;
    const js = parts.json;
    let m = 0; // moving match cursor (OpenAI Chat choice positions)
    let action: u32 = <u32>Action.ALLOW;
    let stopRule: i32 = -1;
    let stopped = false;
    const count = parts.count;
    let scanned = 0;
    for (let i = 0; i < count; i++) {
      const start = parts.start(i);
      const end = parts.end(i);
      if (provider == ResponseProvider.OPENAI_CHAT && stopped) {
        while (m < js.count && js.start(m) < start) m++;
        const c = js.index(m, 0);
        if (!this.cutChoices.includes(c)) this.cutChoices.push(c);
      }
      if (stopped) {
        this.cutParts.push(i);
        if (end - start > 2) this.edit(start, end, changetype<usize>(EMPTY), EMPTY.byteLength);
        continue;
      }
      text.reset();
      decodeJsonString(p + <usize>start + 1, <usize>(end - start - 2), text); // validated by the scan
      scanner.reset(phase);
      scanner.push(text.ptr, text.len);
      scanner.finish();
      scanned++;
      const a = <u32>scanner.action;
      if (a > action) action = a;
      const f = scanner.findings;
      // the part's entry
      putPart(result, parts, i, a, text, f);
      const o = scanner.out;
      const same = o.outLen == text.len && memory.compare(changetype<usize>(o.out), text.ptr, <usize>text.len) == 0;
      if (!same) {
        const at = reps.len;
        reps.byte(QUOTE);
        encodeJsonString(changetype<usize>(o.out), <usize>o.outLen, reps);
        reps.byte(QUOTE);
        this.edits.push(<i32>start);
        this.edits.push(<i32>end);
        this.edits.push(at);
        this.edits.push(reps.len - at);
      }
      if (scanner.flags & FLAG_STOPPED) {
        stopped = true;
        for (let k = 0; k < f.n; k++) {
          const fa = f.get(k, 2);
          if (fa == <u32>Action.STOP || fa == <u32>Action.BLOCK) { stopRule = <i32>f.get(k, 3); break; }
        }
        if (provider == ResponseProvider.OPENAI_CHAT) {
          while (m < js.count && js.start(m) < start) m++;
          this.cutChoices.push(js.index(m, 0));
        }
      }
    }
    const skipped = parts.skippedCount;
    for (let i = 0; i < skipped; i++) {
      putU32(result, <u32>parts.skippedReason(i));
      const pathAt = result.len;
      putU32(result, 0);
      parts.writeSkippedPath(i, result);
      store<u32>(result.ptr + <usize>pathAt, <u32>(result.len - pathAt - 4));
    }
    const cut = this.cutParts;
    for (let i = 0; i < cut.length; i++) {
      putU32(result, AFTER_STOP);
      const pathAt = result.len;
      putU32(result, 0);
      parts.writePath(unchecked(cut[i]), result);
      store<u32>(result.ptr + <usize>pathAt, <u32>(result.len - pathAt - 4));
    }
    if (stopped) this.endings(provider, p, n);
    let flags: u32 = stopped ? RESPONSE_STOPPED : 0;
    let bodyLen: u32 = 0;
    if (this.edits.length > 0) {
      this.splice(p, n);
      flags |= RESPONSE_REWRITTEN;
      bodyLen = <u32>this.body.len;
      result.bytes(this.body.ptr, <usize>this.body.len);
    }
    header(result, 0, action, flags, <u32>scanned, <u32>(skipped + cut.length), stopRule, 0, bodyLen);
    return JsonStatus.OK;
  }

  private edit(start: u32, end: u32, v: usize, vn: i32): void {
    const reps = this.reps;
    const at = reps.len;
    reps.bytes(v, <usize>vn);
    this.edits.push(<i32>start);
    this.edits.push(<i32>end);
    this.edits.push(at);
    this.edits.push(vn);
  }

  /** Adds the edits that set the finish reason (see the file comment). */
  private endings(provider: i32, p: usize, n: usize): void {
    let s = unchecked(this.ending[provider]);
    if (s == null) {
      s = new JsonScanner(endingPaths(provider));
      unchecked((this.ending[provider] = s));
    }
    if (s.scan(p, n) != JsonStatus.OK) return; // cannot happen: the body was validated
    for (let i = 0; i < s.count; i++) {
      const id = s.pathId(i);
      const start = s.start(i), end = s.end(i);
      if (provider == ResponseProvider.OPENAI_CHAT) {
        if (this.cutChoices.includes(s.index(i, 0))) this.edit(start, end, changetype<usize>(CONTENT_FILTER), CONTENT_FILTER.byteLength);
      } else if (provider == ResponseProvider.OPENAI_RESPONSES) {
        if (id == EndPath.REASON) this.edit(start, end, changetype<usize>(INCOMPLETE), INCOMPLETE.byteLength);
        else if (id == EndPath.DETAILS && s.kind(i) == JsonKind.NULL) this.edit(start, end, changetype<usize>(DETAILS), DETAILS.byteLength);
        else if (id == EndPath.DETAILS_REASON) this.edit(start, end, changetype<usize>(CONTENT_FILTER), CONTENT_FILTER.byteLength);
      } else {
        this.edit(start, end, changetype<usize>(REFUSAL), REFUSAL.byteLength);
      }
    }
  }

  /** The body with every edit applied, in document order, into this.body. */
  private splice(p: usize, n: usize): void {
    const e = this.edits;
    const k = e.length >> 2;
    // text edits and ending edits are each in document order: an insertion sort is linear
    // on them but for the few ending edits it moves
    for (let i = 1; i < k; i++) {
      for (let j = i; j > 0 && unchecked(e[(j - 1) * 4]) > unchecked(e[j * 4]); j--) {
        for (let q = 0; q < 4; q++) {
          const t = unchecked(e[(j - 1) * 4 + q]);
          unchecked((e[(j - 1) * 4 + q] = e[j * 4 + q]));
          unchecked((e[j * 4 + q] = t));
        }
      }
    }
    const body = this.body;
    body.reset();
    let cursor: u32 = 0;
    for (let i = 0; i < k; i++) {
      const start = <u32>unchecked(e[i * 4]);
      if (start < cursor) continue; // one value matched by two rows: spliced once
      body.bytes(p + <usize>cursor, <usize>(start - cursor));
      body.bytes(this.reps.ptr + <usize>unchecked(e[i * 4 + 2]), <usize>unchecked(e[i * 4 + 3]));
      cursor = <u32>unchecked(e[i * 4 + 1]);
    }
    body.bytes(p + <usize>cursor, n - <usize>cursor);
  }
}
