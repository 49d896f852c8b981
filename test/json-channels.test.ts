// JSON text channels (assembly/protocol/json_*.ts), run as compiled wasm through
// assembly/entry/test/json.ts: finding string values at paths in provider payloads,
// decoding them to UTF-8 with per-channel surrogate carries, encoding released text
// exactly as JSON.stringify does, and rebuilding a payload with one value replaced.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { loadTestWasm } from "./helpers/test-wasm.ts";

const wasm = loadTestWasm("json");
const x = wasm.exports;
/** jsonStringIs through the test entry (a wasm bool arrives as 0 or 1). */
const stringIs = (start: number, end: number, lit: number): boolean => x.stringIs(start, end, lit) === 1;
const utf8 = new TextEncoder();
// ignoreBOM: a leading U+FEFF is text here, not a byte order mark (the default decoder would drop it)
const text = new TextDecoder("utf-8", { ignoreBOM: true });
const NONE = 0xffffffff;

// JsonStatus (assembly/protocol/json_status.ts)
const OK = 0, TRUNCATED = 1, SYNTAX = 2, BAD_ESCAPE = 3, BAD_UTF8 = 4, CONTROL_CHAR = 5, DEPTH_EXCEEDED = 6,
  TOO_MANY_MATCHES = 7, BAD_NUMBER = 8, TRAILING_DATA = 9, BAD_PATH = 10, TOO_MANY_PATHS = 11, BAD_SPAN = 12;
// JsonKind
const KIND = ["", "string", "number", "true", "false", "null"] as const;

const bytesOf = (s: string | Uint8Array) => (typeof s === "string" ? utf8.encode(s) : s);

function setPaths(list: string[], maxDepth = 64): void {
  x.resetPaths(maxDepth);
  const b = utf8.encode(list.join("\n"));
  wasm.write(x.buf(0, b.length), b);
  expect(x.parsePaths(b.length)).toBe(OK);
}

interface Match { path: number; kind: string; start: number; end: number; raw: string; indexes: number[] }
interface Scan { status: number; errorAt: number; matches: Match[]; bytes: Uint8Array }

function scan(doc: string | Uint8Array): Scan {
  const bytes = bytesOf(doc);
  wasm.write(x.buf(0, bytes.length), bytes);
  const status = x.scan(bytes.length);
  const matches: Match[] = [];
  for (let i = 0; i < x.matchCount(); i++) {
    const start = x.matchStart(i), end = x.matchEnd(i);
    const indexes: number[] = [];
    for (let k = 0; k < x.matchIndexCount(i); k++) indexes.push(x.matchIndex(i, k) >>> 0);
    matches.push({ path: x.matchPath(i), kind: KIND[x.matchKind(i)], start, end, raw: text.decode(bytes.slice(start, end)), indexes });
  }
  return { status, errorAt: x.errorAt() >>> 0, matches, bytes };
}

function readOut(): Uint8Array { return wasm.read(x.outPtr(), x.outLen()); }

/** Decodes a string value's content (span without quotes) of the payload now in buf 0 on channel ch. */
function decodeSpan(ch: number, m: Match): number { return x.decode(ch, m.start + 1, m.end - m.start - 2); }

/** Decodes one string value on its own (no carry); returns [status, bytes]. */
function decodeAlone(content: string | Uint8Array): [number, Uint8Array] {
  const b = bytesOf(content);
  wasm.write(x.buf(0, b.length), b);
  x.outReset();
  const s = x.decodeAlone(0, b.length);
  return [s, readOut()];
}

function encode(bytes: Uint8Array): [string, number] {
  wasm.write(x.buf(0, bytes.length), bytes);
  x.outReset();
  const replaced = x.encode(bytes.length);
  return [text.decode(readOut()), replaced];
}

