// Lingering close (nginx's `lingering_close`) for answers sent before the request body was
// read — a 413 for a body over the limit. Node closes such a connection as soon as the
// answer is written, with the unread body still arriving; the kernel then resets it, and a
// client busy writing loses our 413 (it sees EPIPE/ECONNRESET instead). So for these
// connections the proxy sends its FIN, keeps discarding what the client still sends — for at
// most LINGER_MS and LINGER_BYTES, never stored — and closes once the client has read the
// answer and stops (or the bounds are hit). The body is still never read whole.
import type { IncomingMessage } from "node:http";

export const LINGER_MS = 2000;
export const LINGER_BYTES = 8 * 1024 * 1024;

/** Call before writing an answer with `connection: close` to a request whose body has not ended. */
export function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage["socket"] & { destroySoon(): void };
  // node:http ends a `connection: close` exchange with socket.destroySoon() once the answer is written
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    if (this.writable) this.end(); // our FIN: the answer is complete (http.Server sockets are half-open capable)
    const close = () => { clearTimeout(timer); this.destroy(); };
    const timer = setTimeout(close, LINGER_MS);
    timer.unref();
    this.once("end", close);
    // the request body's web stream was released unread: drop its listener, count and discard the rest
    let discarded = 0;
    req.removeAllListeners("data");
    req.on("data", (c: Buffer) => { discarded += c.length; if (discarded > LINGER_BYTES) close(); });
    req.on("end", close);
    req.resume();
  };
}
