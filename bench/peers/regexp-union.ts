// Peer: one V8 RegExp union of patterns equivalent to the engine's detectors (bench/regexp-union.ts),
// what a user would otherwise hand-write. No validators: a RegExp cannot run Luhn or mod-97.
import { UNION } from "../regexp-union.ts";
import type { Span } from "../quality.ts";
import type { Peer } from "./peer.ts";

function matches(text: string): Span[] {
  const out: Span[] = [];
  UNION.lastIndex = 0;
  for (let m = UNION.exec(text); m !== null; m = UNION.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

export const regexpUnion: Peer = {
  name: "RegExp union (V8)",
  kinds: ["EMAIL", "CREDIT_CARD", "PHONE", "US_SSN", "IBAN", "IP_ADDRESS", "AWS_ACCESS_KEY_ID", "INJECTION", "PROFANITY"],
  call: matches,
  spans: (_text, out) => out as Span[],
};
