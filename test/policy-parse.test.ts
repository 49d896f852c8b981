// The policy language: YAML/object → checked PolicyIR, errors at file:line:col with stable
// codes, `extends` merging, the shipped policies, the JSON Schema and docs kept in step.
import { readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { engineError, EngineError, ERROR_CODES, PolicyError } from "../bindings/errors.ts";
import type { PolicyIR } from "../bindings/policy/ir.ts";
import { parsePolicy, policyFromObject, TOP_KEYS, type PolicyResolver } from "../bindings/policy/parse.ts";
import { CONDITION_KEYS, REPLACEMENT_KEYS, RULE_KEYS, WEIGHTED_TERM_KEYS } from "../bindings/policy/parse-rules.ts";
import { CUSTOM_KEYS, DECODE_FIELDS, DETECTOR_FIELDS, SETTINGS_FIELDS } from "../bindings/policy/parse-sections.ts";

const FIX = "test/fixtures/policies";
const read = (file: string) => readFileSync(file, "utf8");
/** Resolves `extends` relative to the naming file, as a host would. */
const fsResolver: PolicyResolver = (name, from) => {
  const file = posix.join(posix.dirname(from), name);
  return { text: read(file), file };
};
/** Resolves from an in-memory set of files. */
const memResolver = (files: Record<string, string>): PolicyResolver => (name) => {
  if (!(name in files)) throw new Error(`ENOENT: ${name}`);
  return { text: files[name], file: name };
};
const withoutLocs = (ir: PolicyIR) => JSON.parse(JSON.stringify({ ...ir, source: "" }, (k, v) => (k === "loc" ? undefined : v)));

function thrown(f: () => unknown): PolicyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return e as PolicyError;
  }
  throw new Error("expected a PolicyError, but the policy was accepted");
}

