// OpenAI Responses streaming (`POST /v1/responses`, `stream: true`): named SSE events whose data
// is one JSON object with a `type` equal to the event name and a `sequence_number`; the stream
// ends with response.completed, response.incomplete or response.failed (there is no [DONE]).
// Shapes checked against the API reference ("Streaming events") and openai-node 6.x
// (resources/responses/responses.ts, lib/responses/ResponseAccumulator.ts).
//
//   event: response.output_text.delta
//   data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,
//          "content_index":0,"delta":"Hel","logprobs":[],"sequence_number":4}
//
// Channels: group = output_index, sub = content_index (or summary_index), kind:
//   response.output_text.delta              `delta`   CONTENT    sub content_index
//   response.refusal.delta                  `delta`   REFUSAL    sub content_index
//   response.function_call_arguments.delta  `delta`   ARGS       sub 0
//   response.mcp_call_arguments.delta       `delta`   ARGS       sub 0
//   response.reasoning_summary_text.delta   `delta`   SUMMARY    sub summary_index
//   response.reasoning_text.delta           `delta`   REASONING  sub content_index
// Any other event with a string `delta` (audio, code interpreter code, custom tool input …) is
// NOT_SCANNED: a new kind of delta may carry text, and it must not pass unseen.
//
// Snapshots: events that repeat a channel's FULL text. The SDK's accumulator replaces its
// snapshot with them (`content.text = event.text`), so they must carry the released text, never
// the raw one. GuardedStream rewrites each with the channel's kept released text (see there):
//   response.output_text.done `text`, response.refusal.done `refusal`,
//   response.function_call_arguments.done / mcp_call_arguments.done `arguments`,
//   response.reasoning_summary_text.done / reasoning_text.done `text`,
//   response.content_part.added/done `part.text` / `part.refusal`,
//   response.reasoning_summary_part.added/done `part.text`,
//   response.output_item.added/done `item.content[].text|refusal`, `item.arguments`,
//   `item.summary[].text`,
//   response.created / in_progress / completed / incomplete / failed
//   `response.output[].content[].text|refusal`, `.arguments`, `.summary[].text`.
// An item's content text is CONTENT in a "message" item and REASONING otherwise; `arguments`
// is ARGS whatever the item type (function_call, mcp_call).
//
// A tail delta (guarded_stream.ts: a channel's held-back words, sent before the event that ends
// it) is a copy of the channel's last delta, sequence_number included: sequence numbers stay
// non-decreasing but may repeat once per channel end (the SDKs only compare them when resuming).
//
// Ends: a .done / part.done / output_item.done event ends its output_index group (the text of
// one output item arrives in order, part after part; a later part reopens its channel); the
// terminal events and `error` end every channel.
//
// On stop: `response.incomplete` (the API's own terminal event for a cut answer) whose response
// has the stream's id / created_at / model, "status":"incomplete",
// "incomplete_details":{"reason":"content_filter"} (a documented reason), "error":null and the
// output items seen so far with the text they released (responsesStopFrames; an item whose
// output_item.done came is "completed", the others "incomplete"), with
// sequence_number one past the last seen; then nothing more.
import { JsonPaths } from "./json_paths";
import { JsonScanner, JsonKind } from "./json_scanner";
import { JsonStatus } from "./json_status";
import { JsonOut } from "./json_out";
import { jsonStringIs, jsonU32 } from "./json_fields";
import { encodeJsonString } from "./json_encode";
import { Channel } from "./provider_channel";
import { EventPlan, NotScanned, channelKey, keyGroup, writeU32, MAX_GROUP, MAX_SUB, KEY_KIND_SHIFT } from "./provider_plan";

// @ts-ignore: decorator
@inline function keyKind(key: u32): u32 { return (key >>> KEY_KIND_SHIFT) & 15; }

/** Channel kinds (key bits 15..12). */
export const enum ResponsesKind { CONTENT = 0, REFUSAL = 1, ARGS = 2, SUMMARY = 3, REASONING = 4 }

