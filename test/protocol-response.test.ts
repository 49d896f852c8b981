// Non-streamed provider answers (assembly/protocol/response_inspect.ts through
// bindings/inspect-response.ts): every text part scanned and rewritten in place, every other byte
// kept; a stop cuts the text and sets the provider's finish reason.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { createGuard, type Guard } from "../bindings/index.ts";
import { rawRequestEngine, RequestBodyError } from "../bindings/inspect-request.ts";
import { inspectResponse, responseEngine, type ResponseEngine } from "../bindings/inspect-response.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const module = new WebAssembly.Module(readFileSync(new URL("../build/test/proto_stream.wasm", import.meta.url)));

const STOP_POLICY = `version: 1
name: stop-keyword
detectors:
  custom:
    - id: codeword
      type: CODEWORD
      keywords: [bluebird]
rules:
  - id: stop-codeword
    phases: [midstream]
    when: { detector: custom, types: [CODEWORD] }
    action: stop
    message: stopped
`;

const CARD = "4532015112830366"; // Luhn-valid test Visa
const SECRET = "AKIAQWERTYUIOPASDFGH";

let guard: Guard;
let engine: ResponseEngine;
let h: number;
let hStop: number;
beforeAll(async () => {
  guard = await createGuard({ policy: "policies/default.yaml" });
  const stopGuard = await createGuard({ policy: STOP_POLICY });
  // one instance: policies and inspection share it
  const exports = new WebAssembly.Instance(module, {}).exports;
  const req = rawRequestEngine(exports);
  engine = responseEngine({ rawExports: exports, policyInfo: (x) => req.policyInfo(x) });
  h = req.loadPolicy(guard.policyBytes);
  hStop = req.loadPolicy(stopGuard.policyBytes);
});

const redacted = (t: string) => guard.scan(t, { phase: "midstream" }).text;

/** The body text with each JSON string literal of `from` replaced by that of `to`: what an
 *  in-place rewrite must give, every other byte unchanged. */
function replaced(body: string, pairs: [string, string][]): string {
  let out = body;
  for (const [from, to] of pairs) {
    const lit = JSON.stringify(from);
    expect(out.split(lit).length, `literal ${lit} once in the body`).toBe(2);
    out = out.replace(lit, () => JSON.stringify(to));
  }
  return out;
}

// Pretty-printed and with escapes, so "every other byte" is not just JSON.stringify's spelling.
const chatBody = (content: string, args: string, finish = "tool_calls") => `{
  "id": "chatcmpl-R", "object": "chat.completion", "created": 1720000000, "model": "gpt-4o-mini",
  "choices": [ {
    "index": 0,
    "message": { "role": "assistant", "content": ${JSON.stringify(content)}, "refusal": null,
      "tool_calls": [ { "id": "call_1", "type": "function", "function": { "name": "store", "arguments": ${JSON.stringify(args)} } } ],
      "annotations": [] },
    "logprobs": null, "finish_reason": "${finish}" } ],
  "usage": { "prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21 }, "note": "caf\\u00e9 \\ud83d\\ude00"
}`;

const responsesBody = (text: string, args: string, summary: string) => `{"id":"resp_R","object":"response","created_at":1755000000,"status":"completed","error":null,"incomplete_details":null,"model":"gpt-4.1-mini",
 "output":[{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":${JSON.stringify(summary)}}]},
  {"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":${JSON.stringify(text)}}]},
  {"id":"fc_1","type":"function_call","status":"completed","call_id":"call_1","name":"store","arguments":${JSON.stringify(args)}},
  {"id":"ws_1","type":"web_search_call","status":"completed"}],
 "usage":{"input_tokens":5,"output_tokens":7,"total_tokens":12}}`;

const anthropicBody = (text: string, thinking: string) => `{"id":"msg_R","type":"message","role":"assistant","model":"claude-sonnet-4-5",
 "content":[{"type":"thinking","thinking":${JSON.stringify(thinking)},"signature":"sig=="},{"type":"text","text":${JSON.stringify(text)}},
  {"type":"tool_use","id":"toolu_1","name":"store","input":{"key":"k"}}],
 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":7}}`;