describe("shipped policies", () => {
  const shipped = readdirSync("policies").filter((f) => f.endsWith(".yaml"));
  it("include the four documented ones", () => {
    expect(shipped.sort()).toEqual(["default.yaml", "pii-only.yaml", "regulated-advice.yaml", "strict.yaml"]);
  });
  for (const f of shipped) {
    it(`${f} parses, names itself after its file and points editors at the schema`, () => {
      const text = read(`policies/${f}`);
      expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./wardline-policy.schema.json");
      const ir = parsePolicy(text, `policies/${f}`, fsResolver);
      expect(ir.name).toBe(f.replace(/\.yaml$/, ""));
      expect(ir.rules.length).toBeGreaterThan(0);
      expect(ir.source).toBe(`policies/${f}`);
    });
  }

  it("default blocks injection at ingress only, redacts PII and secrets everywhere, keeps card last 4", () => {
    const ir = parsePolicy(read("policies/default.yaml"), "policies/default.yaml");
    const rule = (id: string) => ir.rules.find((r) => r.id === id)!;
    expect(rule("block-injection")).toMatchObject({ action: "block", phases: ["ingress"] });
    expect(rule("redact-cards")).toMatchObject({ action: "redact", replacement: { kind: "keep_last", count: 4, char: "*" } });
    expect(rule("redact-secrets")).toMatchObject({ phases: ["ingress", "midstream", "egress"], replacement: { kind: "type" } });
    expect(rule("flag-toxicity").action).toBe("flag");
  });

  it("strict blocks secrets at ingress and stops the stream on secrets and toxicity", () => {
    const ir = parsePolicy(read("policies/strict.yaml"), "policies/strict.yaml");
    const on = (d: string) => ir.rules.filter((r) => r.when.kind === "leaf" && r.when.detector === d).map((r) => `${r.action}:${r.phases.join("+")}`);
    expect(on("secrets")).toEqual(["block:ingress", "stop:midstream+egress"]);
    expect(on("toxicity")).toContain("stop:midstream+egress");
  });

  it("pii-only runs the PII detector alone", () => {
    const ir = parsePolicy(read("policies/pii-only.yaml"), "policies/pii-only.yaml");
    const d = ir.detectors;
    expect([d.pii.enabled, d.secrets.enabled, d.injection.enabled, d.toxicity.enabled, d.custom.length]).toEqual([true, false, false, false, 0]);
    expect(ir.rules.every((r) => r.action === "redact")).toBe(true);
  });

  describe("regulated-advice", () => {
    const ir = parsePolicy(read("policies/regulated-advice.yaml"), "policies/regulated-advice.yaml");
    // JS RegExp is a stand-in here: the patterns use only syntax both it and the linear-time compiler read the same way.
    const typesIn = (text: string) =>
      [...new Set(ir.detectors.custom.filter((c) => c.pattern && new RegExp(c.pattern, c.flags).test(text)).map((c) => c.type))];

    it("uses plain regexes only (no lookaround, no backreferences)", () => {
      for (const c of ir.detectors.custom.filter((c) => c.pattern)) {
        expect(c.pattern, c.id).not.toMatch(/\(\?[=!<]|\\[1-9]|\\k</);
        expect(() => new RegExp(c.pattern!, c.flags)).not.toThrow();
      }
    });
    it.each([
      ["These bonds offer guaranteed returns of 8% a year.", "PROMISED_RETURNS"],
      ["It is a risk-free investment.", "PROMISED_RETURNS"],
      ["Honestly, you can't lose money with this one.", "PROMISED_RETURNS"],
      ["You should invest in an index tracker.", "PERSONAL_ADVICE"],
      ["I recommend buying Tesla shares now.", "PERSONAL_ADVICE"],
      ["you should definitely sell your bitcoin", "PERSONAL_ADVICE"],
      ["If I were you, I'd invest the bonus.", "PERSONAL_ADVICE"],
      ["This stock will double by Christmas.", "MARKET_PREDICTION"],
      ["You should transfer your final salary pension into a SIPP.", "PENSION_TRANSFER_ADVICE"],
    ])("%s → %s", (text, type) => {
      expect(typesIn(text)).toContain(type);
    });
    it.each([
      "A stocks and shares ISA is a tax wrapper for investments.",
      "The risk-free rate is usually taken from government bond yields.",
      "Past performance is not a guide to future returns.",
      "Some people choose to transfer a pension; a specialist can explain the trade-offs.",
      "You should buy milk on the way home.",
    ])("general information is left alone: %s", (text) => {
      expect(typesIn(text)).toEqual([]);
    });
    it("stops promised returns and pension-transfer advice, adds a disclaimer to advice", () => {
      const byId = Object.fromEntries(ir.rules.map((r) => [r.id, r]));
      expect(byId["stop-promised-returns"]).toMatchObject({ action: "stop", phases: ["midstream", "egress"] });
      expect(byId["stop-pension-transfer-advice"].action).toBe("stop");
      expect(byId["disclaim-personal-advice"].action).toBe("disclaimer");
      expect(byId["disclaim-personal-advice"].message).toMatch(/^This is general information, not financial advice\./);
    });
  });
});

// [fixture, line, col, key, code]: the exact place each broken policy is reported.
const BROKEN: [string, number, number, string | undefined, keyof typeof ERROR_CODES][] = [
  ["yaml-syntax", 6, 5, undefined, "WL_POLICY_YAML_SYNTAX"],
  ["duplicate-key", 7, 5, "action", "WL_POLICY_DUPLICATE_KEY"],
  ["not-a-mapping", 1, 1, undefined, "WL_POLICY_TYPE"],
  ["version-2", 1, 10, "version", "WL_POLICY_VERSION"],
  ["missing-name", 1, 1, "name", "WL_POLICY_MISSING_KEY"],
  ["missing-action", 4, 5, "action", "WL_POLICY_MISSING_KEY"],
  ["unknown-key", 13, 5, "acton", "WL_POLICY_UNKNOWN_KEY"],
  ["wrong-type", 5, 14, "enabled", "WL_POLICY_TYPE"],
  ["range-holdback", 4, 17, "max_holdback", "WL_POLICY_RANGE"],
  ["range-score", 5, 45, "min_score", "WL_POLICY_RANGE"],
  ["unknown-detector", 5, 23, "detector", "WL_POLICY_UNKNOWN_DETECTOR"],
  ["unknown-detector-section", 5, 3, "toxic", "WL_POLICY_UNKNOWN_DETECTOR"],
  ["unknown-action", 6, 13, "action", "WL_POLICY_UNKNOWN_ACTION"],
  ["unknown-phase", 5, 23, "phases", "WL_POLICY_UNKNOWN_PHASE"],
  ["empty-phases", 5, 13, "phases", "WL_POLICY_EMPTY"],
  ["duplicate-rule-id", 7, 9, "id", "WL_POLICY_DUPLICATE_ID"],
  ["duplicate-custom-id", 6, 13, "id", "WL_POLICY_DUPLICATE_ID"],
  ["bad-rule-id", 4, 9, "id", "WL_POLICY_BAD_ID"],
  ["lowercase-entity", 5, 43, "types", "WL_POLICY_ENTITY_NAME"],
  ["redact-combination", 6, 7, "when", "WL_POLICY_ACTION_CONDITION"],
  ["block-midstream", 5, 23, "phases", "WL_POLICY_ACTION_PHASE"],
  ["stop-ingress", 5, 14, "phases", "WL_POLICY_ACTION_PHASE"],
  ["block-without-message", 7, 13, "message", "WL_POLICY_MESSAGE_REQUIRED"],
  ["disclaimer-without-message", 6, 13, "message", "WL_POLICY_MESSAGE_REQUIRED"],
  ["replacement-on-block", 9, 5, "replacement", "WL_POLICY_INAPPLICABLE_KEY"],
  ["bad-replacement", 7, 20, "keep_last", "WL_POLICY_INAPPLICABLE_KEY"],
  ["condition-mixed", 5, 41, "detector", "WL_POLICY_CONDITION_SHAPE"],
  ["weighted-no-threshold", 6, 7, "threshold", "WL_POLICY_MISSING_KEY"],
  ["custom-both-sources", 8, 7, "keywords", "WL_POLICY_CUSTOM_SOURCE"],
  ["custom-no-source", 5, 7, "pattern", "WL_POLICY_CUSTOM_SOURCE"],
  ["bad-flags", 5, 58, "flags", "WL_POLICY_BAD_VALUE"],
  ["detector-disabled", 7, 11, "detector", "WL_POLICY_DETECTOR_DISABLED"],
  ["unknown-custom-type", 8, 11, "types", "WL_POLICY_UNKNOWN_ENTITY"],
  ["checkpoint-too-large", 6, 15, "checkpoint", "WL_POLICY_SETTINGS_CONFLICT"],
  ["extends-missing", 3, 10, "extends", "WL_POLICY_EXTENDS_UNRESOLVED"],
  ["cycle-a", 3, 10, "extends", "WL_POLICY_EXTENDS_CYCLE"], // reported where the loop closes: in cycle-b.yaml
];

describe("broken policies", () => {
  it("every fixture file is in the table", () => {
    const files = readdirSync(FIX).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, ""));
    expect(files.filter((f) => f !== "cycle-b").sort()).toEqual(BROKEN.map((b) => b[0]).sort());
  });

  it.each(BROKEN)("%s.yaml → %i:%i %s %s", (name, line, col, key, code) => {
    const file = `${FIX}/${name}.yaml`;
    const e = thrown(() => parsePolicy(read(file), file, fsResolver));
    const where = name === "cycle-a" ? `${FIX}/cycle-b.yaml` : file;
    expect({ file: e.file, line: e.line, col: e.col, key: e.key, code: e.code }).toEqual({ file: where, line, col, key, code });
    expect(e.message).toBe(`${where}:${line}:${col}: ${e.detail} (${code})`);
  });

  it("names the misspelt key, the rule and the nearest key", () => {
    const file = `${FIX}/unknown-key.yaml`;
    expect(thrown(() => parsePolicy(read(file), file)).message).toBe(
      `${file}:13:5: unknown key "acton" in rule "redact-pii" — did you mean "action"? (WL_POLICY_UNKNOWN_KEY)`,
    );
  });

  it.each([
    ["unknown-action", `did you mean "redact"?`],
    ["unknown-phase", `did you mean "egress"?`],
    ["unknown-detector", `did you mean "pii"?`],
    ["unknown-detector-section", `did you mean "toxicity"?`],
    ["lowercase-entity", `did you mean "CREDIT_CARD"?`],
    ["unknown-custom-type", `did you mean "CODENAME"?`],
  ])("%s suggests a correction", (name, hint) => {
    const file = `${FIX}/${name}.yaml`;
    expect(thrown(() => parsePolicy(read(file), file)).message).toContain(hint);
  });

  it("a cycle names the whole chain", () => {
    const file = `${FIX}/cycle-a.yaml`;
    expect(thrown(() => parsePolicy(read(file), file, fsResolver)).detail).toBe(
      `"extends" cycle: ${FIX}/cycle-a.yaml → ${FIX}/cycle-b.yaml → ${FIX}/cycle-a.yaml`,
    );
  });

  it("extends without a resolver is an error, not a silent no-op", () => {
    const file = `${FIX}/extends-missing.yaml`;
    expect(thrown(() => parsePolicy(read(file), file)).code).toBe("WL_POLICY_EXTENDS_UNRESOLVED");
  });

  it("rejects conditions nested more than 8 deep", () => {
    let when: unknown = { detector: "pii" };
    for (let i = 0; i < 9; i++) when = { any: [when] };
    const e = thrown(() => policyFromObject({ version: 1, name: "deep", rules: [{ id: "r", when, action: "flag" }] }));
    expect(e.code).toBe("WL_POLICY_CONDITION_DEPTH");
  });

  it("rejects an alias bomb instead of expanding it", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const e = thrown(() => parsePolicy(`version: 1\nname: bomb\ndescription:\n  ${lines.join("\n  ")}\n`, "bomb.yaml"));
    expect(e.code).toBe("WL_POLICY_TOO_LARGE");
  });

  it.each([
    ["version: 1\nname: x\n---\nname: y\n", 3, 1, "WL_POLICY_YAML_SYNTAX"],
    ["version: 1\nname: !custom x\n", 2, 7, "WL_POLICY_YAML_SYNTAX"],
    ["version: 1\nname: x\nrules: *nowhere\n", 3, 8, "WL_POLICY_YAML_SYNTAX"],
    ["", 1, 1, "WL_POLICY_TYPE"],
    ["name: x\n", 1, 1, "WL_POLICY_VERSION"],
    ["version: 1\nname: x\nsettings: { window: 64 }\n", 3, 21, "WL_POLICY_SETTINGS_CONFLICT"], // default checkpoint 256 > 64
    ["version: 1\nname: x\nrules:\n  - id: r\n    when: {}\n    action: flag\n", 5, 11, "WL_POLICY_CONDITION_SHAPE"],
    ["version: 1\nname: x\nrules:\n  - id: r\n    when: { detector: pii, threshold: 0.5 }\n    action: flag\n", 5, 28, "WL_POLICY_INAPPLICABLE_KEY"],
    ["version: 1\nname: x\nrules:\n  - id: r\n    when: { detector: pii }\n    action: redact\n    replacement: { mask: '##' }\n", 7, 26, "WL_POLICY_BAD_VALUE"],
    ["version: 1\nname: x\nrules:\n  - id: r\n    when: { detector: pii }\n    action: flag\n    message: hi\n", 7, 5, "WL_POLICY_INAPPLICABLE_KEY"],
    ["version: 1\nname: x\nrules:\n  - id: r\n    when: { detector: custom }\n    action: flag\n", 5, 11, "WL_POLICY_DETECTOR_DISABLED"],
    ["version: 1\nname: x\ndetectors:\n  custom:\n    - { id: c, type: T, keywords: [a], flags: i }\n", 5, 40, "WL_POLICY_INAPPLICABLE_KEY"],
    ["version: 1\nname: x\nsettings: { max_holdback: 4096.5 }\n", 3, 27, "WL_POLICY_RANGE"],
    ["version: 1\nname: x\ndetectors: { toxicity: { languages: [EN] } }\n", 3, 38, "WL_POLICY_BAD_VALUE"],
  ])("inline case %#: %j", (text, line, col, code) => {
    const e = thrown(() => parsePolicy(text, "inline.yaml"));
    expect([e.line, e.col, e.code]).toEqual([line, col, code]);
  });
});