// path ids, in the order responsesPaths adds them
const enum P {
  TYPE = 0, DELTA = 1, OUTPUT_INDEX = 2, CONTENT_INDEX = 3, SUMMARY_INDEX = 4, SEQ = 5,
  TEXT = 6, REFUSAL = 7, ARGUMENTS = 8,
  PART_TYPE = 9, PART_TEXT = 10, PART_REFUSAL = 11,
  ITEM_TYPE = 12, ITEM_TEXT = 13, ITEM_REFUSAL = 14, ITEM_ARGS = 15, ITEM_SUMMARY = 16,
  OUT_TYPE = 17, OUT_TEXT = 18, OUT_REFUSAL = 19, OUT_ARGS = 20, OUT_SUMMARY = 21,
  RESP_ID = 22, RESP_CREATED = 23, RESP_MODEL = 24,
  ITEM_ID = 25, ITEM_CALL_ID = 26, ITEM_NAME = 27,
}

export function responsesPaths(): JsonPaths {
  const paths = new JsonPaths();
  paths.add("type");
  paths.add("delta");
  paths.add("output_index");
  paths.add("content_index");
  paths.add("summary_index");
  paths.add("sequence_number");
  paths.add("text");
  paths.add("refusal");
  paths.add("arguments");
  paths.add("part.type");
  paths.add("part.text");
  paths.add("part.refusal");
  paths.add("item.type");
  paths.add("item.content.*.text");
  paths.add("item.content.*.refusal");
  paths.add("item.arguments");
  paths.add("item.summary.*.text");
  paths.add("response.output.*.type");
  paths.add("response.output.*.content.*.text");
  paths.add("response.output.*.content.*.refusal");
  paths.add("response.output.*.arguments");
  paths.add("response.output.*.summary.*.text");
  paths.add("response.id");
  paths.add("response.created_at");
  paths.add("response.model");
  paths.add("item.id");
  paths.add("item.call_id");
  paths.add("item.name");
  return paths;
}

/** Output items the stop frame lists; later ones are left out of it. */
export const MAX_ITEMS: i32 = 64;

const enum ItemKind { OTHER = 0, MESSAGE = 1, REASONING = 2 }

/** What the stop frame needs from earlier events. */
export class ResponsesHead {
  /** `"id":…,"created_at":…,"model":…` of the last response object seen (values verbatim). */
  readonly identity: JsonOut = new JsonOut(128);
  /** sequence_number of the last event, or -1. */
  seq: i64 = -1;
  /** per output item (output_item.added / .done): its output_index, kind, and its
   *  `"id":…,"type":…,"call_id":…,"name":…` fields verbatim */
  itemGroup: Array<u32> = new Array<u32>();
  itemKind: Array<u32> = new Array<u32>();
  itemFields: Array<JsonOut> = new Array<JsonOut>();
  /** output_item.done came: the item is listed as "completed", else "incomplete" */
  itemDone: Array<bool> = new Array<bool>();

  /** The fields buffer for item `group` (reset), or null past MAX_ITEMS. */
  item(group: u32, kind: u32, done: bool): JsonOut | null {
    let i = this.itemGroup.indexOf(group);
    if (i < 0) {
      if (this.itemGroup.length >= MAX_ITEMS) return null;
      i = this.itemGroup.length;
      this.itemGroup.push(group);
      this.itemKind.push(kind);
      this.itemFields.push(new JsonOut(96));
      this.itemDone.push(false);
    }
    unchecked((this.itemKind[i] = kind));
    unchecked((this.itemDone[i] = done));
    const f = unchecked(this.itemFields[i]);
    f.reset();
    return f;
  }
}

