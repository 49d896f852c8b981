// Endings of response streams: an SSE error frame when the upstream fails after streaming
// began (the SDK raises it instead of seeing a silently short answer), and a callback when
// a body is done for any reason (finished, failed, or cancelled by the client).

/**
 * Reads `source`; if it errors, enqueues `tail(error)` and closes cleanly (or, when `tail`
 * returns null, errors too, so the adapter resets the connection rather than fake an end).
 * Cancelling the result cancels `source` (and so, through pipes, the upstream fetch).
 */
export function withErrorTail(source: ReadableStream<Uint8Array>, tail: (error: unknown) => Uint8Array | null): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const { done, value } = await reader.read();
        if (done) c.close();
        else c.enqueue(value);
      } catch (e) {
        if (cancelled) return;
        const t = tail(e);
        if (!t) { c.error(e); return; }
        c.enqueue(t);
        c.close();
      }
    },
    cancel(reason) { cancelled = true; return reader.cancel(reason); },
  }, { highWaterMark: 0 });
}

/** Bodies that report their own end (guarded-body.ts): onBodyEnd adds its callback to their
 *  list instead of wrapping them in one more stream stage. */
const endHooks = new WeakMap<ReadableStream<Uint8Array>, (() => void)[]>();

/** Registers `body` as one that reports its end; call the returned function once it ended,
 *  failed or was cancelled (later calls do nothing). Hooks run in the order they were added. */
export function whenBodyEnds(body: ReadableStream<Uint8Array>): () => void {
  const hooks: (() => void)[] = [];
  endHooks.set(body, hooks);
  let called = false;
  return () => {
    if (called) return;
    called = true;
    endHooks.delete(body);
    for (const h of hooks) h();
  };
}

/** The same response whose body calls `done` once when it ends, fails or is cancelled. */
export function onBodyEnd(res: Response, done: () => void): Response {
  if (!res.body) { done(); return res; }
  const hooks = endHooks.get(res.body);
  if (hooks) { hooks.push(done); return res; }
  let called = false;
  const once = () => { if (!called) { called = true; done(); } };
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const { done: end, value } = await reader.read();
        if (end) { once(); c.close(); } else c.enqueue(value);
      } catch (e) { once(); c.error(e); }
    },
    cancel(reason) { once(); return reader.cancel(reason); },
  }, { highWaterMark: 0 });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
