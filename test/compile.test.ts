// The policy compiler: semantic errors at file:line:col, deterministic bytes, and
// custom keyword/regex detectors doing what the policy says.
import { describe, it, expect } from "vitest";
import { createGuard, PolicyError } from "../bindings/index.ts";

const base = (body: string) => `version: 1\nname: t\n${body}`;

describe("policy compiler", () => {
  it("the same policy compiles to the same bytes", async () => {
    const a = await createGuard({ policy: "policies/default.yaml" });
    const b = await createGuard({ policy: "policies/default.yaml" });
    expect(Buffer.from(a.policyBytes).equals(Buffer.from(b.policyBytes))).toBe(true);
  });

  it("an unknown PII entity is reported where it is written", async () => {
    const err = await createGuard({ policy: base("detectors:\n  pii:\n    entities: [EMAIL, EMIAL]\n") }).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect(err.code).toBe("WL_POLICY_UNKNOWN_ENTITY");
    expect(err.message).toMatch(/^<inline>:5:\d+: .*EMIAL/);
  });

  it("a regex the linear-time compiler cannot take is rejected at load time with its position", async () => {
    const err = await createGuard({ policy: base(
      "detectors:\n  custom:\n    - { id: backref, type: REPEAT, pattern: '(a+)\\1' }\nrules:\n  - { id: r, when: { detector: custom }, action: flag }\n") }).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect(err.code).toBe("WL_POLICY_REGEX");
    expect(err.line).toBe(5);
  });

  it("custom keywords match whole words through case, homoglyphs and leetspeak", async () => {
    const g = await createGuard({ policy: base(
      "detectors:\n  custom:\n    - { id: code, type: CODENAME, keywords: [project falcon, osprey] }\nrules:\n  - { id: r, when: { detector: custom }, action: redact }\n") });
    expect(g.scan("Status of PROJECT   Falcon and 0spr3y?").text).toBe("Status of [CODENAME] and [CODENAME]?");
    expect(g.scan("Status of Prоject Falcon").text).toBe("Status of [CODENAME]"); // Cyrillic о
    expect(g.scan("the ospreys and falcons").findings).toEqual([]);
  });

  it("custom regexes run on the original text, case-insensitive with flag i", async () => {
    const g = await createGuard({ policy: base(
      "detectors:\n  custom:\n    - { id: ticket, type: TICKET, pattern: '\\bTCK-[0-9]{4,6}\\b', flags: i }\nrules:\n  - { id: r, when: { detector: custom }, action: redact, replacement: { text: '<ticket>' } }\n") });
    expect(g.scan("see tck-12345 and TCK-999").text).toBe("see <ticket> and TCK-999");
  });

  it("combination rules act on the whole text once they hold", async () => {
    const g = await createGuard({ policy: base(`detectors:
  custom:
    - { id: a, type: WORD_A, keywords: [alpha] }
    - { id: b, type: WORD_B, keywords: [bravo] }
rules:
  - id: both
    when: { all: [ { detector: custom, types: [WORD_A] }, { detector: custom, types: [WORD_B] } ] }
    action: stop
    phases: [midstream]
    message: stopped
`) });
    expect(g.scan("alpha only", { phase: "midstream" }).action).toBe("allow");
    const r = g.scan("alpha then bravo and more", { phase: "midstream" });
    expect(r.action).toBe("stop");
    expect(r.text).toBe("alpha then ");
    expect(r.stopped).toBe(true);
  });

  it("disclaimers are appended once at the end", async () => {
    const g = await createGuard({ policy: base(`detectors:
  custom:
    - { id: inv, type: ADVICE, keywords: [you should invest] }
rules:
  - { id: d, when: { detector: custom }, action: disclaimer, message: "\\n\\n(Not financial advice.)" }
`) });
    const r = g.scan("I think you should invest now. Yes, you should invest.", { phase: "midstream" });
    expect(r.text).toBe("I think you should invest now. Yes, you should invest.\n\n(Not financial advice.)");
  });

  it("pseudonymize gives each distinct value its own placeholder", async () => {
    const g = await createGuard({ policy: base("detectors:\n  pii: { entities: [EMAIL] }\nrules:\n  - { id: p, when: { detector: pii }, action: pseudonymize }\n") });
    const r = g.scan("a@example.org, b@example.org, a@example.org");
    expect(r.text).toBe("<EMAIL_1>, <EMAIL_2>, <EMAIL_1>");
    expect(r.findings.map((f) => f.placeholder)).toEqual(["<EMAIL_1>", "<EMAIL_2>", "<EMAIL_1>"]);
  });
});
