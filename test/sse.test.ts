// SSE framing (assembly/protocol/sse.ts, sse_write.ts) run as compiled wasm through
// assembly/entry/test/sse.ts. Bytes are shown as latin1 strings so that raw bytes compare
// exactly; `u()` gives the latin1 form of a UTF-8 string.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { loadTestWasm } from "./helpers/test-wasm.ts";

const wasm = loadTestWasm("sse");
const x = wasm.exports;

const KIND = ["", "EVENT", "EMPTY", "COMMENT", "INCOMPLETE", "ERROR", "SKIPPED"] as const;
type Kind = (typeof KIND)[number];
const EVENT_TOO_LARGE = 1;
const AFTER_FINISH = 2;
const BAD_FIELD = -1;
const BOM = "\xEF\xBB\xBF";

interface Item {
  kind: Kind;
  raw: string;
  code?: number;
  type?: string;
  explicitType?: boolean;
  data?: string;
  id?: string | null;
  retry?: number;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString("latin1");
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));
/** The latin1 form of a UTF-8 string. */
const u = (s: string): string => latin1(new TextEncoder().encode(s));
const fixture = (name: string): string => u(readFileSync(new URL(`./fixtures/sse/${name}`, import.meta.url), "utf8"));

function collect(n: number, out: Item[]): void {
  for (let i = 0; i < n; i++) {
    const kind = KIND[x.kind(i)];
    const item: Item = { kind, raw: latin1(wasm.read(x.rawPtr(i), x.rawLen(i))) };
    if (kind === "ERROR") item.code = x.code(i);
    if (kind === "EVENT" || kind === "EMPTY" || (kind === "INCOMPLETE" && x.typeLen(i) > 0)) {
      item.type = latin1(wasm.read(x.typePtr(i), x.typeLen(i)));
      item.explicitType = x.hasEventField(i) === 1;
      item.data = latin1(wasm.read(x.dataPtr(i), x.dataLen(i)));
      item.id = x.hasId(i) ? latin1(wasm.read(x.idPtr(i), x.idLen(i))) : null;
      item.retry = x.retry(i);
    }
    out.push(item);
  }
}

/** Parses `input` pushed as the given chunks (cut at `cuts`), then finishes. */
function parse(input: string, cuts: number[] = [], max = 0): Item[] {
  x.open(max);
  const all = bytes(input);
  const items: Item[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < all.length).sort((a, b) => a - b), all.length]) {
    if (cut <= at) continue;
    const chunk = all.subarray(at, cut);
    wasm.write(x.buf(chunk.length), chunk);
    collect(x.push(chunk.length), items);
    at = cut;
  }
  collect(x.finish(), items);
  return items;
}

const oneByte = (input: string): number[] => Array.from({ length: bytes(input).length }, (_, i) => i);

/** SKIPPED pieces follow the chunking (one per push): merge them before comparing. */
function mergeSkipped(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    const last = out[out.length - 1];
    if (it.kind === "SKIPPED" && last?.kind === "SKIPPED") last.raw += it.raw;
    else out.push({ ...it });
  }
  return out;
}

const events = (items: Item[]) => items.filter((i) => i.kind === "EVENT")
  .map(({ type, data, id, retry }) => ({ type, data, id, retry }));

/** Whole, 1-byte and some fixed splits must agree; returns the whole-input result. */
function parseAllWays(input: string, max = 0): Item[] {
  const whole = parse(input, [], max);
  expect(mergeSkipped(parse(input, oneByte(input), max))).toEqual(mergeSkipped(whole));
  for (const step of [2, 3, 5, 7]) {
    const cuts = Array.from({ length: Math.ceil(input.length / step) }, (_, i) => i * step);
    expect(mergeSkipped(parse(input, cuts, max))).toEqual(mergeSkipped(whole));
  }
  expect(whole.map((i) => i.raw).join("")).toBe(input);
  return whole;
}

