// OpenAI Chat Completions streaming (`stream: true`): each SSE event's data is one
// chat.completion.chunk, and the stream ends with `data: [DONE]`.
//
//   data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m",
//          "choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}]}
//
// Text channels (API reference, "The chat completion chunk object"):
//   choices[].delta.content                          kind CONTENT
//   choices[].delta.refusal                          kind REFUSAL
//   choices[].delta.tool_calls[].function.arguments  kind TOOL_ARGS, sub = the tool call's `index`
//   choices[].delta.function_call.arguments          kind FUNCTION_ARGS (deprecated form)
// The group is the choice's `index` field, not its array position: OpenAI sends one choice per
// chunk (choices[0] may be choice 2), and a tool call's `index` names it across chunks in the
// same way. A non-null finish_reason ends the choice. The usage chunk (`choices: []`, with
// stream_options.include_usage) carries no text and passes as it came.
//
// On stop, the provider's own ending (what OpenAI sends when its content filter cuts an
// answer): a chunk with the last chunk's id/object/created/model and
// `"choices":[{"index":N,"delta":{},"finish_reason":"content_filter"}]`, then `data: [DONE]`.
import { JsonPaths } from "./json_paths";
import { JsonScanner, JsonKind } from "./json_scanner";
import { JsonStatus } from "./json_status";
import { JsonOut } from "./json_out";
import { jsonU32 } from "./json_fields";
import { EventPlan, NotScanned, channelKey, writeU32, MAX_GROUP, MAX_SUB } from "./provider_plan";

/** Channel kinds (key bits 15..12). */
export const enum OpenAiKind { CONTENT = 0, REFUSAL = 1, TOOL_ARGS = 2, FUNCTION_ARGS = 3 }

// path ids, in the order openAiPaths adds them
const enum P {
  CONTENT = 0, REFUSAL = 1, TOOL_ARGS = 2, FUNCTION_ARGS = 3,
  FINISH = 4, CHOICE_INDEX = 5, TOOL_INDEX = 6,
  ID = 7, OBJECT = 8, CREATED = 9, MODEL = 10,
}

export function openAiPaths(): JsonPaths {
  const paths = new JsonPaths();
  paths.add("choices.*.delta.content");
  paths.add("choices.*.delta.refusal");
  paths.add("choices.*.delta.tool_calls.*.function.arguments");
  paths.add("choices.*.delta.function_call.arguments");
  paths.add("choices.*.finish_reason");
  paths.add("choices.*.index");
  paths.add("choices.*.delta.tool_calls.*.index");
  paths.add("id");
  paths.add("object");
  paths.add("created");
  paths.add("model");
  return paths;
}

// "[DONE]"
const DONE: usize = memory.data<u8>([0x5b, 0x44, 0x4f, 0x4e, 0x45, 0x5d]);

/**
 * Reads one event's data [p, p + n) into `plan`. `head` receives the chunk's identity
 * (`{"id":…,"object":…,"created":…,"model":…`) when it has an id, for the stop chunk.
 */
export function planOpenAiChat(s: JsonScanner, p: usize, n: i32, plan: EventPlan, head: JsonOut): void {
  plan.reset();
  // The SDKs test startsWith("[DONE]") (openai-node core/streaming.ts).
  if (n >= 6 && memory.compare(p, DONE, 6) == 0) {
    plan.endAll = true;
    return;
  }
  if (s.scan(p, <usize>n) != JsonStatus.OK) {
    plan.notScanned(NotScanned.BAD_JSON);
    return;
  }
  const count = s.count;
  let id = -1, object = -1, created = -1, model = -1;
  for (let i = 0; i < count; i++) {
    const path = <i32>s.pathId(i);
    const kind = s.kind(i);
    if (path <= P.FUNCTION_ARGS) {
      if (kind == JsonKind.NULL) continue; // "content": null beside tool calls
      if (kind != JsonKind.STRING) { plan.notScanned(NotScanned.UNKNOWN_SHAPE); return; }
      const choice = choiceIndex(s, p, s.index(i, 0));
      let sub: i64 = 0;
      if (path == P.TOOL_ARGS) sub = toolIndex(s, p, s.index(i, 0), s.index(i, 1));
      if (choice < 0 || choice > <i64>MAX_GROUP || sub < 0 || sub > <i64>MAX_SUB) {
        plan.notScanned(NotScanned.TOO_MANY_CHANNELS);
        return;
      }
      plan.addText(s.start(i), s.end(i), channelKey(<u32>choice, <u32>path, <u32>sub));
    } else if (path == P.FINISH) {
      if (kind == JsonKind.NULL) continue;
      const choice = choiceIndex(s, p, s.index(i, 0));
      if (choice < 0 || choice > <i64>MAX_GROUP) { plan.notScanned(NotScanned.TOO_MANY_CHANNELS); return; }
      plan.addEnd(<u32>choice);
    } else if (path == P.ID) id = i;
    else if (path == P.OBJECT) object = i;
    else if (path == P.CREATED) created = i;
    else if (path == P.MODEL) model = i;
  }
  if (id >= 0) {
    head.reset();
    head.byte(0x7b); // {
    field(head, s, p, ID_KEY, 5, id);
    if (object >= 0) field(head, s, p, OBJECT_KEY, 10, object);
    else head.bytes(DEFAULT_OBJECT, 33);
    if (created >= 0) field(head, s, p, CREATED_KEY, 11, created);
    if (model >= 0) field(head, s, p, MODEL_KEY, 9, model);
  }
}

