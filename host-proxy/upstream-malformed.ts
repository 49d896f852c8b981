// Upstream answers that are not what the provider's protocol says they are: an SSE event
// whose data is not JSON, an event larger than the protocol layer keeps, a whole answer that
// is not JSON. Under fail_mode closed the protocol layer
// drops what it could not scan; the proxy then ends the stream with the provider's error
// frame (OpenAI `data: {"error":…}`, Anthropic `event: error`) so the SDK raises, instead
// of delivering an answer with a silent hole. Under fail_mode open the operator chose to
// pass unscannable input through, and it is (counted in the decisions metric as not scanned).
import type { ProtoResult } from "../bindings/transform.ts";

/** Not-scanned reasons (bindings/transform.ts NOT_SCANNED_REASONS) that mean the upstream broke its protocol.
 *  Not `unknown-shape`: providers add event types, which are dropped, not fatal. Not `incomplete`
 *  (the body ended before an event's blank line): an SSE client discards such an event too
 *  (HTML "event stream interpretation"), so the SDK ends exactly as it would against the API. */
const MALFORMED = new Set(["bad-json", "event-too-large"]);

/** The upstream sent an event the guard could not read; the stream is ended there. */
export class MalformedUpstream extends Error {
  constructor(readonly reason: string) {
    super(`the upstream sent a malformed event (${reason}); the answer was cut there`);
    this.name = "MalformedUpstream";
  }
}

/** Throws MalformedUpstream for a provider-stream result that dropped malformed input. */
export function checkWellFormed(r: ProtoResult): void {
  if (r.notScanned && MALFORMED.has(r.reason)) throw new MalformedUpstream(r.reason);
}
