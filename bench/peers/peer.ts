// What the runner needs from a peer: its natural call (timed), and the spans that call's
// output shows (not timed), for the quality columns.
import type { Span } from "../quality.ts";

export interface Peer {
  name: string;
  /** planted kinds this peer claims to detect (recall is reported for these only) */
  kinds: readonly string[];
  /** the peer's own API on one prompt, as a user would call it */
  call(text: string): unknown;
  /** spans in `text` that `call`'s output detected */
  spans(text: string, output: unknown): Span[];
}