// A straightforward reading of §9.2.6 over the whole input, as the oracle: every dispatched
// event with its type and data, and the id and retry lines of its own block.
interface RefEvent { type: string; data: string; id: string | null; retry: number }
function reference(input: string): RefEvent[] {
  let s = input.startsWith(BOM) ? input.slice(3) : input;
  const out: RefEvent[] = [];
  let data = "", type = "", id: string | null = null, retry = -1;
  const re = /([^\r\n]*)(\r\n|\r|\n)/y;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const line = m[1];
    if (line === "") {
      if (data !== "") out.push({ type: type || "message", data: data.slice(0, -1), id, retry });
      data = type = "";
      id = null;
      retry = -1;
      continue;
    }
    if (line.startsWith(":")) continue;
    const c = line.indexOf(":");
    const name = c < 0 ? line : line.slice(0, c);
    let value = c < 0 ? "" : line.slice(c + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "event") type = value;
    else if (name === "data") data += value + "\n";
    else if (name === "id") { if (!value.includes("\0")) id = value; }
    else if (name === "retry") { if (/^[0-9]+$/.test(value)) retry = Math.min(Number(value), 2 ** 31 - 1); }
  }
  return out; // an unterminated last block is discarded
}

const ev = (data: string, type = "message", more: Partial<Item> = {}): Partial<Item> =>
  ({ kind: "EVENT", type, data, id: null, retry: -1, ...more });

describe("WHATWG HTML §9.2.6 examples", () => {
  test("multi-line data; an unterminated last block is not dispatched", () => {
    const s = "data: This is the first message.\n\ndata: This is the second message, it\ndata: has two lines.\n\ndata: This is the third message.\n\n";
    expect(events(parseAllWays(s))).toEqual([
      { type: "message", data: "This is the first message.", id: null, retry: -1 },
      { type: "message", data: "This is the second message, it\nhas two lines.", id: null, retry: -1 },
      { type: "message", data: "This is the third message.", id: null, retry: -1 },
    ]);
  });

  test("named events", () => {
    const s = "event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n";
    const items = parseAllWays(s);
    expect(events(items).map((e) => [e.type, e.data])).toEqual([["add", "73857293"], ["remove", "2153"], ["add", "113411"]]);
    expect(items.every((i) => i.explicitType)).toBe(true);
  });

  test("comments, ids (an id line without a value resets), one space dropped", () => {
    const s = ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n";
    const items = parseAllWays(s);
    expect(items).toMatchObject([
      { kind: "COMMENT", raw: ": test stream\n\n" },
      { kind: "EVENT", data: "first event", id: "1", raw: "data: first event\nid: 1\n\n" },
      { kind: "EVENT", data: "second event", id: "", raw: "data:second event\nid\n\n" },
      { kind: "INCOMPLETE", data: " third event", raw: "data:  third event\n" },
    ]);
  });

  test("data without a colon: empty lines of data", () => {
    const s = "data\n\ndata\ndata\n\ndata:";
    const items = parseAllWays(s);
    expect(events(items).map((e) => e.data)).toEqual(["", "\n"]);
    expect(items[items.length - 1]).toMatchObject({ kind: "INCOMPLETE", raw: "data:" });
  });

  test("with and without the space after the colon", () => {
    expect(events(parseAllWays("data:test\n\ndata: test\n\n")).map((e) => e.data)).toEqual(["test", "test"]);
  });
});

describe("provider streams", () => {
  test("OpenAI Chat Completions: data-only events, a keep-alive, [DONE]", () => {
    const s = fixture("openai-chat.txt");
    const items = parseAllWays(s);
    expect(items.map((i) => i.kind)).toEqual(["EVENT", "EVENT", "EVENT", "COMMENT", "EVENT", "EVENT"]);
    expect(items[3].raw).toBe(": keep-alive\n\n");
    const evs = items.filter((i) => i.kind === "EVENT");
    expect(evs.every((e) => e.type === "message" && !e.explicitType)).toBe(true);
    expect(JSON.parse(Buffer.from(evs[2].data!, "latin1").toString("utf8")).choices[0].delta.content).toBe(" wörld é ✓");
    expect(evs[4]).toMatchObject({ data: "[DONE]", raw: "data: [DONE]\n\n" });
    expect(events(items)).toEqual(reference(s));
  });

  test("Anthropic Messages: named events, ping, text and input_json deltas", () => {
    const s = fixture("anthropic-messages.txt");
    const items = parseAllWays(s);
    expect(items.map((i) => i.type)).toEqual([
      "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
      "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop",
      "message_delta", "message_stop",
    ]);
    expect(JSON.parse(items[7].data!).delta.partial_json).toBe('{"location": "San Fra');
    expect(items[2]).toMatchObject({ kind: "EVENT", raw: 'event: ping\ndata: {"type": "ping"}\n\n' });
    expect(events(items)).toEqual(reference(s));
  });

  test("OpenAI Responses: named events", () => {
    const s = fixture("openai-responses.txt");
    const items = parseAllWays(s);
    expect(items.map((i) => i.type)).toEqual([
      "response.created", "response.output_text.delta", "response.function_call_arguments.delta", "response.completed",
    ]);
    expect(JSON.parse(items[1].data!).delta).toBe("Hi");
  });

  test.each(["\r\n", "\r"])("the same streams with %j line ends give the same events", (eol) => {
    for (const name of ["openai-chat.txt", "anthropic-messages.txt", "openai-responses.txt"]) {
      const lf = fixture(name);
      const s = lf.replace(/\n/g, eol);
      const items = parseAllWays(s);
      expect(events(items)).toEqual(events(parse(lf)));
      expect(items.map((i) => i.raw)).toEqual(parse(lf).map((i) => i.raw.replace(/\n/g, eol)));
    }
  });
});

