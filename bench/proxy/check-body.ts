// Each response is checked, not just counted: 200 text events, the upstream's text, [DONE].
import { sseText } from "../sse.ts";
import { DELTAS, EVENTS } from "./stream-body.ts";

/** `exact`: the body must carry every event as sent (direct, pipe). A guard may merge deltas
 *  it held back into one event, so for Wardline the text and the end frame are checked. */
export function checkBody(body: string, exact = true): string | undefined {
  const got = sseText("openai-chat", body);
  if (exact ? got.textEvents !== EVENTS : got.textEvents === 0) return `${got.textEvents} text events, expected ${EVENTS}`;
  if (got.text !== DELTAS.join("")) return "streamed text differs from the upstream's";
  if (!got.done) return "no [DONE] frame";
  return undefined;
}
