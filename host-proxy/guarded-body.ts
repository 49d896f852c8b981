// A streamed answer's body as ONE stream stage: each pull reads the upstream under the idle
// timer, lets the observers (usage meter, audit copy) see the bytes, pushes them through the
// guard, and turns a failure into the provider's error frame. The same steps as
// idleGuarded → usageMeter → audit.tap → guard.transform → withErrorTail, but chained Web
// streams cost a promise round trip and a queue per stage per chunk, which profiled as most of
// the proxy's CPU per SSE event. Web-standard (runs on Deno too); backpressure as before: the
// upstream is read only when the client side pulls (highWaterMark 0).
//
// Chunks the upstream has already queued are read together and pushed as one (at most
// COALESCE_BYTES): the guard's output does not depend on chunking, and one push and one client
// write per batch beats one per SSE event.
import type { GuardSink, GuardTransformer } from "../bindings/transform.ts";
import { IdleTimeout } from "./body.ts";
import { whenBodyEnds } from "./stream-end.ts";

/** Upper bound of one coalesced push (bytes). */
export const COALESCE_BYTES = 64 * 1024;

export interface GuardedBodyOptions {
  /** the upstream sent nothing for this long while the client was waiting: IdleTimeout */
  idleMs: number;
  /** called when the idle timer fires (after the read failed): abort the upstream here */
  onIdle: () => void;
  /** see every upstream byte, in order, before the guard (usage meter, audit copy) */
  observe?: (chunk: Uint8Array) => void;
  /** the upstream ended normally (after the last observe) */
  observeEnd?: () => void;
  /** the guard (Guard.transformer), or none: bytes pass as they came */
  transformer?: GuardTransformer;
  /** a failure becomes these bytes and a clean end, or (null) errors the body */
  tail: (error: unknown) => Uint8Array | null;
}

const NOT_READY = Symbol("not ready");
type Read = ReadableStreamReadResult<Uint8Array>;

/** The guarded body; `done` hooks (stream-end.ts whenBodyEnds) run once when it ends, fails or is cancelled. */
export function guardedBody(source: ReadableStream<Uint8Array>, o: GuardedBodyOptions): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const t = o.transformer;
  let cancelled = false, finished = false;
  /** a read started while coalescing that was not ready yet: the next pull takes it first */
  let pending: Promise<Read> | undefined;

  // the idle timer: one timer per stream, re-armed lazily, instead of a timer per read
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline = 0;
  let idleReject: ((e: unknown) => void) | undefined;
  const check = () => {
    timer = undefined;
    if (!idleReject) return;
    const left = deadline - performance.now();
    if (left > 0) { timer = setTimeout(check, left); return; }
    const reject = idleReject;
    idleReject = undefined;
    reject(new IdleTimeout(o.idleMs));
    o.onIdle();
  };
  const readWithin = (): Promise<Read> => {
    const read = pending ?? reader.read();
    pending = undefined;
    return new Promise<Read>((resolve, reject) => {
      idleReject = reject;
      deadline = performance.now() + o.idleMs;
      timer ??= setTimeout(check, o.idleMs);
      read.then((r) => { idleReject = undefined; resolve(r); }, (e) => { idleReject = undefined; reject(e); });
    });
  };
  const stopTimer = () => { idleReject = undefined; if (timer !== undefined) { clearTimeout(timer); timer = undefined; } };

  // what the guard emits during one pull
  let out: Uint8Array[] = [];
  let terminated = false;
  const sink: GuardSink = { enqueue: (b) => { out.push(b); }, terminate: () => { terminated = true; } };
  const emit = (c: ReadableStreamDefaultController<Uint8Array>) => {
    if (out.length === 1) c.enqueue(out[0]);
    else if (out.length > 1) c.enqueue(concat(out));
    out = [];
  };
  const end = (c: ReadableStreamDefaultController<Uint8Array>) => { finished = true; stopTimer(); c.close(); ended(); };

  const stream: ReadableStream<Uint8Array> = new ReadableStream<Uint8Array>({
    // a pull that enqueues nothing is not called again (Streams spec: only a read arriving
    // during the pull asks for another), so read on until the guard released something
    async pull(c) {
      try {
        for (;;) {
          const first = await readWithin();
          if (cancelled) return;
          if (first.done) {
            o.observeEnd?.();
            if (t) t.flush(sink);
            emit(c);
            end(c);
            return;
          }
          // whatever else the upstream has queued already, without waiting for more
          let chunk = first.value, more: Uint8Array[] | undefined, size = chunk.length, upstreamDone = false;
          while (size < COALESCE_BYTES) {
            const next = reader.read();
            const r: Read | typeof NOT_READY = await Promise.race([next, NOT_READY as typeof NOT_READY]);
            if (r === NOT_READY) { pending = next; break; }
            if (r.done) { upstreamDone = true; break; }
            (more ??= [chunk]).push(r.value);
            size += r.value.length;
          }
          if (more) chunk = concat(more);
          o.observe?.(chunk);
          if (t) t.transform(chunk, sink); else out.push(chunk);
          if (upstreamDone && !terminated) {
            o.observeEnd?.();
            if (t) t.flush(sink);
          }
          if (out.length === 0 && !terminated && !upstreamDone) continue;
          emit(c);
          if (terminated) {
            // a stop: the terminal frames are out; nothing more is read (the host aborted the upstream)
            pending = undefined;
            reader.cancel().catch(() => {});
            end(c);
          } else if (upstreamDone) end(c);
          return;
        }
      } catch (e) {
        out = [];
        if (cancelled || finished) return;
        t?.cancel();
        pending = undefined;
        reader.cancel(e).catch(() => {});
        finished = true;
        stopTimer();
        const tail = o.tail(e);
        if (!tail) { c.error(e); ended(); return; }
        c.enqueue(tail);
        c.close();
        ended();
      }
    },
    cancel(reason) {
      cancelled = true;
      stopTimer();
      t?.cancel();
      ended();
      return reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
  const ended = whenBodyEnds(stream);
  return stream;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const b = new Uint8Array(n);
  n = 0;
  for (const p of parts) { b.set(p, n); n += p.length; }
  return b;
}