describe("line ends", () => {
  test("a CR ending one chunk and an LF starting the next are one line end", () => {
    const items = parse("data: a\r\n\r\ndata: b\r\n\r\n", [8, 11]);
    expect(items).toEqual(parse("data: a\r\n\r\ndata: b\r\n\r\n"));
    expect(items).toMatchObject([
      { kind: "EVENT", data: "a", raw: "data: a\r\n\r\n" },
      { kind: "EVENT", data: "b", raw: "data: b\r\n\r\n" },
    ]);
  });

  test("an event ended by CR is reported once the next byte is known, with the LF if there is one", () => {
    x.open(0);
    const push = (s: string): Item[] => {
      const b = bytes(s);
      wasm.write(x.buf(b.length), b);
      const out: Item[] = [];
      collect(x.push(b.length), out);
      return out;
    };
    expect(push("data: a\r\r")).toEqual([]);
    expect(push("\n")).toMatchObject([{ kind: "EVENT", data: "a", raw: "data: a\r\r\n" }]);
    expect(push("data: b\r\r")).toEqual([]);
    expect(push("d")).toMatchObject([{ kind: "EVENT", data: "b", raw: "data: b\r\r" }]);
    const last: Item[] = [];
    collect(x.finish(), last);
    expect(last).toMatchObject([{ kind: "INCOMPLETE", raw: "d" }]);
  });

  test("a CR at the very end of the stream still ends the event", () => {
    expect(parseAllWays("data: z\r\r")).toMatchObject([{ kind: "EVENT", data: "z", raw: "data: z\r\r" }]);
  });

  test("mixed line ends, and LF CR is two line ends", () => {
    const s = "data: 1\rdata: 2\ndata: 3\r\n\n\rdata: x\n\r";
    expect(parseAllWays(s)).toMatchObject([
      { kind: "EVENT", data: "1\n2\n3", raw: "data: 1\rdata: 2\ndata: 3\r\n\n" },
      { kind: "COMMENT", raw: "\r" },
      { kind: "EVENT", data: "x", raw: "data: x\n\r" },
    ]);
  });
});