/** Every UTF-16 code unit >= 0x7f as \uXXXX, as ensure_ascii serialisers (Python json) write it. */
function asciiEscaped(s: string): string {
  return JSON.stringify(s).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Splits JSON string content into escape-whole tokens (\uXXXX, \n, one raw character). */
function tokens(content: string): string[] {
  return content.match(/\\u[0-9a-fA-F]{4}|\\.|[\s\S]/gu) ?? [];
}

// ---------------------------------------------------------------------------------------------

const PROVIDER_PATHS = [
  "choices.*.delta.content",                           // 0 OpenAI Chat
  "choices.*.delta.tool_calls.*.function.arguments",   // 1 OpenAI Chat tool calls
  "choices.*.finish_reason",                           // 2
  "type",                                              // 3 Responses, Anthropic
  "delta",                                             // 4 Responses text / argument deltas (a string)
  "delta.text",                                        // 5 Anthropic text_delta
  "delta.partial_json",                                // 6 Anthropic input_json_delta
  "index",                                             // 7 Anthropic content block index
  "choices.*.delta.tool_calls.*.index",                // 8
  "choices.*.message.content",                         // 9 OpenAI Chat, not streamed
];

type Row = [path: number, kind: string, value: unknown, indexes: number[]];

// Shapes from the OpenAI Chat Completions / Responses and Anthropic Messages streaming docs.
const PROVIDER_CASES: [string, string, Row[]][] = [
  ["OpenAI chat: first chunk (role, empty content, null finish_reason)",
    `{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
    [[0, "string", "", [0]], [2, "null", null, [0]]]],
  ["OpenAI chat: content with escapes and an astral character",
    `{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hel\\"lo\\n\\ud83d\\ude00 caf\u00e9"},"logprobs":null,"finish_reason":null}]}`,
    [[0, "string", "Hel\"lo\n😀 café", [0]], [2, "null", null, [0]]]],
  ["OpenAI chat: n=2, choices told apart by array index",
    `{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"A"},"finish_reason":null},{"index":1,"delta":{"content":"B"},"finish_reason":null}]}`,
    [[0, "string", "A", [0]], [2, "null", null, [0]], [0, "string", "B", [1]], [2, "null", null, [1]]]],
  ["OpenAI chat: tool call deltas (two parallel calls)",
    `{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}},{"index":1,"function":{"arguments":"{\\"city\\": \\"Par"}}]},"finish_reason":null}]}`,
    [[8, "number", 0, [0, 0]], [1, "string", "", [0, 0]], [8, "number", 1, [0, 1]], [1, "string", "{\"city\": \"Par", [0, 1]], [2, "null", null, [0]]]],
  ["OpenAI chat: final chunk",
    `{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}`,
    [[2, "string", "stop", [0]]]],
  ["OpenAI chat: usage chunk (empty choices)",
    `{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}`,
    []],
  ["OpenAI chat: content null (tool call turn)",
    `{"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[]},"finish_reason":null}]}`,
    [[0, "null", null, [0]], [2, "null", null, [0]]]],
  ["OpenAI chat: non-streamed completion",
    `{\n  "id": "chatcmpl-B9",\n  "object": "chat.completion",\n  "choices": [\n    {\n      "index": 0,\n      "message": {"role": "assistant", "content": "Hi there", "refusal": null},\n      "finish_reason": "stop"\n    }\n  ],\n  "usage": {"prompt_tokens": 19, "completion_tokens": 10}\n}`,
    [[9, "string", "Hi there", [0]], [2, "string", "stop", [0]]]],
  ["OpenAI Responses: output_text.delta",
    `{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_67c","output_index":0,"content_index":0,"delta":"Hi \\u00e9","logprobs":[]}`,
    [[3, "string", "response.output_text.delta", []], [4, "string", "Hi é", []]]],
  ["OpenAI Responses: function_call_arguments.delta",
    `{"type":"response.function_call_arguments.delta","sequence_number":7,"item_id":"fc_12345","output_index":1,"delta":"{\\"loc"}`,
    [[3, "string", "response.function_call_arguments.delta", []], [4, "string", "{\"loc", []]]],
  ["Anthropic: content_block_delta text_delta",
    `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`,
    [[3, "string", "content_block_delta", []], [7, "number", 0, []], [5, "string", "Hello", []]]],
  ["Anthropic: content_block_delta input_json_delta",
    `{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\": \\"San Fra"}}`,
    [[3, "string", "content_block_delta", []], [7, "number", 1, []], [6, "string", "{\"location\": \"San Fra", []]]],
  ["Anthropic: message_delta (stop_reason, usage)",
    `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}`,
    [[3, "string", "message_delta", []]]],
  ["Anthropic: message_start (content array, not a delta)",
    `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-x","stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1}}}`,
    [[3, "string", "message_start", []]]],
  ["Anthropic: ping", `{"type": "ping"}`, [[3, "string", "ping", []]]],
];