// event kinds, from `type`
const enum E {
  OTHER = 0,
  TEXT_DELTA, REFUSAL_DELTA, ARGS_DELTA, MCP_ARGS_DELTA, SUMMARY_DELTA, REASONING_DELTA,
  TEXT_DONE, REFUSAL_DONE, ARGS_DONE, MCP_ARGS_DONE, SUMMARY_DONE, REASONING_DONE,
  PART_ADDED, PART_DONE, SUMMARY_PART_ADDED, SUMMARY_PART_DONE,
  ITEM_ADDED, ITEM_DONE,
  CREATED, IN_PROGRESS, COMPLETED, INCOMPLETE, FAILED, ERROR,
}

function eventKind(p: usize, s: u32, e: u32): i32 {
  if (jsonStringIs(p, s, e, "response.output_text.delta")) return E.TEXT_DELTA;
  if (jsonStringIs(p, s, e, "response.refusal.delta")) return E.REFUSAL_DELTA;
  if (jsonStringIs(p, s, e, "response.function_call_arguments.delta")) return E.ARGS_DELTA;
  if (jsonStringIs(p, s, e, "response.mcp_call_arguments.delta")) return E.MCP_ARGS_DELTA;
  if (jsonStringIs(p, s, e, "response.reasoning_summary_text.delta")) return E.SUMMARY_DELTA;
  if (jsonStringIs(p, s, e, "response.reasoning_text.delta")) return E.REASONING_DELTA;
  if (jsonStringIs(p, s, e, "response.output_text.done")) return E.TEXT_DONE;
  if (jsonStringIs(p, s, e, "response.refusal.done")) return E.REFUSAL_DONE;
  if (jsonStringIs(p, s, e, "response.function_call_arguments.done")) return E.ARGS_DONE;
  if (jsonStringIs(p, s, e, "response.mcp_call_arguments.done")) return E.MCP_ARGS_DONE;
  if (jsonStringIs(p, s, e, "response.reasoning_summary_text.done")) return E.SUMMARY_DONE;
  if (jsonStringIs(p, s, e, "response.reasoning_text.done")) return E.REASONING_DONE;
  if (jsonStringIs(p, s, e, "response.content_part.added")) return E.PART_ADDED;
  if (jsonStringIs(p, s, e, "response.content_part.done")) return E.PART_DONE;
  if (jsonStringIs(p, s, e, "response.reasoning_summary_part.added")) return E.SUMMARY_PART_ADDED;
  if (jsonStringIs(p, s, e, "response.reasoning_summary_part.done")) return E.SUMMARY_PART_DONE;
  if (jsonStringIs(p, s, e, "response.output_item.added")) return E.ITEM_ADDED;
  if (jsonStringIs(p, s, e, "response.output_item.done")) return E.ITEM_DONE;
  if (jsonStringIs(p, s, e, "response.created")) return E.CREATED;
  if (jsonStringIs(p, s, e, "response.in_progress")) return E.IN_PROGRESS;
  if (jsonStringIs(p, s, e, "response.completed")) return E.COMPLETED;
  if (jsonStringIs(p, s, e, "response.incomplete")) return E.INCOMPLETE;
  if (jsonStringIs(p, s, e, "response.failed")) return E.FAILED;
  if (jsonStringIs(p, s, e, "error")) return E.ERROR;
  return E.OTHER;
}

