// Anthropic Messages streaming (`stream: true`): named SSE events, each with a JSON `type`
// (docs: "Streaming Messages"):
//
//   message_start → (content_block_start → content_block_delta* → content_block_stop)*
//   → message_delta → message_stop,   with ping and error events anywhere.
//
// Text channels are content_block_delta events, per block `index` (the group):
//   delta.type text_delta        delta.text          kind TEXT
//   delta.type input_json_delta  delta.partial_json  kind INPUT_JSON (tool arguments)
//   delta.type thinking_delta    delta.thinking      kind THINKING
// signature_delta (an opaque thinking signature) and citations_delta (quotes of the caller's own
// documents) carry no model text and pass. Any other delta type is NOT_SCANNED: a new kind of
// delta may carry text, and it must not pass unseen. content_block_stop ends its block;
// message_delta and message_stop end every block still open.
//
// On stop: content_block_stop for the open block, message_delta with stop_reason "refusal",
// message_stop. "refusal" is the documented stop_reason for an answer cut by a streaming
// safety classifier (docs: "Streaming refusals", Claude 4 models), which is what a guard is;
// SDKs map it to a content filter (the AI SDK: "content-filter"). The SDKs read
// message_delta.usage.output_tokens unconditionally (anthropic-sdk-typescript MessageStream),
// so usage is sent, with output_tokens 0: the guard does not know the count.
import { JsonPaths } from "./json_paths";
import { JsonScanner, JsonKind } from "./json_scanner";
import { JsonStatus } from "./json_status";
import { JsonOut } from "./json_out";
import { jsonStringIs, jsonU32 } from "./json_fields";
import { EventPlan, NotScanned, channelKey, writeU32, MAX_GROUP } from "./provider_plan";

/** Channel kinds (key bits 15..12). */
export const enum AnthropicKind { TEXT = 0, INPUT_JSON = 1, THINKING = 2 }

const enum P { TYPE = 0, INDEX = 1, DELTA_TYPE = 2, TEXT = 3, PARTIAL_JSON = 4, THINKING = 5 }

export function anthropicPaths(): JsonPaths {
  const paths = new JsonPaths();
  paths.add("type");
  paths.add("index");
  paths.add("delta.type");
  paths.add("delta.text");
  paths.add("delta.partial_json");
  paths.add("delta.thinking");
  return paths;
}

/** Reads one event's data [p, p + n) into `plan`. */
export function planAnthropic(s: JsonScanner, p: usize, n: i32, plan: EventPlan): void {
  plan.reset();
  if (s.scan(p, <usize>n) != JsonStatus.OK) {
    plan.notScanned(NotScanned.BAD_JSON);
    return;
  }
  const type = find(s, P.TYPE);
  if (type < 0) return; // not an event we know: it has no `type`, so no delta text either
  const ts = s.start(type), te = s.end(type);
  if (jsonStringIs(p, ts, te, "content_block_delta")) {
    const dt = find(s, P.DELTA_TYPE);
    if (dt < 0) { plan.notScanned(NotScanned.UNKNOWN_SHAPE); return; }
    const ds = s.start(dt), de = s.end(dt);
    let path: i32 = -1;
    let kind: u32 = 0;
    if (jsonStringIs(p, ds, de, "text_delta")) { path = P.TEXT; kind = AnthropicKind.TEXT; }
    else if (jsonStringIs(p, ds, de, "input_json_delta")) { path = P.PARTIAL_JSON; kind = AnthropicKind.INPUT_JSON; }
    else if (jsonStringIs(p, ds, de, "thinking_delta")) { path = P.THINKING; kind = AnthropicKind.THINKING; }
    else if (jsonStringIs(p, ds, de, "signature_delta") || jsonStringIs(p, ds, de, "citations_delta")) return;
    else { plan.notScanned(NotScanned.UNKNOWN_SHAPE); return; }
    const block = blockIndex(s, p);
    if (block == -2) { plan.notScanned(NotScanned.TOO_MANY_CHANNELS); return; }
    if (block < 0) { plan.notScanned(NotScanned.UNKNOWN_SHAPE); return; }
    // every copy of the field (duplicate keys are all reported) is text of this block
    let seen = false;
    for (let i = 0; i < s.count; i++) {
      if (<i32>s.pathId(i) != path) continue;
      if (s.kind(i) != JsonKind.STRING) { plan.notScanned(NotScanned.UNKNOWN_SHAPE); return; }
      plan.addText(s.start(i), s.end(i), channelKey(<u32>block, kind, 0));
      seen = true;
    }
    if (!seen) plan.notScanned(NotScanned.UNKNOWN_SHAPE);
  } else if (jsonStringIs(p, ts, te, "content_block_stop")) {
    const block = blockIndex(s, p);
    if (block >= 0) plan.addEnd(<u32>block);
  } else if (jsonStringIs(p, ts, te, "message_delta") || jsonStringIs(p, ts, te, "message_stop")) {
    plan.endAll = true;
  }
}

