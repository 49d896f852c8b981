// Memory an open stream costs in the engine alone (no HTTP): RSS growth while `n` streams are
// open at once, per stream. Separates the engine's per-stream state from the proxy's.
import type { Guard } from "../bindings/guard.ts";

/** `make` gives a fresh guard (its own wasm instance) per measurement: memory freed by the
 *  first set of streams would otherwise be reused by the second (wasm memory never shrinks). */
export async function memoryPerStream(make: () => Promise<Guard>, n: number): Promise<{ streams: number; rss_kb_per_stream: number; transform_rss_kb_per_stream: number }> {
  const rss = () => process.memoryUsage().rss;
  const settle = () => new Promise((r) => setTimeout(r, 50));
  let guard = await make();
  await settle();
  const a = rss();
  const open = Array.from({ length: n }, () => { const s = guard.stream({ phase: "midstream" }); s.push("Hello there, the release is out"); return s; });
  await settle();
  const perStream = (rss() - a) / n / 1024;
  for (const s of open) s.finish();
  const enc = new TextEncoder();
  const frame = enc.encode('data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello there"},"finish_reason":null}]}\n\n');
  guard = await make();
  await settle();
  const b = rss();
  const transforms = Array.from({ length: n }, () => {
    const t = guard.transform("openai-chat");
    const w = t.writable.getWriter();
    void w.write(frame);
    void t.readable.getReader().read();
    return w;
  });
  await settle();
  const perTransform = (rss() - b) / n / 1024;
  for (const w of transforms) void w.close().catch(() => {});
  return { streams: n, rss_kb_per_stream: Math.round(perStream), transform_rss_kb_per_stream: Math.round(perTransform) };
}
