// A trapped engine instance is replaced by a fresh one with the same compiled policy, and the
// trap reaches the caller once, as WardlineError WL_ENGINE_TRAP. The traps are real: the engine
// is built with a 32 MiB memory cap (test/helpers/capped-engine.ts) and given more than fits.
import { describe, it, expect } from "vitest";
import { WardlineError } from "../bindings/errors.ts";
import { cappedGuard, OOM_BYTES } from "./helpers/capped-engine.ts";

const pii = "mail ann.lee@example.org or call 415-555-2671";
const trapOf = (fn: () => unknown) => { try { fn(); } catch (e) { return e as WardlineError; } throw new Error("expected a trap"); };

describe("engine recovery after a trap", () => {
  it("scan: out of memory traps once (WL_ENGINE_TRAP); the next scan runs on a fresh instance with the same policy", async () => {
    const guard = await cappedGuard();
    const before = guard.scan(pii).text;
    expect(before).toBe("mail [EMAIL] or call [PHONE]");
    const e = trapOf(() => guard.scan("a ".repeat(OOM_BYTES / 2)));
    expect(e).toBeInstanceOf(WardlineError);
    expect(e.code).toBe("WL_ENGINE_TRAP");
    expect(guard.engineRestarts).toBe(1);
    expect(guard.scan(pii).text).toBe(before);
    // the fresh instance is as capable as the first one was: a big but fitting input still scans
    expect(guard.scan("b ".repeat(500_000)).action).toBe("allow");
    expect(guard.engineRestarts).toBe(1);
  });

  it("a stream opened before the trap fails with WL_ENGINE_DISCARDED; new streams work", async () => {
    const guard = await cappedGuard();
    const old = guard.stream();
    old.push("hello ");
    expect(trapOf(() => guard.scan("a ".repeat(OOM_BYTES / 2))).code).toBe("WL_ENGINE_TRAP");
    expect(trapOf(() => old.push("more")).code).toBe("WL_ENGINE_DISCARDED");
    const s = guard.stream();
    expect(s.push("write to ann.lee@exam").text + s.push("ple.org now").text + s.finish().text).toBe("write to [EMAIL] now");
  });

  it("a trap inside a stream's push is reported there; the guard's next call starts a fresh instance", async () => {
    const guard = await cappedGuard();
    const s = guard.stream();
    expect(trapOf(() => s.push("a ".repeat(OOM_BYTES / 2))).code).toBe("WL_ENGINE_TRAP");
    expect(guard.scan(pii).text).toBe("mail [EMAIL] or call [PHONE]");
    expect(guard.engineRestarts).toBe(1);
  });

  it("inspectRequest: a body too big for the instance traps once, then requests are inspected again", async () => {
    const guard = await cappedGuard();
    const big = JSON.stringify({ model: "m", messages: [{ role: "user", content: "a ".repeat(OOM_BYTES / 2) }] });
    expect(trapOf(() => guard.inspectRequest("openai-chat", big)).code).toBe("WL_ENGINE_TRAP");
    const r = guard.inspectRequest("openai-chat", JSON.stringify({ model: "m", messages: [{ role: "user", content: pii }] }));
    expect(r.action).toBe("redact");
    expect(JSON.parse(new TextDecoder().decode(r.body!)).messages[0].content).toBe("mail [EMAIL] or call [PHONE]");
    expect(guard.engineRestarts).toBe(1);
  });

  it("transform: a trap in a provider stream errors that stream with WL_ENGINE_TRAP; the next transform works", async () => {
    const guard = await cappedGuard();
    const frame = (t: string) => new TextEncoder().encode(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] })}\n\n`);
    const run = async (chunks: Uint8Array[]) => {
      const out: Uint8Array[] = [];
      const src = new ReadableStream<Uint8Array>({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
      const reader = src.pipeThrough(guard.transform("openai-chat")).getReader();
      for (;;) { const { done, value } = await reader.read(); if (done) break; out.push(value); }
      return Buffer.concat(out).toString("utf8");
    };
    // the protocol layer bounds what it keeps per event, so the chunk itself must not fit: 40 MB > the 32 MiB cap
    const err = await run([frame("hi "), frame("a ".repeat(20_000_000))]).catch((e) => e);
    expect(err).toBeInstanceOf(WardlineError);
    expect(err.code).toBe("WL_ENGINE_TRAP");
    const text = await run([frame("write to ann.lee@exa"), frame("mple.org")]);
    expect(text).toContain("[EMAIL]");
    expect(text).not.toContain("ann.lee");
    expect(guard.engineRestarts).toBe(1);
  });
});