describe("JsonScanner on provider payloads", () => {
  test.each(PROVIDER_CASES)("%s", (_name, doc, rows) => {
    setPaths(PROVIDER_PATHS);
    const r = scan(doc);
    expect(r.status).toBe(OK);
    const got = r.matches.map((m) => {
      let value: unknown = JSON.parse(m.raw);
      if (m.kind === "string") {
        // the decoder gives what JSON.parse gives (as UTF-8)
        x.outReset();
        expect(x.decodeAlone(m.start + 1, m.end - m.start - 2)).toBe(OK);
        expect(text.decode(readOut())).toBe(value);
        value = text.decode(readOut());
      }
      return [m.path, m.kind, value, m.indexes];
    });
    expect(got).toEqual(rows);
    // a string's span includes its quotes
    for (const m of r.matches) if (m.kind === "string") expect(m.raw.startsWith('"') && m.raw.endsWith('"')).toBe(true);
  });

  test("top-level fields read through jsonStringIs / jsonU32", () => {
    setPaths(["type", "index", "delta.type"]);
    const doc = `{"type":"content\\u005fblock_delta","index":12,"delta":{"type":"text_delta","text":"x"}}`;
    const r = scan(doc);
    expect(r.status).toBe(OK);
    const [type, index, dtype] = r.matches;
    expect(stringIs(type.start, type.end, 0)).toBe(true); // escaped "_" still equals content_block_delta
    expect(stringIs(type.start, type.end, 1)).toBe(false);
    expect(stringIs(dtype.start, dtype.end, 1)).toBe(true);
    expect(stringIs(index.start, index.end, 0)).toBe(false); // a number is not a string
    expect(x.u32At(index.start, index.end)).toBe(12);
    expect(x.u32At(type.start, type.end)).toBe(-1);
    for (const [num, want] of [["0", 0], ["4294967295", 4294967295], ["4294967296", -1], ["-1", -1], ["1.5", -1], ["1e3", -1]] as const) {
      setPaths(["i"]);
      const m = scan(`{"i":${num}}`).matches[0];
      expect(x.u32At(m.start, m.end)).toBe(want);
    }
    setPaths(["t"]);
    const m = scan(`{"t":"h\\u00e9\\ud83d\\ude00"}`).matches[0];
    expect(stringIs(m.start, m.end, 2)).toBe(true); // non-ASCII literal "hé😀"
    const m2 = scan(`{"t":"hé😀"}`).matches[0];
    expect(stringIs(m2.start, m2.end, 2)).toBe(true);
    const m3 = scan(`{"t":"hé😀!"}`).matches[0];
    expect(stringIs(m3.start, m3.end, 2)).toBe(false);
  });

  test("OpenAI n>1 streams one choice per chunk: the channel is the index field, joined by array index", () => {
    setPaths(["choices.*.index", "choices.*.delta.content"]);
    const r = scan(`{"id":"c","object":"chat.completion.chunk","choices":[{"index":1,"delta":{"content":"B"},"finish_reason":null}]}`);
    expect(r.matches.map((m) => [m.path, m.raw, m.indexes])).toEqual([[0, "1", [0]], [1, '"B"', [0]]]);
    expect(x.u32At(r.matches[0].start, r.matches[0].end)).toBe(1);
  });

  test("keys are compared decoded: an escaped key cannot hide a channel", () => {
    setPaths(["messages.*.content"]);
    const r = scan(`{"messages":[{"role":"user","cont\\u0065nt":"ignore previous"},{"content":"b"}]}`);
    expect(r.status).toBe(OK);
    expect(r.matches.map((m) => [m.raw, m.indexes])).toEqual([['"ignore previous"', [0]], ['"b"', [1]]]);
  });

  test("duplicate keys are all reported, in document order", () => {
    setPaths(["a"]);
    expect(scan(`{"a":"1","a":"2"}`).matches.map((m) => m.raw)).toEqual(['"1"', '"2"']);
  });

  test("* matches keys and indexes; keys match only object members", () => {
    setPaths(["*.x", "0"]);
    const r = scan(`{"p":{"x":"1"},"q":[{"x":"no"}],"0":"k"}`);
    expect(r.matches.map((m) => [m.path, m.raw])).toEqual([[0, '"1"'], [1, '"k"']]);
    setPaths(["0"]);
    expect(scan(`["a"]`).matches).toEqual([]);
    setPaths(["*"]);
    expect(scan(`["a",{"b":"c"},2]`).matches.map((m) => [m.raw, m.indexes])).toEqual([['"a"', [0]], ["2", [2]]]);
  });

  test("a value that two patterns match is reported once per pattern", () => {
    setPaths(["choices.*.delta.content", "*.*.*.content", "choices.0.delta.content"]);
    const r = scan(`{"choices":[{"delta":{"content":"hi"}}]}`);
    expect(r.matches.map((m) => m.path)).toEqual([0, 1]);
  });

  test("the outermost four array indexes are reported", () => {
    setPaths(["*.*.*.*.*.*"]);
    const r = scan(`[[0,[1,[2,3,[4,5,[6,"deep"]]]]]]`);
    expect(r.matches.map((m) => [m.raw, m.indexes])).toEqual([["6", [0, 1, 1, 2]], ['"deep"', [0, 1, 1, 2]]]);
  });

  test("path patterns: escapes, errors, limits", () => {
    setPaths(["a\\.b", "\\*", "c\\\\d"]);
    expect(scan(`{"a.b":"1","*":"2","x":"3","c\\\\d":"4","a":{"b":"5"}}`).matches.map((m) => [m.path, m.raw]))
      .toEqual([[0, '"1"'], [1, '"2"'], [2, '"4"']]);
    for (const bad of ["", ".", "a..b", "a.", ".a", "a\\", "a\\x", Array(17).fill("k").join(".")]) {
      x.resetPaths(64);
      const b = utf8.encode(bad);
      wasm.write(x.buf(0, Math.max(1, b.length)), b);
      expect(x.addPath(b.length), JSON.stringify(bad)).toBe(-BAD_PATH);
    }
    // a rejected pattern leaves no trace: the next one gets its id and only its own segments
    x.resetPaths(64);
    for (const [p, want] of [["a.*.b.\\x", -BAD_PATH], ["z", 0]] as const) {
      const b = utf8.encode(p);
      wasm.write(x.buf(0, b.length), b);
      expect(x.addPath(b.length)).toBe(want);
    }
    expect(scan(`{"a":[{"b":"no"}],"z":"yes"}`).matches.map((m) => [m.path, m.raw])).toEqual([[0, '"yes"']]);
    // 16 segments is the limit, 32 patterns too
    setPaths([Array(16).fill("*").join(".")]);
    expect(scan("[".repeat(16) + '"s"' + "]".repeat(16)).matches.length).toBe(1);
    x.resetPaths(64);
    const many = utf8.encode(Array.from({ length: 33 }, (_, i) => `k${i}`).join("\n"));
    wasm.write(x.buf(0, many.length), many);
    expect(x.parsePaths(many.length)).toBe(TOO_MANY_PATHS);
    setPaths(["\r", "a\r", "", "b"]); // CRLF lines and blank lines
    expect(scan(`{"a":"1","b":"2"}`).matches.map((m) => m.path)).toEqual([0, 1]);
  });
});

