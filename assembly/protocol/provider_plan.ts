// What a provider module found in one SSE event, for GuardedStream to carry out: the text
// values to guard (byte span of each JSON string value, quotes included, and its channel),
// the channel groups the event ends, or why the event could not be scanned. Providers only
// read their format; the stream owns the engine scanners and the output.
//
// A channel key packs the provider's coordinates so that one u32 names a channel everywhere
// (findings, fired rules, the ABI):
//
//   bits 31..16  group   OpenAI Chat: choice `index`; Anthropic: content block `index`;
//                        OpenAI Responses: `output_index`
//   bits 15..12  kind    provider-specific (content, refusal, tool arguments, thinking, …)
//   bits 11..0   sub     OpenAI Chat: tool call `index`; Responses: `content_index` or
//                        `summary_index`; otherwise 0
//
// A group ends as a whole: a choice's finish_reason ends its content, refusal and every tool
// call; content_block_stop ends its block.
import { JsonOut } from "./json_out";

/** What to do with the event. */
export const enum PlanKind {
  /** No text: pass the raw bytes (after finishing the channels the event ends). */
  PASS = 0,
  /** Text values to guard: see count / start / end / key. */
  TEXT = 1,
  /** Could not be read: pass or drop as the stream's failOpen says, and report it. */
  NOT_SCANNED = 2,
  /** Full texts of channels to rewrite with their released text (OpenAI Responses .done and
   *  response objects): see snapCount / snapStart / snapEnd / snapKey. No delta text. */
  SNAPSHOT = 3,
}

/** Why an event was not scanned (reported in the result header). */
export const enum NotScanned {
  NONE = 0,
  /** The data is not a JSON document (RFC 8259), or a text value would not decode. */
  BAD_JSON = 1,
  /** JSON, but a text field has a shape we do not know (a number where text belongs, an
   *  unknown Anthropic delta type, a delta without its block index). */
  UNKNOWN_SHAPE = 2,
  /** The SSE block outgrew the parser's bound (sse.ts: ERROR and SKIPPED items). */
  EVENT_TOO_LARGE = 3,
  /** The stream ended inside an event (no blank line): SSE discards it (WHATWG §9.2.6). */
  INCOMPLETE = 4,
  /** A channel beyond MAX_CHANNELS, or an index that does not fit its key bits. */
  TOO_MANY_CHANNELS = 5,
  /** A snapshot (OpenAI Responses .done / response.completed text) of a channel whose released
   *  text outgrew the stream's MAX_KEPT_BYTES: it went out as "" (never the raw text). */
  SNAPSHOT_TOO_LARGE = 6,
}

export const KEY_GROUP_SHIFT: u32 = 16;
export const KEY_KIND_SHIFT: u32 = 12;
export const MAX_GROUP: u32 = 0xffff;
export const MAX_SUB: u32 = 0xfff;

// @ts-ignore: decorator
@inline export function channelKey(group: u32, kind: u32, sub: u32): u32 {
  return (group << KEY_GROUP_SHIFT) | (kind << KEY_KIND_SHIFT) | sub;
}

// @ts-ignore: decorator
@inline export function keyGroup(key: u32): u32 { return key >>> KEY_GROUP_SHIFT; }

/** Decimal digits of v. */
export function writeU32(out: JsonOut, v: u32): void {
  let digits = 1;
  for (let t = v; t >= 10; t /= 10) digits++;
  const w = out.ensure(digits);
  for (let k = digits - 1; k >= 0; k--) {
    store<u8>(w + <usize>k, <u8>(0x30 + v % 10));
    v /= 10;
  }
  out.len += digits;
}

export class EventPlan {
  kind: PlanKind = PlanKind.PASS;
  reason: NotScanned = NotScanned.NONE;
  /** Finish every open channel before this event (end of the response). */
  endAll: bool = false;
  /** Text values, in document order. */
  count: i32 = 0;
  private texts: StaticArray<u32> = new StaticArray<u32>(3 * 8);
  /** Groups this event ends. */
  endCount: i32 = 0;
  private endGroups: StaticArray<u32> = new StaticArray<u32>(8);
  /** Snapshot values (full texts), in document order. */
  snapCount: i32 = 0;
  private snaps: StaticArray<u32> = new StaticArray<u32>(3 * 8);

  reset(): void {
    this.snapCount = 0;
    this.kind = PlanKind.PASS;
    this.reason = NotScanned.NONE;
    this.endAll = false;
    this.count = 0;
    this.endCount = 0;
  }

  notScanned(reason: NotScanned): void {
    this.kind = PlanKind.NOT_SCANNED;
    this.reason = reason;
  }

  addText(start: u32, end: u32, key: u32): void {
    const o = this.count * 3;
    if (o + 3 > this.texts.length) this.texts = grow(this.texts);
    const t = this.texts;
    unchecked((t[o] = start));
    unchecked((t[o + 1] = end));
    unchecked((t[o + 2] = key));
    this.count++;
    this.kind = PlanKind.TEXT;
  }

  addSnap(start: u32, end: u32, key: u32): void {
    const o = this.snapCount * 3;
    if (o + 3 > this.snaps.length) this.snaps = grow(this.snaps);
    const t = this.snaps;
    unchecked((t[o] = start));
    unchecked((t[o + 1] = end));
    unchecked((t[o + 2] = key));
    this.snapCount++;
    this.kind = PlanKind.SNAPSHOT;
  }

  addEnd(group: u32): void {
    if (this.ends(group)) return;
    if (this.endCount == this.endGroups.length) this.endGroups = grow(this.endGroups);
    unchecked((this.endGroups[this.endCount++] = group));
  }

  /** Whether this event ends `group`. */
  ends(group: u32): bool {
    if (this.endAll) return true;
    for (let i = 0; i < this.endCount; i++) if (unchecked(this.endGroups[i]) == group) return true;
    return false;
  }

  endGroup(i: i32): u32 { return unchecked(this.endGroups[i]); }
  start(i: i32): u32 { return unchecked(this.texts[i * 3]); }
  end(i: i32): u32 { return unchecked(this.texts[i * 3 + 1]); }
  key(i: i32): u32 { return unchecked(this.texts[i * 3 + 2]); }
  snapStart(i: i32): u32 { return unchecked(this.snaps[i * 3]); }
  snapEnd(i: i32): u32 { return unchecked(this.snaps[i * 3 + 1]); }
  snapKey(i: i32): u32 { return unchecked(this.snaps[i * 3 + 2]); }
}

function grow(a: StaticArray<u32>): StaticArray<u32> {
  const next = new StaticArray<u32>(a.length << 1);
  memory.copy(changetype<usize>(next), changetype<usize>(a), <usize>a.length << 2);
  return next;
}
