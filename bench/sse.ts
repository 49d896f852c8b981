// Realistic provider SSE bytes for the transform cases and the proxy's fake upstream, and
// the inverse: the text a client reads out of them (to check what the transform released).
export type Provider = "openai-chat" | "openai-responses" | "anthropic";

/** Token-sized deltas (1–6 characters, as models stream them), deterministic. */
export function tokenDeltas(text: string): string[] {
  const out: string[] = [];
  for (let i = 0, k = 0; i < text.length; k++) {
    let n = 1 + ((k * 7) % 6);
    const c = text.charCodeAt(i + n - 1);
    if (c >= 0xd800 && c <= 0xdbff) n++; // never split a surrogate pair
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

const ev = (data: unknown, event?: string) => `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;

export function openaiChatEvents(deltas: string[]): string[] {
  const base = { id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", object: "chat.completion.chunk", created: 1741569952, model: "gpt-4.1-2025-04-14", service_tier: "default", system_fingerprint: "fp_b376dfbbd5" };
  return [
    ev({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }] }),
    ...deltas.map((d) => ev({ ...base, choices: [{ index: 0, delta: { content: d }, logprobs: null, finish_reason: null }] })),
    ev({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] }),
    "data: [DONE]\n\n",
  ];
}

export function openaiResponsesEvents(deltas: string[]): string[] {
  const resp = { id: "resp_68a1", object: "response", created_at: 1755000000, status: "in_progress", model: "gpt-4.1-mini-2025-04-14", output: [] };
  let seq = 0;
  const item = { id: "msg_68a1", type: "message", status: "in_progress", content: [], role: "assistant" };
  const text = deltas.join("");
  return [
    ev({ type: "response.created", sequence_number: seq++, response: resp }, "response.created"),
    ev({ type: "response.output_item.added", sequence_number: seq++, output_index: 0, item }, "response.output_item.added"),
    ev({ type: "response.content_part.added", sequence_number: seq++, item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", annotations: [], text: "" } }, "response.content_part.added"),
    ...deltas.map((d) => ev({ type: "response.output_text.delta", sequence_number: seq++, item_id: item.id, output_index: 0, content_index: 0, delta: d, logprobs: [] }, "response.output_text.delta")),
    ev({ type: "response.output_text.done", sequence_number: seq++, item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] }, "response.output_text.done"),
    ev({ type: "response.completed", sequence_number: seq++, response: { ...resp, status: "completed" } }, "response.completed"),
  ];
}

export function anthropicEvents(deltas: string[]): string[] {
  return [
    ev({ type: "message_start", message: { id: "msg_01XFDUDYJgAACzvnptvVoYEL", type: "message", role: "assistant", content: [], model: "claude-sonnet-4-5", stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } }, "message_start"),
    ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
    ev({ type: "ping" }, "ping"),
    ...deltas.map((d) => ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: d } }, "content_block_delta")),
    ev({ type: "content_block_stop", index: 0 }, "content_block_stop"),
    ev({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: deltas.length } }, "message_delta"),
    ev({ type: "message_stop" }, "message_stop"),
  ];
}

export function sseEvents(provider: Provider, deltas: string[]): string[] {
  return provider === "openai-chat" ? openaiChatEvents(deltas) : provider === "openai-responses" ? openaiResponsesEvents(deltas) : anthropicEvents(deltas);
}

/** The streamed text a client reads from SSE bytes, and how many text events carried it. */
export function sseText(provider: Provider, body: string): { text: string; textEvents: number; done: boolean } {
  let text = "", textEvents = 0, done = false;
  for (const block of body.split("\n\n")) {
    const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(l[5] === " " ? 6 : 5)).join("\n");
    if (!data) continue;
    if (data === "[DONE]") { done = true; continue; }
    const j = JSON.parse(data);
    let t: string | undefined;
    if (provider === "openai-chat") t = j.choices?.[0]?.delta?.content || undefined;
    else if (provider === "openai-responses") { if (j.type === "response.output_text.delta") t = j.delta; if (j.type === "response.completed") done = true; }
    else { if (j.type === "content_block_delta" && j.delta?.type === "text_delta") t = j.delta.text; if (j.type === "message_stop") done = true; }
    if (t) { text += t; textEvents++; }
  }
  return { text, textEvents, done };
}
