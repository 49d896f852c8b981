// The text parts of one request body: every string the provider's table (request_shapes.ts)
// names as text, in document order, and every place that holds text we do not scan.
//
// One JsonScanner pass validates the whole body (a malformed body is a JsonStatus, never a
// partial answer) and finds the values; the roles then sort them. Each match's array
// indexes fill the `[]` of its row's template, so paths are exact without keeping keys.
// A `*` that met an object key instead of an array leaves an index missing: such a value
// sits where the format has an array, so it is reported (UNEXPECTED_SHAPE), not guessed at.
import { JsonScanner, JsonKind } from "./json_scanner";
import { JsonStatus } from "./json_status";
import { JsonOut } from "./json_out";
import { jsonStringIs } from "./json_fields";
import { RequestShape, Role, NotScanned } from "./request_shapes";

const OPEN_BRACKET: u32 = 0x5b;  // [
const CLOSE_BRACKET: u32 = 0x5d; // ]
const QUESTION: u32 = 0x3f;      // ? (an index that was an object key)

/**
 * Parts of one body; reuse it per provider.
 *
 * ```ts
 * const parts = new RequestParts(shapeOf(Provider.ANTHROPIC)!);
 * if (parts.scan(body, len) == JsonStatus.OK) {
 *   for (let i = 0; i < parts.count; i++) { parts.start(i); parts.end(i); parts.writePath(i, out); }
 *   for (let i = 0; i < parts.skippedCount; i++) { parts.skippedReason(i); parts.writeSkippedPath(i, out); }
 * }
 * ```
 */
export class RequestParts {
  readonly shape: RequestShape;
  readonly json: JsonScanner;
  /** text parts: scanner match indexes */
  private parts: i32[] = [];
  /** not scanned: match index << 3 | reason */
  private skipped: i32[] = [];
  private base: usize = 0;

  constructor(shape: RequestShape, maxDepth: i32 = 64) {
    this.shape = shape;
    this.json = new JsonScanner(shape.paths, maxDepth);
  }

  get count(): i32 { return this.parts.length; }
  get skippedCount(): i32 { return this.skipped.length; }
  /** Status of the last scan and where it failed (for a malformed body). */
  get status(): JsonStatus { return this.json.status; }
  get errorAt(): u32 { return this.json.errorAt; }

  /** Finds the parts of the body [p, p + n). */
  scan(p: usize, n: usize): JsonStatus {
    this.parts.length = 0;
    this.skipped.length = 0;
    this.base = p;
    const s = this.json;
    const status = s.scan(p, n);
    if (status != JsonStatus.OK) return status;
    const shape = this.shape;
    for (let i = 0; i < s.count; i++) {
      const row = <i32>s.pathId(i);
      const kind = s.kind(i);
      const role = unchecked(shape.roles[row]);
      const complete = s.indexCount(i) == holes(unchecked(shape.templates[row]));
      if (role == Role.TEXT) {
        if (kind == JsonKind.NULL) continue;
        if (!complete) this.skip(i, NotScanned.UNEXPECTED_SHAPE);
        else if (kind != JsonKind.STRING) this.skip(i, NotScanned.NOT_A_STRING);
        else this.parts.push(i);
      } else if (role == Role.STRAY) {
        if (kind == JsonKind.STRING) this.skip(i, NotScanned.UNEXPECTED_SHAPE);
      } else if (!complete) {
        this.skip(i, NotScanned.UNEXPECTED_SHAPE);
      } else if (!isOneOf(p, s.start(i), s.end(i), unchecked(shape.known[row]))) {
        this.skip(i, isOneOf(p, s.start(i), s.end(i), unchecked(shape.opaque[row])) ? NotScanned.OPAQUE : NotScanned.UNKNOWN_TYPE);
      }
    }
    return JsonStatus.OK;
  }

  /** Offset of part i's string value (its opening quote) in the body. */
  start(i: i32): u32 { return this.json.start(unchecked(this.parts[i])); }
  /** Offset just past part i's closing quote. */
  end(i: i32): u32 { return this.json.end(unchecked(this.parts[i])); }
  /** Appends part i's path (`messages[2].content[1].text`) to out. */
  writePath(i: i32, out: JsonOut): void { this.path(unchecked(this.parts[i]), out); }

  /** NotScanned reason of skipped entry i. */
  skippedReason(i: i32): NotScanned { return <NotScanned>(unchecked(this.skipped[i]) & 7); }
  /** Appends skipped entry i's path to out. */
  writeSkippedPath(i: i32, out: JsonOut): void { this.path(unchecked(this.skipped[i]) >> 3, out); }

  private skip(match: i32, reason: NotScanned): void { this.skipped.push((match << 3) | <i32>reason); }

  private path(match: i32, out: JsonOut): void {
    const s = this.json;
    const t = unchecked(this.shape.templates[<i32>s.pathId(match)]);
    let k = 0;
    for (let j = 0; j < t.length; j++) {
      const c = <u32>t.charCodeAt(j);
      out.byte(c); // templates are ASCII
      if (c == OPEN_BRACKET && j + 1 < t.length && <u32>t.charCodeAt(j + 1) == CLOSE_BRACKET) {
        const v = s.index(match, k++);
        if (v == 0xffffffff) out.byte(QUESTION);
        else writeDecimal(v, out);
      }
    }
  }
}

/** Number of `[]` holes in a template. */
function holes(t: string): i32 {
  let n = 0;
  for (let j = 0; j + 1 < t.length; j++) {
    if (<u32>t.charCodeAt(j) == OPEN_BRACKET && <u32>t.charCodeAt(j + 1) == CLOSE_BRACKET) n++;
  }
  return n;
}

/** Whether the string value at [start, end) of the body decodes to one of `list`. */
function isOneOf(p: usize, start: u32, end: u32, list: string[]): bool {
  for (let k = 0; k < list.length; k++) if (jsonStringIs(p, start, end, unchecked(list[k]))) return true;
  return false;
}

function writeDecimal(v: u32, out: JsonOut): void {
  if (v >= 10) writeDecimal(v / 10, out);
  out.byte(0x30 + v % 10);
}
