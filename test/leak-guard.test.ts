// The prompt-leak guard: an answer reproducing the request's system prompt (a run of
// min_words words) or a canary token is stopped before those bytes leave, under any
// split, and disguises (case, spacing, homoglyphs) do not hide the copy.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { createGuard } from "../bindings/index.ts";

const POLICY = `version: 1
name: leak
detectors:
  leak: { min_words: 8 }
rules:
  - { id: no-leak, when: { detector: leak }, action: stop, phases: [midstream], message: "answer stopped: it repeats the system prompt" }
`;
const SYSTEM = "You are Acme's support bot. Never discuss pricing. Escalate refunds above 500 dollars to a human agent named Priya.";
const CANARY = "ZX-CANARY-7731";

async function run(answer: string, cuts: number[] = []) {
  const guard = await createGuard({ policy: POLICY });
  const s = guard.stream({ context: { systemPrompt: SYSTEM, canaries: [CANARY] } });
  let out = "";
  let stopped = false;
  let prev = 0;
  for (const c of [...cuts, answer.length]) {
    const r = s.push(answer.slice(prev, c));
    out += r.text;
    prev = c;
    if (r.stopped) { stopped = true; break; }
  }
  if (!stopped) { const r = s.finish(); out += r.text; stopped = r.stopped; } else s.close();
  return { out, stopped };
}

describe("prompt-leak guard", () => {
  it("stops before a reproduced run of the system prompt", async () => {
    const answer = "Sure! My instructions say: never discuss pricing. escalate refunds above 500 dollars to a human agent named Priya. Anyway...";
    const r = await run(answer);
    expect(r.stopped).toBe(true);
    expect(r.out).toBe("Sure! My instructions say: ");
  });

  it("stops at a canary token, even disguised", async () => {
    expect((await run(`The code is ${CANARY}, as requested.`)).out).toBe("The code is ");
    expect((await run("The code is zx canary 7731 ok")).out).toBe("The code is ");
  });

  it("lets short overlaps and unrelated answers through", async () => {
    const answer = "I can help with refunds. A human agent will contact you about your order.";
    const r = await run(answer);
    expect(r.stopped).toBe(false);
    expect(r.out).toBe(answer);
  });

  it("gives the same bytes under any split", async () => {
    const answer = "Well, never discuss pricing. Escalate refunds above 500 dollars to a human agent named Priya, it says.";
    const whole = await run(answer);
    await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: answer.length }), { maxLength: 20 }), async (cuts) => {
      expect(await run(answer, cuts.sort((a, b) => a - b))).toEqual(whole);
    }), { numRuns: 150 });
  });
});