describe("the language", () => {
  const minimal = (extra: object = {}) => policyFromObject({ version: 1, name: "m", ...extra });

  it("fills the documented defaults", () => {
    const ir = minimal();
    expect(withoutLocs(ir)).toEqual({
      version: 1, name: "m", source: "",
      settings: {
        maxHoldback: 4096, onHoldbackOverflow: "stop", window: 1024, checkpoint: 256, contextWindow: 64, failMode: "closed",
        decode: { base64: true, hex: true, url: true, minLength: 16 },
      },
      detectors: {
        pii: { enabled: false, minScore: 0.3 },
        secrets: { enabled: false, minEntropy: 3 },
        injection: { enabled: false },
        toxicity: { enabled: false, minSeverity: "mild", extraTerms: [], allowTerms: [] },
        custom: [],
        leak: { enabled: false, minWords: 8 },
        classifier: { enabled: false, minScore: 0.5 },
      },
      rules: [],
    });
  });

  it("turns a detector on when its section is present or a rule uses it, and off on enabled: false", () => {
    const ir = minimal({
      detectors: { pii: {}, secrets: { enabled: false } },
      rules: [{ id: "t", when: { detector: "toxicity" }, action: "flag" }],
    });
    const d = ir.detectors;
    expect([d.pii.enabled, d.secrets.enabled, d.injection.enabled, d.toxicity.enabled]).toEqual([true, false, false, true]);
  });

  it("gives each action the phases it can act in when phases are omitted, in canonical order otherwise", () => {
    const ir = minimal({
      rules: [
        { id: "b", when: { detector: "injection" }, action: "block", message: "no" },
        { id: "s", when: { detector: "toxicity" }, action: "stop" },
        { id: "f", when: { detector: "pii" }, action: "flag" },
        { id: "o", when: { detector: "pii" }, action: "flag", phases: ["egress", "ingress"] },
      ],
    });
    expect(ir.rules.map((r) => r.phases)).toEqual([
      ["ingress", "egress"], ["midstream", "egress"], ["ingress", "midstream", "egress"], ["ingress", "egress"],
    ]);
  });

  it("reads every replacement form", () => {
    const rep = (replacement: unknown) =>
      minimal({ rules: [{ id: "r", when: { types: ["EMAIL"] }, action: "redact", ...(replacement === undefined ? {} : { replacement }) }] }).rules[0].replacement;
    expect(rep(undefined)).toEqual({ kind: "type" });
    expect(rep("type")).toEqual({ kind: "type" });
    expect(rep("mask")).toEqual({ kind: "mask", char: "*" });
    expect(rep({ mask: "#" })).toEqual({ kind: "mask", char: "#" });
    expect(rep({ mask: "█" })).toEqual({ kind: "mask", char: "█" });
    expect(rep({ keep_last: 4 })).toEqual({ kind: "keep_last", count: 4, char: "*" });
    expect(rep({ keep_last: 2, mask: "x" })).toEqual({ kind: "keep_last", count: 2, char: "x" });
    expect(rep({ text: "[removed]" })).toEqual({ kind: "text", text: "[removed]" });
    expect(thrown(() => rep("masked")).detail).toContain(`did you mean "mask"?`);
    expect(thrown(() => rep({ keep_last: 0 })).code).toBe("WL_POLICY_RANGE");
  });

  it("reads every condition form; a bare classifier leaf means score >= 0.5, a pattern leaf any score", () => {
    const when = (w: unknown) => minimal({ detectors: { custom: [{ id: "c", type: "CODENAME", keywords: ["falcon"] }] }, rules: [{ id: "r", when: w, action: "flag" }] }).rules[0].when;
    expect(withoutLocs({ when: when({ detector: "injection" }) } as never)).toEqual({ source: "", when: { kind: "leaf", detector: "injection", minScore: 0.5 } });
    expect(when({ detector: "pii", types: ["EMAIL"] })).toMatchObject({ kind: "leaf", detector: "pii", types: ["EMAIL"], minScore: 0 });
    expect(when({ types: ["CODENAME"], min_score: 0.2 })).toMatchObject({ kind: "leaf", types: ["CODENAME"], minScore: 0.2 });
    expect(when({ any: [{ detector: "pii" }, { detector: "custom", types: ["CODENAME"] }] })).toMatchObject({ kind: "any", of: [{ kind: "leaf" }, { kind: "leaf" }] });
    expect(when({ all: [{ detector: "pii" }] })).toMatchObject({ kind: "all" });
    expect(when({ max: [{ detector: "injection" }, { detector: "toxicity" }], threshold: 0.7 })).toMatchObject({ kind: "max", threshold: 0.7 });
    expect(when({ weighted: [{ weight: 0.7, when: { detector: "injection" } }, { weight: 0.3, when: { detector: "toxicity" } }], threshold: 0.6 }))
      .toMatchObject({ kind: "weighted", threshold: 0.6, terms: [{ weight: 0.7 }, { weight: 0.3 }] });
  });

  it("records a loc on every rule, condition, detector, custom detector and listed entity", () => {
    const ir = parsePolicy(read("policies/default.yaml"), "policies/default.yaml");
    const strict = parsePolicy(
      "version: 1\nname: x\ndetectors:\n  pii:\n    entities: [EMAIL, PHONE]\n  custom:\n    - { id: c, type: T, keywords: [k] }\n",
      "x.yaml",
    );
    expect(strict.detectors.pii.entities).toEqual([
      { name: "EMAIL", loc: { file: "x.yaml", line: 5, col: 16 } },
      { name: "PHONE", loc: { file: "x.yaml", line: 5, col: 23 } },
    ]);
    expect(strict.detectors.custom[0].loc).toEqual({ file: "x.yaml", line: 7, col: 7 });
    for (const r of ir.rules) {
      expect(r.loc?.line).toBeGreaterThan(0);
      expect(r.when.loc?.line).toBeGreaterThan(0);
    }
    expect(ir.detectors.pii.loc).toEqual({ file: "policies/default.yaml", line: 16, col: 8 });
  });
});