describe("fields", () => {
  test("comments inside an event belong to it; comments before it are an item of their own", () => {
    const items = parseAllWays(": hi\n: there\ndata: a\n: inside\ndata: b\n\n");
    expect(items).toMatchObject([
      { kind: "COMMENT", raw: ": hi\n: there\n" },
      { kind: "EVENT", data: "a\nb", raw: "data: a\n: inside\ndata: b\n\n" },
    ]);
  });

  test("unknown fields are ignored; a block without data is EMPTY; the last event line wins", () => {
    const items = parseAllWays("foo: bar\nevent: x\nevent: y\n\nevent\ndata: d\n\ndatas: q\nDATA: q\n\n");
    expect(items).toMatchObject([
      { kind: "EMPTY", type: "y", data: "", raw: "foo: bar\nevent: x\nevent: y\n\n" },
      { kind: "EVENT", type: "message", explicitType: true, data: "d" },
      { kind: "EMPTY", raw: "datas: q\nDATA: q\n\n" },
    ]);
  });

  test("id: a value with NUL is ignored, an earlier one kept; the last valid one wins", () => {
    const items = parseAllWays("id: 1\nid: 2\0x\ndata: a\n\nid: 3\nid: 4\ndata: b\n\nid: \0\ndata: c\n\n");
    expect(items.map((i) => i.id)).toEqual(["1", "4", null]);
  });

  test("retry: digits only; empty or other values are ignored; huge values saturate", () => {
    const items = parseAllWays("retry: 3000\ndata: a\n\nretry: 30s\ndata: b\n\nretry:\ndata: c\n\nretry: 1000\nretry: x\ndata: d\n\nretry: 99999999999999999999\n\n");
    expect(items.map((i) => i.retry)).toEqual([3000, -1, -1, 1000, 2 ** 31 - 1]);
    expect(items[4].kind).toBe("EMPTY"); // retry applies even though nothing is dispatched
  });

  test("keep-alives between events pass through as their own items", () => {
    const s = ": keep-alive\n\ndata: a\n\n:\n\n\n:ping\r\n\r\n";
    expect(parseAllWays(s)).toMatchObject([
      { kind: "COMMENT", raw: ": keep-alive\n\n" },
      { kind: "EVENT", data: "a" },
      { kind: "COMMENT", raw: ":\n\n" },
      { kind: "COMMENT", raw: "\n" },
      { kind: "COMMENT", raw: ":ping\r\n\r\n" },
    ]);
  });

  test("trailing comment lines at the end of the stream are a COMMENT; a cut comment line is INCOMPLETE", () => {
    expect(parseAllWays("data: a\n\n: bye\n")).toMatchObject([{ kind: "EVENT" }, { kind: "COMMENT", raw: ": bye\n" }]);
    expect(parseAllWays("data: a\n\n: by")).toMatchObject([{ kind: "EVENT" }, { kind: "INCOMPLETE", raw: ": by" }]);
  });

  test("an unterminated event is INCOMPLETE with the fields it would have, its last line included", () => {
    expect(parseAllWays("event: e\ndata: x\nid: 9\ndata: y")).toMatchObject([
      { kind: "INCOMPLETE", type: "e", data: "x\ny", id: "9", raw: "event: e\ndata: x\nid: 9\ndata: y" },
    ]);
  });

  test("bytes are kept as they came, invalid UTF-8 included", () => {
    const s = "data: \xFF\xC3\x28 " + u("€") + "\n\n";
    expect(parseAllWays(s)).toMatchObject([{ kind: "EVENT", data: "\xFF\xC3\x28 " + u("€") }]);
  });
});

describe("byte order mark", () => {
  test("one leading BOM is skipped and kept in the first item's raw bytes, even split", () => {
    const s = BOM + "data: x\n\n";
    const items = parseAllWays(s);
    expect(items).toMatchObject([{ kind: "EVENT", data: "x", raw: s }]);
    expect(parse(s, [1, 2])).toEqual(items);
  });

  test("a second BOM, or a BOM later in the stream, is content (an unknown field name)", () => {
    expect(parseAllWays(BOM + BOM + "data: x\n\n")).toMatchObject([{ kind: "EMPTY" }]);
    expect(parseAllWays("\n" + BOM + "data: x\n\n")).toMatchObject([{ kind: "COMMENT" }, { kind: "EMPTY" }]);
  });

  test("a partial BOM is content too, also when the stream ends inside it", () => {
    expect(parseAllWays("\xEF\xBBdata: x\n\ndata: y\n\n")).toMatchObject([{ kind: "EMPTY" }, { kind: "EVENT", data: "y" }]);
    expect(parseAllWays("\xEF\xBB")).toMatchObject([{ kind: "INCOMPLETE", raw: "\xEF\xBB" }]);
    expect(parseAllWays(BOM)).toMatchObject([{ kind: "COMMENT", raw: BOM }]);
    expect(parseAllWays(BOM + "\n")).toMatchObject([{ kind: "COMMENT", raw: BOM + "\n" }]);
  });
});