/** Reads one event's data [p, p + n) into `plan`; keeps what the stop frame needs in `head`. */
export function planResponses(s: JsonScanner, p: usize, n: i32, plan: EventPlan, head: ResponsesHead): void {
  plan.reset();
  if (s.scan(p, <usize>n) != JsonStatus.OK) {
    plan.notScanned(NotScanned.BAD_JSON);
    return;
  }
  const ti = find(s, P.TYPE);
  const ev = ti < 0 ? E.OTHER : eventKind(p, s.start(ti), s.end(ti));
  const seq = find(s, P.SEQ);
  if (seq >= 0) {
    const v = jsonU32(p, s.start(seq), s.end(seq));
    if (v >= 0) head.seq = v;
  }
  if (ev == E.OTHER) {
    // an unknown event that carries a string `delta` may be text we cannot place
    const d = find(s, P.DELTA);
    if (d >= 0 && s.kind(d) == JsonKind.STRING) plan.notScanned(NotScanned.UNKNOWN_SHAPE);
    return;
  }
  if (ev >= E.CREATED) {
    keepIdentity(s, p, head);
    if (ev >= E.COMPLETED) plan.endAll = true;
  }
  const output = numberAt(s, p, P.OUTPUT_INDEX);
  if (ev <= E.REASONING_DELTA) {
    const d = find(s, P.DELTA);
    if (d < 0 || s.kind(d) != JsonKind.STRING) { plan.notScanned(NotScanned.UNKNOWN_SHAPE); return; }
    let kind: u32 = ResponsesKind.CONTENT;
    let sub: i64 = 0;
    if (ev == E.TEXT_DELTA) sub = numberAt(s, p, P.CONTENT_INDEX);
    else if (ev == E.REFUSAL_DELTA) { kind = ResponsesKind.REFUSAL; sub = numberAt(s, p, P.CONTENT_INDEX); }
    else if (ev == E.SUMMARY_DELTA) { kind = ResponsesKind.SUMMARY; sub = numberAt(s, p, P.SUMMARY_INDEX); }
    else if (ev == E.REASONING_DELTA) { kind = ResponsesKind.REASONING; sub = numberAt(s, p, P.CONTENT_INDEX); }
    else kind = ResponsesKind.ARGS;
    if (!fits(output, sub, plan)) return;
    for (let i = 0; i < s.count; i++) {
      if (s.pathId(i) == P.DELTA) plan.addText(s.start(i), s.end(i), channelKey(<u32>output, kind, <u32>sub));
    }
    return;
  }
  if (ev <= E.SUMMARY_PART_DONE) {
    // a .done of one channel, or a content / summary part
    let kind: u32 = ResponsesKind.CONTENT;
    let sub: i64 = numberAt(s, p, P.CONTENT_INDEX);
    let path1: i32 = -1, path2: i32 = -1;
    if (ev == E.TEXT_DONE) path1 = P.TEXT;
    else if (ev == E.REFUSAL_DONE) { kind = ResponsesKind.REFUSAL; path1 = P.REFUSAL; }
    else if (ev == E.ARGS_DONE || ev == E.MCP_ARGS_DONE) { kind = ResponsesKind.ARGS; sub = 0; path1 = P.ARGUMENTS; }
    else if (ev == E.SUMMARY_DONE) { kind = ResponsesKind.SUMMARY; sub = numberAt(s, p, P.SUMMARY_INDEX); path1 = P.TEXT; }
    else if (ev == E.REASONING_DONE) { kind = ResponsesKind.REASONING; path1 = P.TEXT; }
    else if (ev == E.SUMMARY_PART_ADDED || ev == E.SUMMARY_PART_DONE) {
      kind = ResponsesKind.SUMMARY; sub = numberAt(s, p, P.SUMMARY_INDEX); path1 = P.PART_TEXT;
    } else {
      const pt = find(s, P.PART_TYPE);
      if (pt >= 0 && jsonStringIs(p, s.start(pt), s.end(pt), "reasoning_text")) kind = ResponsesKind.REASONING;
      path1 = P.PART_TEXT;
      path2 = P.PART_REFUSAL;
    }
    if (!fits(output, sub, plan)) return;
    for (let i = 0; i < s.count; i++) {
      const id = <i32>s.pathId(i);
      if (id != path1 && id != path2) continue;
      if (!snap(s, i, plan)) return;
      const k = id == P.PART_REFUSAL ? <u32>ResponsesKind.REFUSAL : kind;
      plan.addSnap(s.start(i), s.end(i), channelKey(<u32>output, k, <u32>sub));
    }
    if (ev != E.PART_ADDED && ev != E.SUMMARY_PART_ADDED) plan.addEnd(<u32>output);
    return;
  }
  if (ev == E.ITEM_ADDED || ev == E.ITEM_DONE) {
    if (!fits(output, 0, plan)) return;
    const it = find(s, P.ITEM_TYPE);
    const message = it >= 0 && jsonStringIs(p, s.start(it), s.end(it), "message");
    keepItem(s, p, head, <u32>output, message ? ItemKind.MESSAGE :
      it >= 0 && jsonStringIs(p, s.start(it), s.end(it), "reasoning") ? ItemKind.REASONING : ItemKind.OTHER, ev == E.ITEM_DONE);
    for (let i = 0; i < s.count; i++) {
      const id = <i32>s.pathId(i);
      let kind: u32 = 0;
      let sub: u32 = 0;
      if (id == P.ITEM_TEXT) { kind = message ? ResponsesKind.CONTENT : ResponsesKind.REASONING; sub = s.index(i, 0); }
      else if (id == P.ITEM_REFUSAL) { kind = ResponsesKind.REFUSAL; sub = s.index(i, 0); }
      else if (id == P.ITEM_SUMMARY) { kind = ResponsesKind.SUMMARY; sub = s.index(i, 0); }
      else if (id == P.ITEM_ARGS) kind = ResponsesKind.ARGS;
      else continue;
      if (!snap(s, i, plan)) return;
      if (sub > MAX_SUB) { plan.notScanned(NotScanned.TOO_MANY_CHANNELS); return; }
      plan.addSnap(s.start(i), s.end(i), channelKey(<u32>output, kind, sub));
    }
    if (ev == E.ITEM_DONE) plan.addEnd(<u32>output);
    return;
  }
  // a response object: response.output[o] …
  for (let i = 0; i < s.count; i++) {
    const id = <i32>s.pathId(i);
    if (id < P.OUT_TEXT || id > P.OUT_SUMMARY) continue;
    const o = s.index(i, 0);
    let kind: u32 = ResponsesKind.ARGS;
    let sub: u32 = 0;
    if (id == P.OUT_TEXT) kind = outputIsMessage(s, p, o) ? ResponsesKind.CONTENT : ResponsesKind.REASONING;
    else if (id == P.OUT_REFUSAL) kind = ResponsesKind.REFUSAL;
    else if (id == P.OUT_SUMMARY) kind = ResponsesKind.SUMMARY;
    if (id != P.OUT_ARGS) sub = s.index(i, 1);
    if (!snap(s, i, plan)) return;
    if (o > MAX_GROUP || sub > MAX_SUB) { plan.notScanned(NotScanned.TOO_MANY_CHANNELS); return; }
    plan.addSnap(s.start(i), s.end(i), channelKey(o, kind, sub));
  }
}