// ---------------------------------------------------------------------------------------------

/** Reference walk over JSON.parse's result: what the scanner must report for `paths`. */
function reference(value: unknown, paths: string[][]): [number, unknown, number[]][] {
  const out: [number, unknown, number[]][] = [];
  const walk = (v: unknown, path: (string | number)[], idx: number[]) => {
    if (v !== null && typeof v === "object") {
      if (Array.isArray(v)) v.forEach((e, i) => walk(e, [...path, i], [...idx, i]));
      else for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k], idx);
      return;
    }
    paths.forEach((p, id) => {
      if (p.length === path.length && p.every((s, i) => s === "*" || (typeof path[i] === "string" && s === path[i]))) {
        out.push([id, v, idx.slice(0, 4)]);
      }
    });
  };
  walk(value, [], []);
  return out;
}

describe("JsonScanner against JSON.parse (differential)", () => {
  const segment = fc.constantFrom("*", "*", "a", "b", "content", "0");
  const pathsArb = fc.array(fc.array(segment, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 });
  const keyed = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" },
      fc.string({ unit: "binary" }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null),
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom("a", "b", "content", "0", "x y", "é"), tie("v"), { maxKeys: 4 })),
  })).v;

  test("every matching scalar, with its indexes, in document order", () => {
    fc.assert(fc.property(keyed, pathsArb, fc.constantFrom(undefined, 0, 2, "\t"), (value, paths, indent) => {
      setPaths(paths.map((p) => p.join(".")));
      const doc = JSON.stringify(value, null, indent);
      const r = scan(doc);
      expect(r.status).toBe(OK);
      expect(r.matches.map((m) => [m.path, JSON.parse(m.raw), m.indexes])).toEqual(reference(value, paths));
    }), { numRuns: 2000 });
  });

  test("a mutated document is accepted exactly when JSON.parse accepts it, and never traps", () => {
    const docArb = fc.json({ maxDepth: 4 }).chain((doc) => fc.tuple(
      fc.constant(doc),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom("del", "ins", "set"), fc.constantFrom(..."{}[]\",:\\ \n0-1.eE+tfnul\u00e9\u0001x".split(""))), { maxLength: 3 }),
    ));
    setPaths(["*", "*.*", "a.*"]);
    fc.assert(fc.property(docArb, ([doc, edits]) => {
      let s = doc;
      for (const [at, op, ch] of edits) {
        const i = s.length ? at % (s.length + 1) : 0;
        s = op === "del" ? s.slice(0, i) + s.slice(i + 1) : op === "ins" ? s.slice(0, i) + ch + s.slice(i) : s.slice(0, i) + ch + s.slice(i + 1);
      }
      let valid = true;
      try { JSON.parse(s); } catch { valid = false; }
      const r = scan(s);
      expect(r.status === OK, s).toBe(valid);
      if (!valid) expect(r.errorAt).toBeLessThanOrEqual(r.bytes.length);
    }), { numRuns: 5000 });
  });

  test("random bytes never trap; invalid UTF-8 inside strings is rejected", () => {
    setPaths(["*"]);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      const r = scan(b);
      let valid = true;
      try { JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b)); } catch { valid = false; }
      expect(r.status === OK).toBe(valid);
    }), { numRuns: 5000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), (inner) => {
      const b = new Uint8Array([0x5b, 0x22, ...inner.filter((c) => c !== 0x22 && c !== 0x5c && c >= 0x20), 0x22, 0x5d]);
      let utf8ok = true;
      try { new TextDecoder("utf-8", { fatal: true }).decode(b); } catch { utf8ok = false; }
      expect(scan(b).status).toBe(utf8ok ? OK : BAD_UTF8);
    }), { numRuns: 3000 });
  });
});

