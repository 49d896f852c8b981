// Peer: redact-pii's synchronous regex redactor with its defaults (built-in patterns and the
// well-known-names list; never the Google DLP redactor, which needs the network). It returns
// redacted text; a control character as the replacement lets the spans be recovered exactly.
import redactPii from "redact-pii";
import { redactedSpans } from "../quality.ts";
import type { Peer } from "./peer.ts";

const TOKEN = "\u0001";
const redactor = new redactPii.SyncRedactor({ globalReplaceWith: TOKEN });

export const redactPiiPeer: Peer = {
  name: "redact-pii (sync)",
  kinds: ["EMAIL", "CREDIT_CARD", "PHONE", "US_SSN", "IP_ADDRESS"],
  call: (text) => redactor.redact(text),
  spans: (text, out) => redactedSpans(text, out as string, /\u0001/),
};