/** A snapshot value must be a string (null is allowed and skipped by the caller's check). */
function snap(s: JsonScanner, i: i32, plan: EventPlan): bool {
  if (s.kind(i) == JsonKind.STRING) return true;
  if (s.kind(i) == JsonKind.NULL) return true;
  plan.notScanned(NotScanned.UNKNOWN_SHAPE);
  return false;
}

function fits(group: i64, sub: i64, plan: EventPlan): bool {
  if (group < 0 || sub < 0) { plan.notScanned(NotScanned.UNKNOWN_SHAPE); return false; }
  if (group > <i64>MAX_GROUP || sub > <i64>MAX_SUB) { plan.notScanned(NotScanned.TOO_MANY_CHANNELS); return false; }
  return true;
}

function outputIsMessage(s: JsonScanner, p: usize, o: u32): bool {
  for (let j = 0; j < s.count; j++) {
    if (s.pathId(j) == P.OUT_TYPE && s.index(j, 0) == o) return jsonStringIs(p, s.start(j), s.end(j), "message");
  }
  return false;
}

/** The first match of path id, or -1. */
function find(s: JsonScanner, id: u32): i32 {
  for (let i = 0; i < s.count; i++) if (s.pathId(i) == id) return i;
  return -1;
}

/** The integer at path id: -1 when missing or not a non-negative integer. */
function numberAt(s: JsonScanner, p: usize, id: u32): i64 {
  const i = find(s, id);
  if (i < 0 || s.kind(i) != JsonKind.NUMBER) return -1;
  return jsonU32(p, s.start(i), s.end(i));
}

