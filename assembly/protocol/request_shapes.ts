// Where the text of a provider request lives: one table of JSON path patterns per
// provider, each with a role and the path it reports. Data apart from code: the walker
// (request_parts.ts) knows no provider, only these rows.
//
// Shapes, as the providers document them (checked 2025):
// - OpenAI Chat Completions, `POST /v1/chat/completions`: `messages[].content` is a string,
//   null (assistant turns with tool_calls) or an array of parts: `{type:"text", text}`,
//   `{type:"refusal", refusal}`, `{type:"image_url"}`, `{type:"input_audio"}`,
//   `{type:"file"}`; `messages[].tool_calls[].function.arguments` and the deprecated
//   `messages[].function_call.arguments` are JSON text in a string; `messages[].refusal`.
//   `messages[].name` is a participant id (`^[a-zA-Z0-9_-]{1,64}$`): not text, not scanned.
// - OpenAI Responses, `POST /v1/responses`: `instructions`; `input` is a string or a list
//   of items: messages (`content` a string or parts `input_text`/`output_text` `text`,
//   `refusal`, `input_image`, `input_file`, `input_audio`), `function_call` (`arguments`),
//   `function_call_output` (`output`, a string or parts), `custom_tool_call` (`input`),
//   `custom_tool_call_output`, `reasoning` (`summary[].text`), `item_reference`, and the
//   built-in tool calls, which carry no caller text.
// - Anthropic Messages, `POST /v1/messages`: `system` is a string or text blocks;
//   `messages[].content` a string or blocks: `text`, `image`, `document`, `tool_use`
//   (`input`, a JSON object), `tool_result` (`content`, a string or text/image/document/
//   search_result blocks), `thinking`, `redacted_thinking`, `search_result`, server tools.
//
// Decisions: a `text` field is scanned whatever its block's `type` says (scanning too
// much is safe, too little is not), and the `type` is read only to report what was not
// scanned. Text the engine cannot or must not rewrite is reported as not scanned, never
// passed silently: Anthropic `tool_use.input` (a JSON object of any depth; the model wrote
// it and egress checked it), `thinking` (signed: a rewrite breaks the signature),
// `document` and `search_result` blocks, and any block type this table does not know.
import { JsonPaths } from "./json_paths";

/** Request formats (the `provider` argument of wl_request_inspect). */
export const enum Provider {
  OPENAI_CHAT = 1,
  OPENAI_RESPONSES = 2,
  ANTHROPIC = 3,
}

/** What a matched value is. */
export const enum Role {
  /** a text part: a string is scanned; null is absent; anything else is reported */
  TEXT = 1,
  /** a block's `type`: known types pass, opaque and unknown ones are reported */
  TYPE = 2,
  /** a scalar where only objects belong (`content: ["hi"]`): reported when a string */
  STRAY = 3,
}

/** Why a path was not scanned (the reason code in the result). */
export const enum NotScanned {
  /** a block `type` this table does not know */
  UNKNOWN_TYPE = 1,
  /** a text field holding a number or boolean */
  NOT_A_STRING = 2,
  /** a string where the format has objects, or an object where it has arrays */
  UNEXPECTED_SHAPE = 3,
  /** text the engine does not rewrite by design (tool_use input, thinking, documents) */
  OPAQUE = 4,
}

/**
 * One provider's rows. `template` is the reported path, `[]` standing for the next array
 * index of the match (`messages[].content[].text` → `messages[2].content[1].text`).
 * For a TYPE row, `known` lists the types that need no report (text types and media) and
 * `opaque` the text-bearing types that are not scanned; the template names the block.
 */
export class RequestShape {
  readonly paths: JsonPaths = new JsonPaths();
  roles: Role[] = [];
  templates: string[] = [];
  known: string[][] = [];
  opaque: string[][] = [];

  private row(pattern: string, role: Role, template: string, known: string[] = [], opaque: string[] = []): void {
    const id = this.paths.add(pattern);
    assert(id == this.roles.length, "request_shapes: bad pattern");
    this.roles.push(role);
    this.templates.push(template);
    this.known.push(known);
    this.opaque.push(opaque);
  }