describe("bounded events", () => {
  test("the default bound is 1 MiB", () => {
    x.open(0);
    expect(x.maxEventBytes()).toBe(1 << 20);
  });

  test("an oversized event is an ERROR with its first max bytes, then SKIPPED, then parsing resumes", () => {
    const big = "data: " + "x".repeat(100) + "\ndata: more\n\n";
    const s = "data: a\n\n" + big + ": c\n\ndata: b\n\n";
    const items = mergeSkipped(parseAllWays(s, 64));
    expect(items).toMatchObject([
      { kind: "EVENT", data: "a" },
      { kind: "ERROR", code: EVENT_TOO_LARGE, raw: big.slice(0, 64) },
      { kind: "SKIPPED", raw: big.slice(64) },
      { kind: "COMMENT", raw: ": c\n\n" },
      { kind: "EVENT", data: "b" },
    ]);
  });

  test("an event of exactly max bytes passes; one more byte is too many", () => {
    const fit = "data: " + "y".repeat(56) + "\n\n"; // 64 bytes
    expect(parseAllWays(fit, 64)).toMatchObject([{ kind: "EVENT", raw: fit }]);
    const over = "data: " + "y".repeat(56) + "\r\n\r\n"; // 66 bytes; the LF after the last CR tips it
    expect(mergeSkipped(parseAllWays(over, 65))).toMatchObject([
      { kind: "ERROR", raw: over.slice(0, 65) },
      { kind: "SKIPPED", raw: "\n" },
    ]);
  });

  test("a stream of only comment lines and no blank line is bounded too", () => {
    const s = ": ping\n".repeat(20) + "\ndata: ok\n\n";
    expect(mergeSkipped(parseAllWays(s, 32))).toMatchObject([
      { kind: "ERROR", raw: s.slice(0, 32) },
      { kind: "SKIPPED" },
      { kind: "EVENT", data: "ok" },
    ]);
  });

  test("an oversized event the stream ends inside leaves only its ERROR and SKIPPED pieces", () => {
    const s = "data: " + "z".repeat(50);
    expect(mergeSkipped(parseAllWays(s, 20))).toMatchObject([
      { kind: "ERROR", raw: s.slice(0, 20) },
      { kind: "SKIPPED", raw: s.slice(20) },
    ]);
  });

  test("a large event pushed one byte at a time costs linear time (no re-copying of what is held)", () => {
    const n = 1 << 19;
    const s = "event: big\ndata: " + "q".repeat(n) + "\n\n";
    const items = parse(s, oneByte(s));
    expect(items).toHaveLength(1);
    expect(items[0].data!.length).toBe(n);
  });
});

describe("end of stream and reuse", () => {
  test("push after finish reports AFTER_FINISH with the bytes; reset starts a new stream", () => {
    parse("data: a\n\n");
    const b = bytes("data: b\n\n");
    wasm.write(x.buf(b.length), b);
    const after: Item[] = [];
    collect(x.push(b.length), after);
    expect(after).toEqual([{ kind: "ERROR", code: AFTER_FINISH, raw: "data: b\n\n" }]);
    x.reset();
    const again: Item[] = [];
    collect(x.push(b.length), again);
    collect(x.finish(), again);
    expect(events(again)).toEqual([{ type: "message", data: "b", id: null, retry: -1 }]);
  });

  test("reset in the middle of an event drops what was pending", () => {
    parse("data: a\n\ndata: half");
    const b = bytes("data: half");
    x.open(0);
    wasm.write(x.buf(b.length), b);
    x.push(b.length);
    x.reset();
    const c = bytes("data: new\n\n");
    wasm.write(x.buf(c.length), c);
    const items: Item[] = [];
    collect(x.push(c.length), items);
    expect(items).toMatchObject([{ kind: "EVENT", data: "new", raw: "data: new\n\n" }]);
  });

  test("finish of an empty stream reports nothing", () => {
    expect(parse("")).toEqual([]);
  });
});

// --- writeEvent ---------------------------------------------------------------------------

function encode(type: string, data: string, id: string | null = null, retry = -1): string | number {
  const t = bytes(type), d = bytes(data), i = bytes(id ?? "");
  const all = new Uint8Array(t.length + d.length + i.length);
  all.set(t, 0);
  all.set(d, t.length);
  all.set(i, t.length + d.length);
  wasm.write(x.buf(all.length), all);
  const n = x.encode(0, t.length, t.length, d.length, t.length + d.length, id === null ? -1 : i.length, retry);
  return n < 0 ? n : latin1(wasm.read(x.out(), n));
}