/** Keeps an output item's scalar identity fields for the stop frame. */
function keepItem(s: JsonScanner, p: usize, head: ResponsesHead, group: u32, kind: u32, done: bool): void {
  const f = head.item(group, kind, done);
  if (f == null) return;
  for (let i = 0; i < s.count; i++) {
    const id = s.pathId(i);
    let key: ArrayBuffer;
    if (id == P.ITEM_ID) key = ITEM_ID_KEY;
    else if (id == P.ITEM_TYPE) key = ITEM_TYPE_KEY;
    else if (id == P.ITEM_CALL_ID) key = ITEM_CALL_ID_KEY;
    else if (id == P.ITEM_NAME) key = ITEM_NAME_KEY;
    else continue;
    if (f.len > 0) f.byte(0x2c); // ,
    lit(f, key);
    f.bytes(p + <usize>s.start(i), <usize>(s.end(i) - s.start(i)));
  }
}

function keepIdentity(s: JsonScanner, p: usize, head: ResponsesHead): void {
  const id = find(s, P.RESP_ID);
  if (id < 0 || s.kind(id) != JsonKind.STRING) return;
  const h = head.identity;
  h.reset();
  lit(h, ID_KEY);
  h.bytes(p + <usize>s.start(id), <usize>(s.end(id) - s.start(id)));
  const c = find(s, P.RESP_CREATED);
  if (c >= 0) {
    lit(h, CREATED_KEY);
    h.bytes(p + <usize>s.start(c), <usize>(s.end(c) - s.start(c)));
  }
  const m = find(s, P.RESP_MODEL);
  if (m >= 0) {
    lit(h, MODEL_KEY);
    h.bytes(p + <usize>s.start(m), <usize>(s.end(m) - s.start(m)));
  }
}

// Frame pieces, encoded once at start-up.
const ID_KEY = String.UTF8.encode(`"id":`);
const CREATED_KEY = String.UTF8.encode(`,"created_at":`);
const MODEL_KEY = String.UTF8.encode(`,"model":`);
const STOP_OPEN = String.UTF8.encode(`event: response.incomplete\ndata: {"type":"response.incomplete","sequence_number":`);
const STOP_RESPONSE = String.UTF8.encode(`,"response":{`);
const STOP_NO_ID = String.UTF8.encode(`"id":null`);
const STOP_STATUS = String.UTF8.encode(
  `,"object":"response","status":"incomplete","incomplete_details":{"reason":"content_filter"},"error":null,"output":[`,
);
const STOP_CLOSE = String.UTF8.encode(`]}}\n\n`);
const ITEM_ID_KEY = String.UTF8.encode(`"id":`);
const ITEM_TYPE_KEY = String.UTF8.encode(`"type":`);
const ITEM_CALL_ID_KEY = String.UTF8.encode(`"call_id":`);
const ITEM_NAME_KEY = String.UTF8.encode(`"name":`);
const ITEM_STATUS = String.UTF8.encode(`"status":"incomplete"`);
const ITEM_COMPLETED = String.UTF8.encode(`"status":"completed"`);
const MESSAGE_CONTENT = String.UTF8.encode(`,"role":"assistant","content":[`);
const OUTPUT_TEXT = String.UTF8.encode(`{"type":"output_text","annotations":[],"text":`);
const REFUSAL_PART = String.UTF8.encode(`{"type":"refusal","refusal":`);
const SUMMARY = String.UTF8.encode(`,"summary":[`);
const SUMMARY_TEXT = String.UTF8.encode(`{"type":"summary_text","text":`);
const REASONING_CONTENT = String.UTF8.encode(`],"content":[`);
const REASONING_TEXT = String.UTF8.encode(`{"type":"reasoning_text","text":`);
const ARGUMENTS = String.UTF8.encode(`,"arguments":`);

// @ts-ignore: decorator
@inline function lit(out: JsonOut, b: ArrayBuffer): void {
  out.bytes(changetype<usize>(b), <usize>b.byteLength);
}