/** The `index` field of the choice at array position pos (its position when it has none). */
function choiceIndex(s: JsonScanner, p: usize, pos: u32): i64 {
  for (let j = 0; j < s.count; j++) {
    if (s.pathId(j) == P.CHOICE_INDEX && s.index(j, 0) == pos) return jsonU32(p, s.start(j), s.end(j));
  }
  return <i64>pos;
}

/** The `index` field of tool call tpos in choice cpos (its position when it has none). */
function toolIndex(s: JsonScanner, p: usize, cpos: u32, tpos: u32): i64 {
  for (let j = 0; j < s.count; j++) {
    if (s.pathId(j) == P.TOOL_INDEX && s.index(j, 0) == cpos && s.index(j, 1) == tpos) {
      return jsonU32(p, s.start(j), s.end(j));
    }
  }
  return <i64>tpos;
}

// `"id":`, `,"object":`, `,"created":`, `,"model":`, `,"object":"chat.completion.chunk"`
const ID_KEY: usize = memory.data<u8>([0x22, 0x69, 0x64, 0x22, 0x3a]);
const OBJECT_KEY: usize = memory.data<u8>([0x2c, 0x22, 0x6f, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x22, 0x3a]);
const CREATED_KEY: usize = memory.data<u8>([0x2c, 0x22, 0x63, 0x72, 0x65, 0x61, 0x74, 0x65, 0x64, 0x22, 0x3a]);
const MODEL_KEY: usize = memory.data<u8>([0x2c, 0x22, 0x6d, 0x6f, 0x64, 0x65, 0x6c, 0x22, 0x3a]);
const DEFAULT_OBJECT: usize = memory.data<u8>([
  0x2c, 0x22, 0x6f, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x22, 0x3a, 0x22, 0x63, 0x68, 0x61, 0x74, 0x2e, 0x63, 0x6f,
  0x6d, 0x70, 0x6c, 0x65, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x63, 0x68, 0x75, 0x6e, 0x6b, 0x22,
]);

/** key bytes, then match i's value exactly as upstream wrote it. */
function field(out: JsonOut, s: JsonScanner, p: usize, key: usize, keyLen: i32, i: i32): void {
  out.bytes(key, <usize>keyLen);
  out.bytes(p + <usize>s.start(i), <usize>(s.end(i) - s.start(i)));
}

/**
 * Writes the stop ending to `out`: a content_filter chunk for `choice`, then [DONE].
 * `head` is the last chunk's identity (empty when no chunk had an id yet).
 */
export function openAiChatStopFrames(out: JsonOut, head: JsonOut, choice: u32): void {
  out.bytes(DATA_PREFIX, 6);
  if (head.len > 0) {
    out.bytes(head.ptr, <usize>head.len);
    out.byte(0x2c); // ,
  } else {
    out.byte(0x7b); // {
    out.bytes(DEFAULT_OBJECT + 1, 32); // without the leading comma
    out.byte(0x2c);
  }
  out.bytes(CHOICES_OPEN, 20);
  writeU32(out, choice);
  out.bytes(CHOICES_CLOSE, 49);
  out.bytes(DONE_FRAME, 14);
}

// `data: `
const DATA_PREFIX: usize = memory.data<u8>([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20]);
// `"choices":[{"index":`
const CHOICES_OPEN: usize = memory.data<u8>([
  0x22, 0x63, 0x68, 0x6f, 0x69, 0x63, 0x65, 0x73, 0x22, 0x3a, 0x5b, 0x7b, 0x22, 0x69, 0x6e, 0x64, 0x65, 0x78, 0x22, 0x3a,
]);
// `,"delta":{},"finish_reason":"content_filter"}]}` LF LF
const CHOICES_CLOSE: usize = memory.data<u8>([
  0x2c, 0x22, 0x64, 0x65, 0x6c, 0x74, 0x61, 0x22, 0x3a, 0x7b, 0x7d, 0x2c, 0x22, 0x66, 0x69, 0x6e, 0x69, 0x73, 0x68,
  0x5f, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e, 0x22, 0x3a, 0x22, 0x63, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x5f, 0x66,
  0x69, 0x6c, 0x74, 0x65, 0x72, 0x22, 0x7d, 0x5d, 0x7d, 0x0a, 0x0a,
]);
// `data: [DONE]` LF LF
const DONE_FRAME: usize = memory.data<u8>([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0x5b, 0x44, 0x4f, 0x4e, 0x45, 0x5d, 0x0a, 0x0a]);