  text(pattern: string, template: string): RequestShape { this.row(pattern, Role.TEXT, template); return this; }
  stray(pattern: string, template: string): RequestShape { this.row(pattern, Role.STRAY, template); return this; }
  type(pattern: string, template: string, known: string[], opaque: string[] = []): RequestShape {
    this.row(pattern, Role.TYPE, template, known, opaque);
    return this;
  }
}

const CHAT_PARTS = ["text", "refusal", "image_url", "input_audio", "file"];
const RESPONSES_PARTS = ["input_text", "output_text", "refusal", "input_image", "input_file", "input_audio", "summary_text", "text"];
const RESPONSES_ITEMS = [
  "message", "function_call", "function_call_output", "custom_tool_call", "custom_tool_call_output", "reasoning",
  "item_reference", "file_search_call", "web_search_call", "computer_call", "computer_call_output",
  "image_generation_call", "code_interpreter_call", "local_shell_call", "local_shell_call_output",
  "mcp_list_tools", "mcp_approval_request", "mcp_approval_response", "mcp_call",
];
const ANTHROPIC_BLOCKS = ["text", "image", "tool_result", "server_tool_use", "web_search_tool_result", "redacted_thinking"];
const ANTHROPIC_OPAQUE = ["tool_use", "document", "thinking", "search_result", "container_upload"];

function openaiChat(): RequestShape {
  return new RequestShape()
    .text("messages.*.content", "messages[].content")
    .text("messages.*.content.*.text", "messages[].content[].text")
    .text("messages.*.content.*.refusal", "messages[].content[].refusal")
    .type("messages.*.content.*.type", "messages[].content[]", CHAT_PARTS)
    .stray("messages.*.content.*", "messages[].content[]")
    .text("messages.*.refusal", "messages[].refusal")
    .text("messages.*.tool_calls.*.function.arguments", "messages[].tool_calls[].function.arguments")
    .text("messages.*.function_call.arguments", "messages[].function_call.arguments");
}

function openaiResponses(): RequestShape {
  return new RequestShape()
    .text("instructions", "instructions")
    .text("input", "input")
    .type("input.*.type", "input[]", RESPONSES_ITEMS)
    .stray("input.*", "input[]")
    .text("input.*.content", "input[].content")
    .text("input.*.content.*.text", "input[].content[].text")
    .text("input.*.content.*.refusal", "input[].content[].refusal")
    .type("input.*.content.*.type", "input[].content[]", RESPONSES_PARTS)
    .stray("input.*.content.*", "input[].content[]")
    .text("input.*.arguments", "input[].arguments")
    .text("input.*.input", "input[].input")
    .text("input.*.output", "input[].output")
    .text("input.*.output.*.text", "input[].output[].text")
    .type("input.*.output.*.type", "input[].output[]", RESPONSES_PARTS)
    .text("input.*.summary.*.text", "input[].summary[].text");
}

function anthropic(): RequestShape {
  return new RequestShape()
    .text("system", "system")
    .text("system.*.text", "system[].text")
    .type("system.*.type", "system[]", ["text"])
    .stray("system.*", "system[]")
    .text("messages.*.content", "messages[].content")
    .text("messages.*.content.*.text", "messages[].content[].text")
    .type("messages.*.content.*.type", "messages[].content[]", ANTHROPIC_BLOCKS, ANTHROPIC_OPAQUE)
    .stray("messages.*.content.*", "messages[].content[]")
    .text("messages.*.content.*.content", "messages[].content[].content")
    .text("messages.*.content.*.content.*.text", "messages[].content[].content[].text")
    .type("messages.*.content.*.content.*.type", "messages[].content[].content[]", ["text", "image"], ANTHROPIC_OPAQUE)
    .stray("messages.*.content.*.content.*", "messages[].content[].content[]");
}

let shapes: StaticArray<RequestShape | null> = new StaticArray<RequestShape | null>(4);

/** The table for a provider (built on first use), or null for an unknown provider. */
export function shapeOf(provider: i32): RequestShape | null {
  if (provider < Provider.OPENAI_CHAT || provider > Provider.ANTHROPIC) return null;
  let s = unchecked(shapes[provider]);
  if (s == null) {
    s = provider == Provider.OPENAI_CHAT ? openaiChat() : provider == Provider.OPENAI_RESPONSES ? openaiResponses() : anthropic();
    unchecked((shapes[provider] = s));
  }
  return s;
}