describe("extends", () => {
  const base = `version: 1
name: base
description: the base
settings:
  max_holdback: 8192
  checkpoint: 128
  decode: { hex: false, min_length: 24 }
detectors:
  pii: { min_score: 0.5, entities: [EMAIL, PHONE] }
  custom:
    - { id: codename, type: CODENAME, keywords: [falcon] }
rules:
  - id: block-injection
    phases: [ingress]
    when: { detector: injection }
    action: block
    message: blocked by base
  - id: redact-pii
    when: { detector: pii }
    action: redact
`;
  const child = `version: 1
name: child
extends: base.yaml
settings:
  window: 2048
  decode: { url: false }
detectors:
  pii: { entities: [EMAIL] }
  custom:
    - { id: codename, type: CODENAME, keywords: [osprey] }
    - { id: rival, type: COMPETITOR, keywords: [globex] }
rules:
  - id: redact-pii
    when: { detector: pii }
    action: redact
    replacement: mask
  - id: flag-rival
    when: { detector: custom, types: [COMPETITOR] }
    action: flag
`;
  const resolve = memResolver({ "base.yaml": base, "child.yaml": child });

  it("overrides keys one by one, replaces rules and custom detectors by id in place, appends new ones", () => {
    const ir = parsePolicy(child, "child.yaml", resolve);
    expect(ir.name).toBe("child");
    expect(ir.description).toBe("the base");
    expect(ir.source).toBe("child.yaml");
    expect(ir.settings).toMatchObject({ maxHoldback: 8192, checkpoint: 128, window: 2048, decode: { base64: true, hex: false, url: false, minLength: 24 } });
    expect(ir.detectors.pii).toMatchObject({ enabled: true, minScore: 0.5, entities: [{ name: "EMAIL" }] });
    expect(ir.detectors.custom.map((c) => `${c.id}:${c.keywords}`)).toEqual(["codename:osprey", "rival:globex"]);
    expect(ir.rules.map((r) => r.id)).toEqual(["block-injection", "redact-pii", "flag-rival"]);
    expect(ir.rules[1].replacement).toEqual({ kind: "mask", char: "*" });
  });

  it("keeps each element's loc in the file that defined it", () => {
    const ir = parsePolicy(child, "child.yaml", resolve);
    expect(ir.rules[0].loc?.file).toBe("base.yaml");
    expect(ir.rules[1].loc?.file).toBe("child.yaml");
    expect(ir.detectors.pii.entities![0].loc?.file).toBe("child.yaml");
  });

  it("reports errors inside the parent at the parent's file:line:col", () => {
    const r = memResolver({ "base.yaml": base.replace("action: redact", "action: redcat") });
    const e = thrown(() => parsePolicy(child, "child.yaml", r));
    expect([e.file, e.line, e.col, e.code]).toEqual(["base.yaml", 20, 13, "WL_POLICY_UNKNOWN_ACTION"]);
  });

  it("checks the merged policy: a child that disables a detector its parent's rules use is rejected", () => {
    const c = "version: 1\nname: c\nextends: base.yaml\ndetectors:\n  pii: { enabled: false }\n";
    const e = thrown(() => parsePolicy(c, "c.yaml", resolve));
    expect([e.file, e.line, e.code]).toEqual(["base.yaml", 19, "WL_POLICY_DETECTOR_DISABLED"]);
    expect(e.detail).toContain("c.yaml:5:19");
  });

  it("catches a self-reference", () => {
    const self = "version: 1\nname: self\nextends: self.yaml\n";
    expect(thrown(() => parsePolicy(self, "self.yaml", memResolver({ "self.yaml": self }))).code).toBe("WL_POLICY_EXTENDS_CYCLE");
  });
});