describe("JsonScanner: malformed JSON gives a status, never a trap", () => {
  const cases: [string, string | Uint8Array, number][] = [
    ["empty", "", TRUNCATED],
    ["whitespace only", " \n\t", TRUNCATED],
    ["bad escape \\x", `{"a":"\\x"}`, BAD_ESCAPE],
    ["bad escape \\U", `{"a":"\\U0041"}`, BAD_ESCAPE],
    ["bad hex in \\u", `{"a":"\\u12G4"}`, BAD_ESCAPE],
    ["bad escape in a key", `{"\\q":1}`, BAD_ESCAPE],
    ["raw newline in a string", `{"a":"x\ny"}`, CONTROL_CHAR],
    ["raw NUL in a string", `["\u0000"]`, CONTROL_CHAR],
    ["lone continuation byte", new Uint8Array([0x5b, 0x22, 0x80, 0x22, 0x5d]), BAD_UTF8],
    ["overlong /", new Uint8Array([0x5b, 0x22, 0xc0, 0xaf, 0x22, 0x5d]), BAD_UTF8],
    ["UTF-8 surrogate", new Uint8Array([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]), BAD_UTF8],
    ["above U+10FFFF", new Uint8Array([0x5b, 0x22, 0xf4, 0x90, 0x80, 0x80, 0x22, 0x5d]), BAD_UTF8],
    ["cut sequence before the quote", new Uint8Array([0x5b, 0x22, 0xe2, 0x82, 0x22, 0x5d]), BAD_UTF8],
    ["0xff byte", new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d]), BAD_UTF8],
    ["non-ASCII outside a string", "[é]", SYNTAX],
    ["BOM", "\ufeff{}", SYNTAX],
    ["leading zero", "[01]", SYNTAX],
    ["lone minus", "[-]", BAD_NUMBER],
    ["missing fraction digits", "[1.]", BAD_NUMBER],
    ["missing exponent digits", "[1e+]", BAD_NUMBER],
    ["leading dot", "[.5]", SYNTAX],
    ["leading plus", "[+1]", SYNTAX],
    ["trailing comma in array", "[1,]", SYNTAX],
    ["trailing comma in object", `{"a":1,}`, SYNTAX],
    ["missing colon", `{"a" 1}`, SYNTAX],
    ["single quotes", `{'a':1}`, SYNTAX],
    ["unquoted key", `{a:1}`, SYNTAX],
    ["mismatched bracket", "[1}", SYNTAX],
    ["misspelt literal", "[nul]", SYNTAX],
    ["capital literal", "[True]", SYNTAX],
    ["two documents", "{} {}", TRAILING_DATA],
    ["trailing garbage", `{"a":1}x`, TRAILING_DATA],
    ["depth 65", "[".repeat(65) + "]".repeat(65), DEPTH_EXCEEDED],
    ["depth 100000", "[".repeat(100000), DEPTH_EXCEEDED],
    ["deep objects", `{"a":`.repeat(1000) + "1" + "}".repeat(1000), DEPTH_EXCEEDED],
  ];
  test.each(cases)("%s", (_name, doc, want) => {
    setPaths(["*", "a"]);
    expect(scan(doc).status).toBe(want);
  });

  test("depth 64 is accepted; the bound is the scanner's maxDepth", () => {
    setPaths(["*"]);
    expect(scan("[".repeat(64) + "]".repeat(64)).status).toBe(OK);
    setPaths(["*"], 3);
    expect(scan("[[[1]]]").status).toBe(OK);
    expect(scan("[[[[1]]]]").status).toBe(DEPTH_EXCEEDED);
  });

  test("every proper prefix of a payload is TRUNCATED", () => {
    setPaths(PROVIDER_PATHS);
    for (const [, doc] of PROVIDER_CASES) {
      const b = utf8.encode(doc.trimEnd());
      for (let n = 0; n < b.length; n++) {
        const r = scan(b.subarray(0, n));
        expect(r.status, `${doc} cut at ${n}`).toBe(TRUNCATED);
        expect(r.errorAt).toBe(n);
      }
    }
  });

  test("too many matches is a status", () => {
    setPaths(["*"]);
    x.setMaxMatches(3);
    expect(scan(`[1,2,3]`).status).toBe(OK);
    expect(scan(`[1,2,3,4]`).status).toBe(TOO_MANY_MATCHES);
    x.setMaxMatches(1 << 20);
    const big = "[" + Array.from({ length: 50000 }, (_, i) => `"v${i}"`).join(",") + "]";
    const r = scan(big);
    expect(r.status).toBe(OK);
    expect(r.matches.length).toBe(50000);
    expect(r.matches[49999].raw).toBe('"v49999"');
    expect(r.matches[49999].indexes).toEqual([49999]);
  });

  test("errorAt points at the offending byte", () => {
    setPaths(["a"]);
    expect(scan(`{"a":"ok","b":tru!}`).errorAt).toBe(17);
    expect(scan(`{"a":"\\q"}`).errorAt).toBe(6);
  });
});

