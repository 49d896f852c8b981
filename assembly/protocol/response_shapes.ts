// Where the text of a provider's complete (non-streamed) response lives, as tables in the
// format of request_shapes.ts (the same walker, request_parts.ts, reads them), and where its
// finish reason lives, for a stop.
//
// Shapes, as the providers document them:
// - OpenAI Chat Completions (`chat.completion` object): `choices[].message.content` (string or
//   null), `.refusal`, `.tool_calls[].function.arguments` (JSON text in a string), the
//   deprecated `.function_call.arguments`, `.audio.transcript`; `choices[].finish_reason`.
// - OpenAI Responses (`response` object): `output[]` items: `message` (`content[]` parts
//   `output_text` `text`, `refusal` `refusal`), `reasoning` (`summary[].text`, `content[]`
//   `reasoning_text` `text`), `function_call` / `mcp_call` (`arguments`), `custom_tool_call`
//   (`input`), `mcp_call` `output`; the built-in tool calls carry no model text. Top-level
//   `output_text` (an SDK convenience some servers also send) is scanned when present.
//   `status` and `incomplete_details` say how it ended.
// - Anthropic Messages (`message` object): `content[]` blocks `text` (`text`), `thinking`
//   (`thinking`), `tool_use` (`input`, a JSON object), `redacted_thinking` (opaque
//   ciphertext, no text), server tool blocks; `stop_reason`.
//
// Decisions, written down:
// - Anthropic `thinking` is scanned and rewritten like text: its `signature` then no longer
//   matches, and a client that sends the block back is refused by the API. A leak is worse
//   than a failed replay.
// - Anthropic `tool_use.input` is a JSON object of any depth, which path patterns cannot
//   cover; it is reported as not scanned (OPAQUE) with its block's path, as ingress does, so
//   a host that fails closed can refuse the answer. (Streamed, the same input arrives as
//   input_json_delta text and is scanned.)
// - A `text` field is scanned whatever its part's `type` says; unknown part and item types
//   are reported (UNKNOWN_TYPE), never passed silently.
import { JsonPaths } from "./json_paths";
import { RequestShape } from "./request_shapes";

/** Response formats (the `provider` argument of wl_response_inspect). */
export const enum ResponseProvider {
  OPENAI_CHAT = 1,
  OPENAI_RESPONSES = 2,
  ANTHROPIC = 3,
}

const RESPONSES_PARTS = ["output_text", "refusal", "reasoning_text", "summary_text", "text"];
const RESPONSES_ITEMS = [
  "message", "reasoning", "function_call", "custom_tool_call", "mcp_call", "file_search_call", "web_search_call",
  "computer_call", "image_generation_call", "code_interpreter_call", "local_shell_call", "mcp_list_tools",
  "mcp_approval_request",
];
const ANTHROPIC_BLOCKS = ["text", "thinking", "redacted_thinking", "server_tool_use", "web_search_tool_result"];
const ANTHROPIC_OPAQUE = ["tool_use"];

function openaiChat(): RequestShape {
  return new RequestShape()
    .text("choices.*.message.content", "choices[].message.content")
    // content is a string in the API; a server that sends parts gets them scanned, not passed
    .text("choices.*.message.content.*.text", "choices[].message.content[].text")
    .stray("choices.*.message.content.*", "choices[].message.content[]")
    .text("choices.*.message.refusal", "choices[].message.refusal")
    .text("choices.*.message.tool_calls.*.function.arguments", "choices[].message.tool_calls[].function.arguments")
    .text("choices.*.message.function_call.arguments", "choices[].message.function_call.arguments")
    .text("choices.*.message.audio.transcript", "choices[].message.audio.transcript");
}

function openaiResponses(): RequestShape {
  return new RequestShape()
    .type("output.*.type", "output[]", RESPONSES_ITEMS)
    .text("output.*.content.*.text", "output[].content[].text")
    .text("output.*.content.*.refusal", "output[].content[].refusal")
    .type("output.*.content.*.type", "output[].content[]", RESPONSES_PARTS)
    .text("output.*.summary.*.text", "output[].summary[].text")
    .text("output.*.arguments", "output[].arguments")
    .text("output.*.input", "output[].input")
    .text("output.*.output", "output[].output")
    .text("output_text", "output_text");
}

function anthropic(): RequestShape {
  return new RequestShape()
    .text("content.*.text", "content[].text")
    .text("content.*.thinking", "content[].thinking")
    .type("content.*.type", "content[]", ANTHROPIC_BLOCKS, ANTHROPIC_OPAQUE)
    .stray("content.*", "content[]");
}

let shapes: StaticArray<RequestShape | null> = new StaticArray<RequestShape | null>(4);

/** The text table for a provider (built on first use), or null for an unknown provider. */
export function responseShapeOf(provider: i32): RequestShape | null {
  if (provider < ResponseProvider.OPENAI_CHAT || provider > ResponseProvider.ANTHROPIC) return null;
  let s = unchecked(shapes[provider]);
  if (s == null) {
    s = provider == ResponseProvider.OPENAI_CHAT ? openaiChat() : provider == ResponseProvider.OPENAI_RESPONSES ? openaiResponses() : anthropic();
    unchecked((shapes[provider] = s));
  }
  return s;
}

/** Path ids of endingPaths(). */
export const enum EndPath {
  /** OpenAI Chat `choices.*.finish_reason`; Responses `status`; Anthropic `stop_reason` */
  REASON = 0,
  /** Responses `incomplete_details` (when null) */
  DETAILS = 1,
  /** Responses `incomplete_details.reason` (when an object) */
  DETAILS_REASON = 2,
}

/** Paths of the fields a stop rewrites (see EndPath). */
export function endingPaths(provider: i32): JsonPaths {
  const paths = new JsonPaths();
  if (provider == ResponseProvider.OPENAI_CHAT) {
    paths.add("choices.*.finish_reason");
  } else if (provider == ResponseProvider.OPENAI_RESPONSES) {
    paths.add("status");
    paths.add("incomplete_details");
    paths.add("incomplete_details.reason");
  } else {
    paths.add("stop_reason");
  }
  return paths;
}