/**
 * Writes the stop ending to `out`: one response.incomplete event (see the file comment) whose
 * `output` lists every item seen (output_index order, at most MAX_ITEMS) with what its channels
 * released: a message's output_text / refusal parts, a reasoning item's summary and text, a
 * call's arguments. The SDK's accumulator replaces its snapshot with this response, so its
 * finalResponse() shows what the client was shown.
 */
export function responsesStopFrames(out: JsonOut, head: ResponsesHead, channels: Array<Channel>): void {
  lit(out, STOP_OPEN);
  writeU32(out, <u32>(head.seq + 1));
  lit(out, STOP_RESPONSE);
  if (head.identity.len > 0) out.bytes(head.identity.ptr, <usize>head.identity.len);
  else lit(out, STOP_NO_ID);
  lit(out, STOP_STATUS);
  const groups = head.itemGroup;
  let prev: i64 = -1;
  for (let n = 0; n < groups.length; n++) {
    // the next output_index up (items are few: a selection per item)
    let at = -1;
    for (let i = 0; i < groups.length; i++) {
      const g = <i64>unchecked(groups[i]);
      if (g > prev && (at < 0 || g < <i64>unchecked(groups[at]))) at = i;
    }
    const group = unchecked(groups[at]);
    prev = <i64>group;
    if (n > 0) out.byte(0x2c);
    out.byte(0x7b); // {
    const f = unchecked(head.itemFields[at]);
    out.bytes(f.ptr, <usize>f.len);
    if (f.len > 0) out.byte(0x2c);
    lit(out, unchecked(head.itemDone[at]) ? ITEM_COMPLETED : ITEM_STATUS);
    const kind = unchecked(head.itemKind[at]);
    if (kind == ItemKind.MESSAGE) {
      lit(out, MESSAGE_CONTENT);
      parts(out, channels, group, ResponsesKind.CONTENT, ResponsesKind.REFUSAL, OUTPUT_TEXT, REFUSAL_PART);
      out.byte(0x5d); // ]
    } else if (kind == ItemKind.REASONING) {
      lit(out, SUMMARY);
      parts(out, channels, group, ResponsesKind.SUMMARY, 0xff, SUMMARY_TEXT, SUMMARY_TEXT);
      lit(out, REASONING_CONTENT);
      parts(out, channels, group, ResponsesKind.REASONING, 0xff, REASONING_TEXT, REASONING_TEXT);
      out.byte(0x5d);
    } else {
      for (let c = 0; c < channels.length; c++) {
        const ch = unchecked(channels[c]);
        if (keyGroup(ch.key) != group || keyKind(ch.key) != ResponsesKind.ARGS) continue;
        lit(out, ARGUMENTS);
        keptString(out, ch);
        break;
      }
    }
    out.byte(0x7d); // }
  }
  lit(out, STOP_CLOSE);
}

/** The parts of `group` whose kind is k1 (written after open1) or k2 (after open2), in the
 *  order their channels were opened. */
function parts(out: JsonOut, channels: Array<Channel>, group: u32, k1: u32, k2: u32, open1: ArrayBuffer, open2: ArrayBuffer): void {
  let k = 0;
  for (let c = 0; c < channels.length; c++) {
    const ch = unchecked(channels[c]);
    if (keyGroup(ch.key) != group) continue;
    const kind = keyKind(ch.key);
    if (kind != k1 && kind != k2) continue;
    if (k++ > 0) out.byte(0x2c);
    lit(out, kind == k1 ? open1 : open2);
    keptString(out, ch);
    out.byte(0x7d);
  }
}

/** The channel's released text as a JSON string ("" when it was not kept). */
function keptString(out: JsonOut, ch: Channel): void {
  out.byte(0x22);
  const kept = ch.kept;
  if (kept != null && !ch.keptOver) encodeJsonString(kept.ptr, <usize>kept.len, out);
  out.byte(0x22);
}