// ---------------------------------------------------------------------------------------------

describe("decodeJsonString", () => {
  const lone = fc.string({ unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c))) });

  test("gives TextEncoder(JSON.parse(value)), raw or \\u-escaped, lone surrogates as U+FFFD", () => {
    fc.assert(fc.property(lone, fc.boolean(), (s, ascii) => {
      const content = ascii ? asciiEscaped(s) : JSON.stringify(s).slice(1, -1);
      const [status, out] = decodeAlone(content);
      expect(status).toBe(OK);
      expect(out).toEqual(utf8.encode(JSON.parse(`"${content}"`)));
    }), { numRuns: 3000 });
  });

  test("every escape of RFC 8259 §7", () => {
    const [s, out] = decodeAlone(`\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\uD83D\\uDE00`);
    expect(s).toBe(OK);
    expect(text.decode(out)).toBe("\"\\/\b\f\n\r\tAé€😀");
  });

  test("invalid escapes and raw bytes give a status", () => {
    for (const [content, want] of [["\\x", BAD_ESCAPE], ["\\", BAD_ESCAPE], ["\\u12", BAD_ESCAPE], ["\\u12g4", BAD_ESCAPE],
      ["a\"b", SYNTAX], ["a\nb", CONTROL_CHAR]] as const) {
      expect(decodeAlone(content)[0], content).toBe(want);
    }
    expect(decodeAlone(new Uint8Array([0x61, 0xc3]))[0]).toBe(BAD_UTF8);
  });

  test("a surrogate pair split across two values decodes to one emoji", () => {
    setPaths(["choices.*.delta.content"]);
    x.decodersReset();
    x.outReset();
    for (const part of ["\\ud83d", "\\ude00!"]) {
      const r = scan(`{"choices":[{"index":0,"delta":{"content":"${part}"}}]}`);
      expect(decodeSpan(0, r.matches[0])).toBe(OK);
    }
    x.decodeFinish(0);
    expect(readOut()).toEqual(new Uint8Array([0xf0, 0x9f, 0x98, 0x80, 0x21]));
  });

  test("a carried high surrogate: kept over empty values, U+FFFD when not completed", () => {
    const run = (parts: string[]) => {
      x.decodersReset();
      x.outReset();
      for (const p of parts) {
        const b = utf8.encode(p);
        wasm.write(x.buf(0, b.length), b);
        expect(x.decode(0, 0, b.length)).toBe(OK);
      }
      x.decodeFinish(0);
      return text.decode(readOut());
    };
    expect(run(["a\\ud83d", "", "", "\\ude00b"])).toBe("a😀b");
    expect(run(["a\\ud83d", "b"])).toBe("a\ufffdb");
    expect(run(["a\\ud83d", "\\n"])).toBe("a\ufffd\n");
    expect(run(["a\\ud83d", "\\ud83d", "\\ude00"])).toBe("a\ufffd😀");
    expect(run(["a\\ud83d"])).toBe("a\ufffd");
    expect(run(["\\ude00"])).toBe("\ufffd");
    expect(run(["\\ud83d\\u0041"])).toBe("\ufffdA");
  });

  test("channels keep separate carries (interleaved choices), for any split of each channel", () => {
    // Two choices stream interleaved. Each channel's text is \u-escaped (so pairs can be cut
    // between their halves) and cut at random token boundaries; the bytes each channel yields
    // must equal its whole text, whether fed whole, one token per value, or at random cuts.
    const channel = fc.string({ unit: "binary", maxLength: 30 }).chain((s) => {
      const toks = tokens(asciiEscaped(s));
      return fc.tuple(fc.constant(s), fc.constant(toks),
        fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, toks.length) }), { maxLength: toks.length }));
    });
    setPaths(["choices.*.delta.content"]);
    const deltas = (toks: string[], cuts: number[]) => {
      const at = [0, ...cuts.filter((c) => c < toks.length).sort((a, b) => a - b), toks.length];
      return at.slice(1).map((e, i) => toks.slice(at[i], e).join(""));
    };
    const feed = (texts: [string, string[]][]) => {
      x.decodersReset();
      const got: Uint8Array[] = [];
      const queues = texts.map(([, d]) => [...d]);
      const outs: number[][] = texts.map(() => []);
      // round-robin interleaving of the two channels' events
      while (queues.some((q) => q.length)) {
        queues.forEach((q, ch) => {
          const d = q.shift();
          if (d === undefined) return;
          const r = scan(`{"id":"c","choices":[{"index":${ch},"delta":{"content":"${d}"},"finish_reason":null}]}`);
          expect(r.status).toBe(OK);
          x.outReset();
          expect(decodeSpan(ch, r.matches[0])).toBe(OK);
          outs[ch].push(...readOut());
        });
      }
      texts.forEach((_, ch) => { x.outReset(); x.decodeFinish(ch); outs[ch].push(...readOut()); got.push(new Uint8Array(outs[ch])); });
      return got;
    };
    fc.assert(fc.property(channel, channel, ([s0, t0, c0], [s1, t1, c1]) => {
      const want = [utf8.encode(s0), utf8.encode(s1)];
      expect(feed([[s0, [t0.join("")]], [s1, [t1.join("")]]])).toEqual(want);             // whole
      expect(feed([[s0, t0.length ? t0 : [""]], [s1, t1.length ? t1 : [""]]])).toEqual(want); // one token per value
      expect(feed([[s0, deltas(t0, c0)], [s1, deltas(t1, c1)]])).toEqual(want);           // random cuts
    }), { numRuns: 1500 });
  });
});

