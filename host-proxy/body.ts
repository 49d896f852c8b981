// Reading bodies with limits: a request body counted while it streams (413 as soon as it
// passes the limit, never read whole first), and an upstream body read under an idle timer.

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) { super(`the request body is larger than ${limit} bytes`); this.name = "BodyTooLarge"; }
}

export class IdleTimeout extends Error {
  constructor(readonly ms: number) { super(`the upstream sent nothing for ${ms} ms`); this.name = "IdleTimeout"; }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Reads a request body whole, refusing it (BodyTooLarge) once it passes `limit` bytes. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    // stop reading but do not cancel: on node:http a cancel destroys the socket before the 413
    // is written (the client then sees EPIPE, not our answer); the 413 carries connection: close
    if (total > limit) { reader.releaseLock(); throw new BodyTooLarge(limit); }
    parts.push(value);
  }
  return concat(parts, total);
}

/** A body passed on as a stream, erroring (BodyTooLarge) once it passes `limit` bytes. The
 *  source is released, not cancelled: cancelling a node:http request body destroys the socket
 *  before the 413 can be written (see readLimited). */
export function limitStream(body: ReadableStream<Uint8Array>, limit: number, onTooLarge: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const { done, value } = await reader.read();
      if (done) { c.close(); return; }
      total += value.length;
      if (total > limit) { onTooLarge(); reader.releaseLock(); c.error(new BodyTooLarge(limit)); return; }
      c.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason).catch(() => {}); },
  }, { highWaterMark: 0 });
}

/** One read that fails with IdleTimeout (after calling onTimeout) if nothing arrives in `ms`. */
export async function readWithin<T>(reader: ReadableStreamDefaultReader<T>, ms: number, onTimeout: () => void): Promise<ReadableStreamReadResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new IdleTimeout(ms)); onTimeout(); }, ms);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads an upstream body whole under the idle timer. */
export async function readAllWithin(body: ReadableStream<Uint8Array> | null, ms: number, onTimeout: () => void): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await readWithin(reader, ms, onTimeout);
    if (done) break;
    parts.push(value);
    total += value.length;
  }
  return concat(parts, total);
}

/**
 * An upstream body as a stream that errors with IdleTimeout when the upstream goes quiet
 * for `ms` (calling onTimeout first, to abort the fetch). Cancelling it cancels the upstream.
 */
export function idleGuarded(body: ReadableStream<Uint8Array>, ms: number, onTimeout: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const { done, value } = await readWithin(reader, ms, onTimeout);
      if (done) c.close();
      else c.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason); },
  }, { highWaterMark: 0 });
}