describe("writeEvent", () => {
  test("event line, one data line per line, blank line", () => {
    expect(encode("content_block_delta", '{"a":1}')).toBe('event: content_block_delta\ndata: {"a":1}\n\n');
    expect(encode("", "[DONE]")).toBe("data: [DONE]\n\n");
    expect(encode("x", "a\nb\n")).toBe("event: x\ndata: a\ndata: b\ndata: \n\n");
    expect(encode("", "")).toBe("data: \n\n");
    expect(encode("t", " lead", "42", 1500)).toBe("event: t\nid: 42\nretry: 1500\ndata:  lead\n\n");
    expect(encode("", "d", "", 0)).toBe("id: \nretry: 0\ndata: d\n\n");
  });

  test("CR and CRLF in data start new data lines", () => {
    expect(encode("", "a\rb\r\nc")).toBe("data: a\ndata: b\ndata: c\n\n");
  });

  test("a type or id that would break the framing is refused", () => {
    expect(encode("a\nb", "d")).toBe(BAD_FIELD);
    expect(encode("a\rb", "d")).toBe(BAD_FIELD);
    expect(encode("", "d", "1\n2")).toBe(BAD_FIELD);
    expect(encode("", "d", "1\0")).toBe(BAD_FIELD);
  });
});

// --- properties ---------------------------------------------------------------------------

/** SSE_RUNS=10 multiplies the runs (for a longer search after a change). */
const runs = (n: number) => ({ numRuns: n * Number(process.env.SSE_RUNS ?? 1) });

/** Cut positions for a random split of an input of length n. */
const cutsOf = (n: number) => fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: Math.min(n, 40) });

// Random byte soup from tokens that matter to the grammar.
const TOKENS = ["data", "event", "id", "retry", ":", ": ", " ", "\r", "\n", "\r\n", "x", "\0", "7", "42", BOM, "\xEF", u("é"), "\xFF", "dat", "a"];
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(""));

// Well-formed streams: events with random line ends, comments and keep-alives.
const EOLS = ["\n", "\r", "\r\n"];
const text = fc.string({ unit: fc.constantFrom("a", "b", " ", ":", "\0", "é", "✓", "{", '"', "\t"), maxLength: 12 })
  .map(u);
const noNul = text.map((s) => s.replace(/\0/g, "0"));
interface GenEvent { type: string | null; data: string[]; id: string | null; retry: number; comments: number[] }
const genEvent: fc.Arbitrary<GenEvent> = fc.record({
  type: fc.option(noNul.filter((s) => s.length > 0), { nil: null }),
  data: fc.array(text, { minLength: 1, maxLength: 4 }),
  id: fc.option(noNul, { nil: null }),
  retry: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 100000 })),
  comments: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
});
interface Serialised { input: string; expected: RefEvent[] }
const stream = fc.record({
  bom: fc.boolean(),
  parts: fc.array(fc.oneof(
    { weight: 5, arbitrary: genEvent },
    { weight: 1, arbitrary: fc.constantFrom(": keep-alive", ":", "") },
  ), { maxLength: 12 }),
  eols: fc.array(fc.constantFrom(...EOLS), { minLength: 1, maxLength: 50 }),
}).map(({ bom, parts, eols }): Serialised => {
  let input = bom ? BOM : "";
  let k = 0;
  let prev = "";
  // a CR-ended line followed by an LF-ended blank line would read as one CRLF: avoid that
  const line = (s: string) => {
    let eol = eols[k++ % eols.length];
    if (s === "" && prev === "\r" && eol === "\n") eol = "\r\n";
    input += s + eol;
    prev = eol;
  };
  const expected: RefEvent[] = [];
  for (const p of parts) {
    if (typeof p === "string") {
      if (p !== "") line(p);
      line("");
      continue;
    }
    const lines: string[] = [];
    if (p.type !== null) lines.push("event: " + p.type);
    if (p.id !== null) lines.push("id: " + p.id);
    if (p.retry >= 0) lines.push("retry:" + p.retry);
    for (const d of p.data) lines.push(d === "" ? "data" : "data: " + d);
    for (const c of p.comments) lines.splice(Math.min(c, lines.length), 0, ": note");
    // comments before the first field are their own item; a blank-free prefix keeps them in
    lines.forEach(line);
    line("");
    expected.push({ type: p.type ?? "message", data: p.data.join("\n"), id: p.id, retry: p.retry });
  }
  return { input, expected };
});