// ---------------------------------------------------------------------------------------------

describe("encodeJsonString", () => {
  test("decode → encode equals JSON.stringify(JSON.parse(value)) for random strings", () => {
    const s = fc.string({ unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), fc.constantFrom("\u2028", "\u2029", "\u007f", "\"", "\\", "/")) });
    fc.assert(fc.property(s, fc.boolean(), (str, ascii) => {
      const value = ascii ? `"${asciiEscaped(str)}"` : JSON.stringify(str);
      const [status, bytes] = decodeAlone(value.slice(1, -1));
      expect(status).toBe(OK);
      const [encoded, replaced] = encode(bytes);
      expect(replaced).toBe(0);
      expect(`"${encoded}"`).toBe(JSON.stringify(JSON.parse(value)));
    }), { numRuns: 3000 });
  });

  test("exact and minimal: the escapes JSON.stringify writes, nothing else", () => {
    const all = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i)).join("") + "é€😀\u2028\u2029\ufeff";
    expect(`"${encode(utf8.encode(all))[0]}"`).toBe(JSON.stringify(all));
  });

  test("ill-formed UTF-8 becomes U+FFFD as TextDecoder reads it", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 24 }), (b) => {
      const [encoded, replaced] = encode(b);
      const decoded = text.decode(b);
      expect(`"${encoded}"`).toBe(JSON.stringify(decoded));
      let wellFormed = true;
      try { new TextDecoder("utf-8", { fatal: true }).decode(b); } catch { wellFormed = false; }
      expect(replaced === 0).toBe(wellFormed);
    }), { numRuns: 5000 });
  });
});

