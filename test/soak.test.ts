// A short soak (scripts/soak.ts): concurrent streamed answers through the real proxy (its own
// process), each client's bytes compared with the one-shot scan laid into the upstream's
// frames. Asserts zero corrupted or lost streams, never timing. `npm run soak` is the long run.
import { describe, it, expect } from "vitest";
import { runSoak, checkStream } from "../scripts/soak.ts";
import { openaiChatFrames, anthropicFrames } from "./helpers/fake-upstream.ts";

describe("soak (short)", () => {
  it("100 concurrent streams for 5 s: every client receives exactly the expected bytes", async () => {
    const s = await runSoak({ streams: 100, seconds: 5, seed: 7 });
    expect(s.first_mismatch).toBeUndefined();
    expect(s.mismatches).toBe(0);
    expect(s.lost).toBe(0);
    expect(s.completed).toBeGreaterThanOrEqual(100);
    expect(s.kinds.clean).toBeGreaterThan(0);
    expect(s.kinds.redacted).toBeGreaterThan(0);
    expect(s.kinds.stopped).toBeGreaterThan(0);
    expect(s.providers.anthropic).toBeGreaterThan(0);
    expect(s.providers["openai-chat"]).toBeGreaterThan(0);
  }, 90_000);

  it("the checker refuses a changed byte, a lost frame, a leaked value and a missing stop", () => {
    const text = "write to ann.lee@example.org today";
    const expected = { text: "write to [EMAIL] today", stopped: false };
    // What the proxy may send: the upstream's frames, the whole redacted text in the first delta.
    const frames = openaiChatFrames(text);
    const delta = /"delta":\{"content":"(?:[^"\\]|\\.)*"/;
    const first = frames.findIndex((f) => delta.test(f));
    const good = frames.map((f, i) => (i === first ? f.replace(delta, `"delta":{"content":${JSON.stringify(expected.text)}`)
      : i > first ? f.replace(delta, '"delta":{"content":""') : f)).join("");
    expect(checkStream("openai-chat", frames, good, expected)).toBe("");
    expect(checkStream("openai-chat", frames, good.replace("today", "todaY"), expected)).not.toBe("");
    expect(checkStream("openai-chat", frames, good.replace(frames.at(-1)!, ""), expected)).not.toBe("");
    expect(checkStream("openai-chat", frames, good.replace("[EMAIL]", "ann.lee@example.org"), { text: expected.text, stopped: false })).not.toBe("");
    expect(checkStream("openai-chat", frames, good.replace("data: [DONE]\n\n", "data: [DONE]\n\ndata: {}\n\n"), expected)).not.toBe("");
    const a = anthropicFrames("x bluebird y");
    expect(checkStream("anthropic", a, a.join(""), { text: "x ", stopped: true })).not.toBe("");
  });
});
