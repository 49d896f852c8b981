// The proxy's one-stage streamed body (host-proxy/guarded-body.ts) gives the client the same
// bytes as Guard.transform over the whole answer, however the upstream chunked it and whether
// its chunks were queued together (read as one push) or arrived one by one; a stop ends it
// with the provider's terminal frames, an upstream failure with the error tail.
import { describe, it, expect } from "vitest";
import { createGuard } from "../bindings/index.ts";
import { guardedBody } from "../host-proxy/guarded-body.ts";
import { openaiChatFrames, TEST_POLICY } from "./helpers/fake-upstream.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const guard = await createGuard({ policy: TEST_POLICY });
const answer = enc.encode(openaiChatFrames("mail ann.lee@example.org or call about the card 4111 1111 1111 1111 today — héllo").join(""));

/** `parts` queued at once (the body reads them as one push) or handed out one per pull, after a timer. */
const source = (parts: Uint8Array[], queued: boolean) => {
  let i = 0;
  return queued
    ? new ReadableStream<Uint8Array>({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } })
    : new ReadableStream<Uint8Array>({
      async pull(c) { await new Promise((r) => setTimeout(r, 0)); if (i < parts.length) c.enqueue(parts[i++]); else c.close(); },
    }, { highWaterMark: 0 });
};
const split = (b: Uint8Array, cut: (i: number) => boolean) => {
  const out: Uint8Array[] = [];
  let s = 0;
  for (let i = 1; i < b.length; i++) if (cut(i)) { out.push(b.slice(s, i)); s = i; }
  out.push(b.slice(s));
  return out;
};
const read = async (body: ReadableStream<Uint8Array>) => dec.decode(new Uint8Array(await new Response(body).arrayBuffer()));
const viaTransform = async (b: Uint8Array) => read(source([b], true).pipeThrough(guard.transform("openai-chat")));
const viaBody = (parts: Uint8Array[], queued: boolean) =>
  read(guardedBody(source(parts, queued), { idleMs: 10_000, onIdle: () => {}, transformer: guard.transformer("openai-chat"), tail: () => null }));

describe("guardedBody", () => {
  it("releases what Guard.transform releases for the whole answer, for every chunking", async () => {
    const want = await viaTransform(answer);
    expect(want).toContain("[EMAIL]");
    expect(want).not.toContain("ann.lee@example.org");
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const queued of [true, false]) {
      expect(await viaBody([answer], queued)).toBe(want);
      // 1-byte pieces one timer apart take seconds: that case runs queued only
      if (queued) expect(await viaBody(split(answer, () => true), queued)).toBe(want);
      for (let n = 0; n < 5; n++) expect(await viaBody(split(answer, () => rnd() < 0.05), queued)).toBe(want);
    }
  });

  it("an upstream failure mid-answer ends the body with the tail after what was released", async () => {
    const half = answer.slice(0, answer.length >> 1);
    let n = 0;
    const failing = new ReadableStream<Uint8Array>({ pull(c) { if (n++ === 0) c.enqueue(half); else c.error(new Error("upstream reset")); } }, { highWaterMark: 0 });
    let seen: unknown;
    const out = await read(guardedBody(failing, { idleMs: 10_000, onIdle: () => {}, transformer: guard.transformer("openai-chat"),
      tail: (e) => { seen = e; return enc.encode("event: error\ndata: {}\n\n"); } }));
    expect((seen as Error).message).toBe("upstream reset");
    expect(out.endsWith("event: error\ndata: {}\n\n")).toBe(true);
  });

  it("an upstream that goes quiet fails with IdleTimeout after calling onIdle", async () => {
    const quiet = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) }, { highWaterMark: 0 });
    let idled = false, seen: unknown;
    const out = await read(guardedBody(quiet, { idleMs: 30, onIdle: () => { idled = true; }, tail: (e) => { seen = e; return enc.encode("tail"); } }));
    expect(idled).toBe(true);
    expect((seen as Error).name).toBe("IdleTimeout");
    expect(out).toBe("tail");
  });
});