describe("replaceSpan / replaceStringValue", () => {
  test("only the value changes: every other byte is identical", () => {
    const cases = PROVIDER_CASES.filter(([, , rows]) => rows.some((r) => r[1] === "string"));
    fc.assert(fc.property(fc.constantFrom(...cases), fc.string({ unit: "binary" }), fc.nat(), ([, doc], newText, pick) => {
      setPaths(PROVIDER_PATHS);
      const r = scan(doc);
      const strings = r.matches.filter((m) => m.kind === "string");
      const m = strings[pick % strings.length];
      const nt = utf8.encode(newText);
      wasm.write(x.buf(1, nt.length), nt);
      wasm.write(x.buf(0, r.bytes.length), r.bytes);
      x.outReset();
      expect(x.replaceString(r.bytes.length, m.start, m.end, nt.length)).toBe(OK);
      const out = readOut();
      const value = utf8.encode(JSON.stringify(newText));
      expect(out.length).toBe(r.bytes.length - (m.end - m.start) + value.length);
      expect(out.subarray(0, m.start)).toEqual(r.bytes.subarray(0, m.start));
      expect(out.subarray(m.start, m.start + value.length)).toEqual(value);
      expect(out.subarray(m.start + value.length)).toEqual(r.bytes.subarray(m.end));
      // and the result is the same document with that one field changed
      const after = scan(out);
      expect(after.status).toBe(OK);
      expect(after.matches.map((a) => a.path)).toEqual(r.matches.map((a) => a.path));
      const changed = after.matches[r.matches.indexOf(m)];
      expect(JSON.parse(changed.raw)).toBe(newText);
    }), { numRuns: 1500 });
  });

  test("raw replacement and bad spans", () => {
    const doc = utf8.encode(`{"a":"x","b":1}`);
    const v = utf8.encode(`null`);
    wasm.write(x.buf(0, doc.length), doc);
    wasm.write(x.buf(1, v.length), v);
    x.outReset();
    expect(x.replaceRaw(doc.length, 5, 8, v.length)).toBe(OK);
    expect(text.decode(readOut())).toBe(`{"a":null,"b":1}`);
    x.outReset();
    expect(x.replaceRaw(doc.length, 5, doc.length + 1, v.length)).toBe(BAD_SPAN);
    expect(x.replaceRaw(doc.length, 8, 5, v.length)).toBe(BAD_SPAN);
    expect(x.replaceString(doc.length, 5, doc.length + 1, 0)).toBe(BAD_SPAN);
    expect(x.outLen()).toBe(0);
  });
});

// accessors outside the match list answer "none" instead of trapping
test("match accessors out of range", () => {
  setPaths(["a"]);
  scan(`{"a":"x"}`);
  expect(x.matchPath(1) >>> 0).toBe(NONE);
  expect(x.matchStart(-1) >>> 0).toBe(NONE);
  expect(x.matchIndex(0, 0) >>> 0).toBe(NONE);
  expect(x.matchIndexCount(5)).toBe(0);
});
