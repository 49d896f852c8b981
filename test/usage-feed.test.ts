// The usage meter reads the provider's `usage` from SSE bytes split anywhere (it scans lines as
// bytes and decodes only the one carrying usage): whole, 1-byte and random splits agree.
import { describe, expect, it } from "vitest";
import { usageFeed, type Metered } from "../host-proxy/limits.ts";

const enc = new TextEncoder();
const body = enc.encode([
  `data: {"choices":[{"delta":{"content":"héllo — ünïcode"}}]}`,
  ``,
  `data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}\r`,
  `\r`,
  `data: [DONE]`,
  ``,
  ``,
].join("\n"));

function meter(chunks: Uint8Array[]): Metered {
  const m: Metered = { bytes: 0 };
  const f = usageFeed(m);
  for (const c of chunks) f.feed(c);
  f.end();
  return m;
}

function splits(b: Uint8Array, cut: (i: number) => boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 1; i < b.length; i++) if (cut(i)) { out.push(b.slice(start, i)); start = i; }
  out.push(b.slice(start));
  return out;
}

describe("usageFeed", () => {
  it("reads usage and counts bytes whatever the chunking", () => {
    const whole = meter([body]);
    expect(whole.bytes).toBe(body.length);
    expect(whole.usage).toBeDefined();
    expect(whole.usage).toEqual(meter(splits(body, () => true)).usage);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 50; n++) {
      const m = meter(splits(body, () => rnd() < 0.1));
      expect(m.usage).toEqual(whole.usage);
      expect(m.bytes).toBe(body.length);
    }
  });

  it("reads a usage line that has no newline before the end", () => {
    const m = meter([enc.encode(`data: {"usage":{"input_tokens":3,"output_tokens":4}}`)]);
    expect(m.usage).toBeDefined();
  });
});