/** The first match of path id, or -1. */
function find(s: JsonScanner, id: u32): i32 {
  for (let i = 0; i < s.count; i++) if (s.pathId(i) == id) return i;
  return -1;
}

/** The event's block `index`: -1 when missing or not an integer, -2 when too large for a key. */
function blockIndex(s: JsonScanner, p: usize): i64 {
  const i = find(s, P.INDEX);
  if (i < 0 || s.kind(i) != JsonKind.NUMBER) return -1;
  const v = jsonU32(p, s.start(i), s.end(i));
  if (v < 0) return -1;
  return v > <i64>MAX_GROUP ? -2 : v;
}

/** Writes the stop ending to `out` for the open block `block`. */
export function anthropicStopFrames(out: JsonOut, block: u32): void {
  out.bytes(BLOCK_STOP_OPEN, BLOCK_STOP_OPEN_LEN);
  writeU32(out, block);
  out.bytes(BLOCK_STOP_CLOSE, BLOCK_STOP_CLOSE_LEN);
  out.bytes(MESSAGE_END, MESSAGE_END_LEN);
}

// 'event: content_block_stop\ndata: {"type":"content_block_stop","index":'
const BLOCK_STOP_OPEN: usize = memory.data<u8>([
  0x65, 0x76, 0x65, 0x6e, 0x74, 0x3a, 0x20, 0x63, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x5f, 0x62, 0x6c, 0x6f,
  0x63, 0x6b, 0x5f, 0x73, 0x74, 0x6f, 0x70, 0x0a, 0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0x7b, 0x22, 0x74, 0x79,
  0x70, 0x65, 0x22, 0x3a, 0x22, 0x63, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x5f, 0x62, 0x6c, 0x6f, 0x63, 0x6b,
  0x5f, 0x73, 0x74, 0x6f, 0x70, 0x22, 0x2c, 0x22, 0x69, 0x6e, 0x64, 0x65, 0x78, 0x22, 0x3a,
]);
const BLOCK_STOP_OPEN_LEN: usize = 69;

// '}\n\n'
const BLOCK_STOP_CLOSE: usize = memory.data<u8>([
  0x7d, 0x0a, 0x0a,
]);
const BLOCK_STOP_CLOSE_LEN: usize = 3;

// 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null},"usage":{"output_tokens":0}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n'
const MESSAGE_END: usize = memory.data<u8>([
  0x65, 0x76, 0x65, 0x6e, 0x74, 0x3a, 0x20, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x5f, 0x64, 0x65, 0x6c,
  0x74, 0x61, 0x0a, 0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22,
  0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x5f, 0x64, 0x65, 0x6c, 0x74, 0x61, 0x22, 0x2c, 0x22, 0x64, 0x65,
  0x6c, 0x74, 0x61, 0x22, 0x3a, 0x7b, 0x22, 0x73, 0x74, 0x6f, 0x70, 0x5f, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e,
  0x22, 0x3a, 0x22, 0x72, 0x65, 0x66, 0x75, 0x73, 0x61, 0x6c, 0x22, 0x2c, 0x22, 0x73, 0x74, 0x6f, 0x70, 0x5f,
  0x73, 0x65, 0x71, 0x75, 0x65, 0x6e, 0x63, 0x65, 0x22, 0x3a, 0x6e, 0x75, 0x6c, 0x6c, 0x7d, 0x2c, 0x22, 0x75,
  0x73, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x7b, 0x22, 0x6f, 0x75, 0x74, 0x70, 0x75, 0x74, 0x5f, 0x74, 0x6f, 0x6b,
  0x65, 0x6e, 0x73, 0x22, 0x3a, 0x30, 0x7d, 0x7d, 0x0a, 0x0a, 0x65, 0x76, 0x65, 0x6e, 0x74, 0x3a, 0x20, 0x6d,
  0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x5f, 0x73, 0x74, 0x6f, 0x70, 0x0a, 0x64, 0x61, 0x74, 0x61, 0x3a, 0x20,
  0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x5f, 0x73,
  0x74, 0x6f, 0x70, 0x22, 0x7d, 0x0a, 0x0a,
]);
const MESSAGE_END_LEN: usize = 187;