describe("policyFromObject", () => {
  for (const f of readdirSync("policies").filter((f) => f.endsWith(".yaml"))) {
    it(`gives the same IR as the YAML for ${f}`, () => {
      const text = read(`policies/${f}`);
      expect(withoutLocs(policyFromObject(YAML.parse(text)))).toEqual(withoutLocs(parsePolicy(text, f)));
    });
  }

  it("locates errors by JSON path", () => {
    const obj = {
      version: 1, name: "o",
      rules: [
        { id: "a", when: { detector: "pii" }, action: "flag" },
        { id: "b", when: { detector: "pii" }, action: "flag" },
        { id: "c", when: { detector: "pii" }, action: "blok" },
      ],
    };
    const e = thrown(() => policyFromObject(obj));
    expect(e.message).toBe(`<object>:rules[2].action: unknown action "blok" — did you mean "block"? (expected one of "allow", "flag", "redact", "pseudonymize", "block", "stop", "disclaimer") (WL_POLICY_UNKNOWN_ACTION)`);
    expect([e.file, e.line, e.col, e.key]).toEqual(["<object>:rules[2].action", 0, 0, "action"]);
    const e2 = thrown(() => policyFromObject({ version: 1, name: "o", settings: { windw: 64 } }, "tenant-7"));
    expect(e2.message).toBe(`tenant-7:settings.windw: unknown key "windw" in settings — did you mean "window"? (WL_POLICY_UNKNOWN_KEY)`);
  });

  it("rejects values JSON cannot carry", () => {
    expect(thrown(() => policyFromObject({ version: 1, name: "o", description: new Date() })).code).toBe("WL_POLICY_TYPE");
    const loop: Record<string, unknown> = { version: 1, name: "o" };
    loop.settings = loop;
    expect(thrown(() => policyFromObject(loop)).code).toBe("WL_POLICY_TYPE");
  });

  // Random valid policies: the object and its YAML rendering must give the same IR.
  const entity = fc.constantFrom("EMAIL", "PHONE", "CREDIT_CARD", "CODENAME");
  const leaf = fc.record(
    { detector: fc.constantFrom("pii", "secrets", "injection", "toxicity"), types: fc.uniqueArray(entity, { minLength: 1, maxLength: 3 }), min_score: fc.double({ min: 0, max: 1, noNaN: true }) },
    { requiredKeys: ["detector"] },
  );
  const condition = fc.letrec<{ c: unknown }>((tie) => ({
    c: fc.oneof(
      { depthSize: "small", withCrossShrink: true, maxDepth: 5 },
      leaf,
      fc.record({ any: fc.array(tie("c"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ all: fc.array(tie("c"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ max: fc.array(tie("c"), { minLength: 1, maxLength: 3 }), threshold: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({
        weighted: fc.array(fc.record({ weight: fc.double({ min: 0.01, max: 1, noNaN: true }), when: tie("c") }), { minLength: 1, maxLength: 3 }),
        threshold: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    ),
  })).c;
  const message = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== "");
  const rule = fc.constantFrom("allow", "flag", "redact", "pseudonymize", "block", "stop", "disclaimer").chain((action) => {
    const phases = { block: ["ingress", "egress"], stop: ["midstream", "egress"] }[action as string] ?? ["ingress", "midstream", "egress"];
    const extra: Record<string, fc.Arbitrary<unknown>> = {
      when: action === "redact" || action === "pseudonymize" ? leaf : condition,
      action: fc.constant(action),
      phases: fc.subarray(phases, { minLength: 1 }),
      mode: fc.constantFrom("enforce", "flag", "shadow"),
    };
    if (action === "block" || action === "disclaimer" || action === "stop") extra.message = message;
    if (action === "redact") extra.replacement = fc.oneof(fc.constantFrom("type", "mask"), fc.record({ keep_last: fc.integer({ min: 1, max: 32 }) }), fc.record({ text: fc.string() }));
    const required = action === "block" || action === "disclaimer" ? ["when", "action", "message"] : ["when", "action"];
    return fc.record(extra, { requiredKeys: required });
  });
  const policy = fc.record({
    rules: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), rule), { selector: (t) => t[0], maxLength: 6 }),
    settings: fc.record({ max_holdback: fc.integer({ min: 256, max: 1 << 20 }), fail_mode: fc.constantFrom("open", "closed") }, { requiredKeys: [] }),
    description: fc.option(fc.string(), { nil: undefined }),
  }).map(({ rules, settings, description }) => ({
    version: 1, name: "gen", settings, ...(description === undefined ? {} : { description }),
    rules: rules.map(([id, r]) => ({ id, ...(r as object) })),
  }));

  it("equals parsePolicy(YAML.stringify(obj)) for random valid policies", () => {
    fc.assert(
      fc.property(policy, (obj) => {
        const fromObj = policyFromObject(obj);
        const fromYaml = parsePolicy(YAML.stringify(obj), "gen.yaml");
        expect(withoutLocs(fromYaml)).toEqual(withoutLocs(fromObj));
      }),
      { numRuns: 300 },
    );
  });

  it("throws only PolicyErrors, whatever it is given", () => {
    const anything = fc.oneof(fc.jsonValue(), policy.chain((p) => fc.jsonValue().map((junk) => ({ ...p, rules: [...p.rules, junk] }))));
    fc.assert(
      fc.property(anything, (v) => {
        try {
          policyFromObject(v);
        } catch (e) {
          expect(e).toBeInstanceOf(PolicyError);
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parsePolicy(`version: 1\nname: x\n${text}`, "fuzz.yaml");
        } catch (e) {
          expect(e).toBeInstanceOf(PolicyError);
          expect((e as PolicyError).line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("schema, docs and error codes stay in step with the parser", () => {
  const schema = JSON.parse(read("policies/wardline-policy.schema.json"));
  const keys = (o: { properties: object }) => Object.keys(o.properties).sort();
  const defs = schema.$defs;

  it("the schema allows exactly the keys the parser allows", () => {
    expect(keys(schema)).toEqual([...TOP_KEYS].sort());
    expect(keys(defs.settings)).toEqual([...Object.keys(SETTINGS_FIELDS), "decode"].sort());
    expect(keys(defs.settings.properties.decode)).toEqual(Object.keys(DECODE_FIELDS).sort());
    expect(keys(defs.detectors)).toEqual([...Object.keys(DETECTOR_FIELDS), "custom"].sort());
    for (const [d, fields] of Object.entries(DETECTOR_FIELDS)) expect(keys(defs.detectors.properties[d])).toEqual(Object.keys(fields).sort());
    expect(keys(defs.custom)).toEqual([...CUSTOM_KEYS].sort());
    expect(keys(defs.rule)).toEqual([...RULE_KEYS].sort());
    const conditionKeys = [defs.leaf, defs.anyAll, defs.max, defs.weighted].flatMap((d) => Object.keys(d.properties));
    expect([...new Set(conditionKeys)].sort()).toEqual([...CONDITION_KEYS].sort());
    expect(keys(defs.weighted.properties.weighted.items)).toEqual([...WEIGHTED_TERM_KEYS].sort());
    expect(keys(defs.replacement.oneOf[1])).toEqual([...REPLACEMENT_KEYS].sort());
  });

  it("the schema's defaults are the parser's defaults", () => {
    const s = policyFromObject({ version: 1, name: "d" }).settings as unknown as Record<string, unknown>;
    for (const [key, spec] of Object.entries(SETTINGS_FIELDS)) expect(defs.settings.properties[key].default, key).toBe(s[spec.ir]);
    const dec = s.decode as Record<string, unknown>;
    for (const [key, spec] of Object.entries(DECODE_FIELDS)) expect(defs.settings.properties.decode.properties[key].default, key).toBe(dec[spec.ir]);
  });

  it("docs/policy.md lists every policy error code", () => {
    const doc = read("docs/policy.md");
    for (const code of Object.keys(ERROR_CODES).filter((c) => c.startsWith("WL_POLICY_"))) expect(doc, code).toContain(code);
  });

  it("engine status codes map to typed errors", () => {
    const e = engineError(5, "stream_push");
    expect(e).toBeInstanceOf(EngineError);
    expect([e.code, e.status]).toEqual(["WL_ENGINE_NO_SUCH_STREAM", 5]);
    expect(e.message).toMatch(/^stream_push: /);
    expect(engineError(99).code).toBe("WL_ENGINE_UNKNOWN_STATUS");
  });
});
