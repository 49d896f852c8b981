// The two optional hooks of Guard.transform the proxy relies on: onTiming (engine time and byte
// counts per push, for wardline_engine_seconds{phase="midstream"}) and onEngineError (the host's
// fail mode when the engine fails mid-stream), the latter driven by a real injected engine fault.
import { describe, it, expect, afterEach } from "vitest";
import { createGuard } from "../bindings/index.ts";
import { injectEngineFaults, clearEngineFaults } from "../bindings/test-faults.ts";
import { openaiChatFrames, TEST_POLICY } from "./helpers/fake-upstream.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
afterEach(() => clearEngineFaults());

/** `bytes` as a stream of chunks of `size` bytes. */
const chunked = (bytes: Uint8Array, size: number) => new ReadableStream<Uint8Array>({
  start(c) { for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size)); c.close(); },
});
const text = (frames: string[]) => frames.join("");
const contentOf = (sse: string) => sse.split("\n\n").filter((e) => e.startsWith("data: {"))
  .map((e) => JSON.parse(e.slice(6)).choices?.[0]?.delta?.content ?? "").join("");

describe("Guard.transform hooks", () => {
  it("onTiming reports every push and the finish, with byte counts that add up; the output is unchanged", async () => {
    const guard = await createGuard({ policy: TEST_POLICY });
    const input = enc.encode(text(openaiChatFrames("reach me at ann.lee@example.org please")));
    const plain = await new Response(chunked(input, 7).pipeThrough(guard.transform("openai-chat"))).text();
    const timings: { ms: number; bytesIn: number; bytesOut: number }[] = [];
    const timed = await new Response(chunked(input, 7).pipeThrough(guard.transform("openai-chat", { onTiming: (t) => timings.push(t) }))).text();
    expect(timed).toBe(plain);
    expect(contentOf(timed)).toBe("reach me at [EMAIL] please");
    expect(timings.length).toBe(Math.ceil(input.length / 7) + 1);
    expect(timings.at(-1)!.bytesIn).toBe(input.length);
    expect(timings.at(-1)!.bytesOut).toBe(enc.encode(timed).length);
    for (const t of timings) expect(t.ms).toBeGreaterThanOrEqual(0);
    // something was held back at some point (the email could not be released before it ended)
    expect(timings.some((t) => t.bytesIn - t.bytesOut > 0)).toBe(true);
  });

  it("an engine error without onEngineError errors the stream (WL_ENGINE_TEST_FAULT)", async () => {
    const guard = await createGuard({ policy: TEST_POLICY });
    injectEngineFaults("stream", 1);
    const input = enc.encode(text(openaiChatFrames("hello")));
    await expect(new Response(chunked(input, 16).pipeThrough(guard.transform("openai-chat"))).text()).rejects.toMatchObject({ code: "WL_ENGINE_TEST_FAULT" });
  });

  it("onEngineError → true: the rest passes unscanned from the next event boundary, never a cut event", async () => {
    const guard = await createGuard({ policy: TEST_POLICY });
    const frames = openaiChatFrames("first part, then mail ann.lee@example.org");
    const input = enc.encode(text(frames));
    for (const size of [1, 5, 13, 64]) {
      const errors: string[] = [];
      // the 4th push fails: what came before is guarded, what comes after is raw
      let pushes = 0;
      const t = guard.transform("openai-chat", {
        onTiming: () => { if (++pushes === 3) injectEngineFaults("stream", 1); },
        onEngineError: (e) => { errors.push((e as { code?: string }).code ?? ""); return true; },
      });
      const out = await new Response(chunked(input, size).pipeThrough(t)).text();
      expect(errors).toEqual(["WL_ENGINE_TEST_FAULT"]);
      // every event the client got is whole, and the stream still ends with [DONE]
      const events = out.split("\n\n").filter((e) => e !== "" && !e.startsWith(":"));
      for (const e of events) expect(e === "data: [DONE]" || JSON.parse(e.slice(6)).object === "chat.completion.chunk").toBe(true);
      expect(out.endsWith("data: [DONE]\n\n")).toBe(true);
      // unscanned after the failure: the email reaches the client as the upstream sent it
      expect(contentOf(out)).toContain("ann.lee@example.org");
      expect("first part, then mail ann.lee@example.org".endsWith(contentOf(out).slice(-10))).toBe(true);
    }
  });
});