describe("non-streamed responses: redaction in place", () => {
  it("OpenAI Chat: content and tool-call arguments redacted, every other byte unchanged", () => {
    const content = `Your card ${CARD} is on file.`;
    const args = JSON.stringify({ key: SECRET, region: "eu" });
    const body = chatBody(content, args);
    const r = inspectResponse(engine, h, "openai-chat", body);
    expect(r.stopped).toBe(false);
    expect(r.action).toBe("redact");
    expect(dec.decode(r.body)).toBe(replaced(body, [[content, redacted(content)], [args, redacted(args)]]));
    expect(dec.decode(r.body)).not.toContain("4532");
    expect(dec.decode(r.body)).not.toContain("QWERTY");
    expect(r.parts.map((p) => p.path)).toEqual(["choices[0].message.content", "choices[0].message.tool_calls[0].function.arguments"]);
    expect(r.parts.map((p) => p.findings.map((f) => f.detector))).toEqual([["pii"], ["secrets"]]);
  });

  it("OpenAI Responses: output text, arguments and reasoning summary redacted in place", () => {
    const text = `Card: ${CARD}.`, args = JSON.stringify({ key: SECRET }), summary = `The user gave ${CARD}`;
    const body = responsesBody(text, args, summary);
    const r = inspectResponse(engine, h, "openai-responses", body);
    expect(dec.decode(r.body)).toBe(replaced(body, [[summary, redacted(summary)], [text, redacted(text)], [args, redacted(args)]]));
    expect(dec.decode(r.body)).not.toContain("4532");
    expect(r.notScanned).toEqual([]);
  });

  it("Anthropic: text and thinking redacted in place; tool_use input reported as not scanned", () => {
    const text = `Card ${CARD} ok`, thinking = `They pasted ${CARD}`;
    const body = anthropicBody(text, thinking);
    const r = inspectResponse(engine, h, "anthropic", body);
    expect(dec.decode(r.body)).toBe(replaced(body, [[thinking, redacted(thinking)], [text, redacted(text)]]));
    expect(r.notScanned).toEqual(["content[2]"]);
    expect(r.notScannedReasons).toEqual(["opaque"]);
  });

  it("OpenAI Chat: content sent as parts (not the documented string) is scanned, not passed", () => {
    const t = `card ${CARD}`;
    const body = `{"choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"text","text":${JSON.stringify(t)}}]},"finish_reason":"stop"}]}`;
    const r = inspectResponse(engine, h, "openai-chat", body);
    expect(dec.decode(r.body)).toBe(replaced(body, [[t, redacted(t)]]));
    expect(r.parts.map((p) => p.path)).toEqual(["choices[0].message.content[0].text"]);
  });

  it("passes a clean body through as the same bytes", () => {
    const body = enc.encode(chatBody("Hello there.", "{\"q\":\"weather\"}", "stop"));
    const r = inspectResponse(engine, h, "openai-chat", body);
    expect(r.action).toBe("allow");
    expect(r.body).toEqual(body);
    expect(r.parts).toHaveLength(2);
  });

  it("refuses a malformed body with its offset", () => {
    expect(() => inspectResponse(engine, h, "anthropic", "{\"content\":[")).toThrow(RequestBodyError);
  });
});

describe("non-streamed responses: stop", () => {
  it("OpenAI Chat: text cut at the stop, later parts emptied, finish_reason content_filter", () => {
    const body = chatBody("The password is bluebird and more", JSON.stringify({ q: "secret stuff" }));
    const r = inspectResponse(engine, hStop, "openai-chat", body);
    expect(r.stopped).toBe(true);
    expect(r.rule).toBe("stop-codeword");
    expect(r.message).toBe("stopped");
    const out = dec.decode(r.body);
    expect(out).not.toContain("bluebird");
    expect(out).not.toContain("secret stuff");
    const j = JSON.parse(out);
    expect(j.choices[0].finish_reason).toBe("content_filter");
    expect(j.choices[0].message.content).toBe("The password is ");
    expect(j.choices[0].message.tool_calls[0].function.arguments).toBe("");
    expect(r.notScanned).toEqual(["choices[0].message.tool_calls[0].function.arguments"]);
    expect(r.notScannedReasons).toEqual(["after-stop"]);
    // every other byte as it came
    expect(out).toBe(body.replace("\"The password is bluebird and more\"", "\"The password is \"")
      .replace(JSON.stringify(JSON.stringify({ q: "secret stuff" })), "\"\"").replace("\"tool_calls\" }", "\"content_filter\" }"));
  });

  it("OpenAI Responses: status incomplete, incomplete_details content_filter", () => {
    const body = responsesBody("say bluebird now", "{}", "thinking");
    const r = inspectResponse(engine, hStop, "openai-responses", body);
    expect(r.stopped).toBe(true);
    const j = JSON.parse(dec.decode(r.body));
    expect(j.status).toBe("incomplete");
    expect(j.incomplete_details).toEqual({ reason: "content_filter" });
    expect(j.output[1].content[0].text).toBe("say ");
    expect(j.output[2].arguments).toBe("");
    expect(j.output[0].summary[0].text).toBe("thinking");
  });

  it("Anthropic: stop_reason refusal", () => {
    const body = anthropicBody("the word is bluebird", "plan");
    const r = inspectResponse(engine, hStop, "anthropic", body);
    expect(r.stopped).toBe(true);
    const j = JSON.parse(dec.decode(r.body));
    expect(j.stop_reason).toBe("refusal");
    expect(j.content[1].text).toBe("the word is ");
    expect(j.content[0].thinking).toBe("plan");
  });
});

describe("Guard.inspectResponse", () => {
  it("uses the guard's own engine", () => {
    const content = `card ${CARD}`;
    const r = guard.inspectResponse("openai-chat", chatBody(content, "{}"));
    expect(JSON.parse(dec.decode(r.body)).choices[0].message.content).toBe(redacted(content));
  });
});
