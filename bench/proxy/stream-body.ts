// What the fake upstream streams and what the load generator sends, shared by both sides.
import { openaiChatEvents } from "../sse.ts";

/** text events per response */
export const EVENTS = 200;
const WORDS = "The deployment finished and the release notes describe every change to the server configuration".split(" ");
/** clean deltas (nothing a policy acts on), so the proxy must pass the text through unchanged */
export const DELTAS = Array.from({ length: EVENTS }, (_, i) => (i === 0 ? "" : " ") + WORDS[i % WORDS.length]);
export const FRAMES = openaiChatEvents(DELTAS).map((f) => Buffer.from(f));

export const PATH = "/v1/chat/completions";
export const HEADERS = { "content-type": "application/json", authorization: "Bearer sk-bench-not-a-real-key" };
export const requestBody = (model = "gpt-4.1") => JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "Summarise the release notes for the server deployment, please." }] });