describe("properties", () => {
  test("byte soup: same items whole, 1 byte at a time and at random splits; raw bytes rebuild the input; events match the oracle", () => {
    fc.assert(fc.property(soup.chain((s) => fc.tuple(fc.constant(s), cutsOf(s.length))), ([s, cuts]) => {
      const whole = parse(s);
      expect(parse(s, cuts)).toEqual(whole);
      expect(parse(s, oneByte(s))).toEqual(whole);
      expect(whole.map((i) => i.raw).join("")).toBe(s);
      expect(events(whole)).toEqual(reference(s));
      // each item's raw bytes alone say the same thing (a BOM means something else at the
      // start of a stream, so an item after the first that starts with one is left out)
      for (const [k, it] of whole.entries()) {
        if (k > 0 && it.raw.startsWith(BOM)) continue;
        if (it.kind === "EVENT") expect(events(parse(it.raw))).toEqual(events([it]));
        else expect(reference(it.raw)).toEqual([]);
      }
      // only the last item may be INCOMPLETE
      expect(whole.slice(0, -1).some((i) => i.kind === "INCOMPLETE")).toBe(false);
    }), runs(3000));
  });

  test("well-formed streams with random line ends: the events serialised are the events parsed, however split", () => {
    fc.assert(fc.property(stream.chain((s) => fc.tuple(fc.constant(s), cutsOf(s.input.length))), ([{ input, expected }, cuts]) => {
      const whole = parse(input);
      expect(events(whole)).toEqual(expected);
      expect(parse(input, cuts)).toEqual(whole);
      expect(whole.map((i) => i.raw).join("")).toBe(input);
      expect(whole.every((i) => i.kind === "EVENT" || i.kind === "COMMENT")).toBe(true);
    }), runs(2000));
  });

  test("1-byte pushes of well-formed streams", () => {
    fc.assert(fc.property(stream, ({ input }) => {
      expect(parse(input, oneByte(input))).toEqual(parse(input));
    }), runs(500));
  });

  test("writeEvent output parses back to the same event", () => {
    fc.assert(fc.property(genEvent, (e) => {
      const data = e.data.join("\n");
      const out = encode(e.type ?? "", data, e.id, e.retry);
      expect(typeof out).toBe("string");
      expect(events(parse(out as string))).toEqual([{ type: e.type ?? "message", data, id: e.id, retry: e.retry }]);
    }), runs(1000));
  });

  test("a small bound: oversized events become ERROR + SKIPPED, the others parse, however split", () => {
    const arb = fc.record({
      max: fc.integer({ min: 16, max: 120 }),
      evs: fc.array(fc.record({ type: fc.option(noNul.filter((s) => s.length > 0), { nil: null }), data: fc.array(text, { minLength: 1, maxLength: 8 }) }), { maxLength: 10 }),
      eol: fc.constantFrom(...EOLS),
    }).chain((r) => {
      const blocks = r.evs.map((e) => (e.type ? "event: " + e.type + r.eol : "") + e.data.map((d) => "data: " + d + r.eol).join("") + r.eol);
      const input = blocks.join("");
      return fc.tuple(fc.constant({ ...r, blocks, input }), cutsOf(input.length));
    });
    fc.assert(fc.property(arb, ([{ max, evs, blocks, input }, cuts]) => {
      const whole = mergeSkipped(parse(input, [], max));
      expect(mergeSkipped(parse(input, cuts, max))).toEqual(whole);
      expect(whole.map((i) => i.raw).join("")).toBe(input);
      const expected: Partial<Item>[] = [];
      blocks.forEach((b, k) => {
        if (b.length <= max) {
          expected.push({ kind: "EVENT", raw: b, type: evs[k].type ?? "message", data: evs[k].data.join("\n") });
        } else {
          expected.push({ kind: "ERROR", code: EVENT_TOO_LARGE, raw: b.slice(0, max) }, { kind: "SKIPPED", raw: b.slice(max) });
        }
      });
      expect(whole).toMatchObject(expected);
      expect(whole).toHaveLength(expected.length);
    }), runs(1500));
  });
});
