// `wardline eval` as a user runs it (the built dist/cli.js) on small hand-written fixtures
// whose right answers were computed by hand (test/fixtures/eval/*.jsonl), plus the pure
// pieces (curves, category table) on inputs small enough to check on paper.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { curves } from "../bindings/eval/curves.ts";
import { targetsOf } from "../bindings/eval/categories.ts";
import { parseRows } from "../bindings/eval/read-data.ts";
import { countsFor } from "../bindings/eval/tasks.ts";

const FX = "test/fixtures/eval";
const cli = (args: string[]) => spawnSync(process.execPath, ["dist/cli.js", "eval", ...args], { encoding: "utf8", timeout: 60_000 });
const evalJson = (...files: string[]) => {
  const r = cli(["--policy", `${FX}/heuristics.yaml`, ...files.flatMap((f) => ["--data", `${FX}/${f}`]), "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe("wardline eval: metrics computed by hand", () => {
  // injection.jsonl, the fixture policy (heuristics.yaml: the default before classifiers) at ingress (block-injection fires at min_score 0.7):
  // positives score 0.95 0.8 0.75 (blocked), 0.6 (found, below the rule), 0 (nothing);
  // negatives score 0.8 (blocked: "ignore the previous sentence"), 0, 0, 0.
  it("operating point: precision 3/4, recall 3/5, F1 2/3, FPR 1/4", () => {
    const t = evalJson("injection.jsonl").tasks.injection;
    expect(t.operatingPoint).toEqual({
      tp: 3, fp: 1, fn: 2, tn: 3, precision: 0.75, recall: 0.6, f1: 0.666667, fpr: 0.25, caughtBy: { "block-injection:block": 4 },
    });
    expect(t.positives).toBe(5);
    expect(t.negatives).toBe(4);
  });

  it("curves: AP = (1 + 2/3 + 3/4 + 4/5 + 5/9) / 5, ROC AUC 0.75, recall at 1 % FPR 1/5", () => {
    const c = evalJson("injection.jsonl").tasks.injection.curves;
    expect(c.averagePrecision).toBe(Number((679 / 900).toFixed(6)));
    expect(c.rocAuc).toBe(0.75);
    expect(c.recallAtFpr).toEqual({ "0.001": 0.2, "0.01": 0.2 });
    expect(c.thresholds).toBe(5); // 0.95, 0.8, 0.75, 0.6, 0
    expect(c.roc).toEqual([[0, 0], [0, 0.2], [0.25, 0.4], [0.25, 0.6], [0.25, 0.8], [1, 1]]);
  });

  it("per category and per source", () => {
    const t = evalJson("injection.jsonl").tasks.injection;
    expect(t.byCategory).toEqual({
      benign: { label: 0, rows: 4, caught: 1, rate: 0.25 },
      jailbreak: { label: 1, rows: 2, caught: 1, rate: 0.5 },
      prompt_injection: { label: 1, rows: 3, caught: 2, rate: 0.666667 },
    });
    expect(t.bySource["hand-a"]).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 1 });
    expect(t.bySource["hand-b"]).toMatchObject({ tp: 1, fp: 0, fn: 2, tn: 2 });
  });

  it("worst false positives and misses name the rows, in a fixed order", () => {
    const t = evalJson("injection.jsonl").tasks.injection;
    expect(t.worstFalsePositives.map((e: { line: number }) => e.line)).toEqual([7]);
    expect(t.worstFalsePositives[0].caughtBy).toBe("block-injection:block");
    // lowest score first: the grandmother jailbreak (0) before "new instructions" (0.6)
    expect(t.worstMisses.map((e: { line: number; score: number }) => [e.line, e.score])).toEqual([[5, 0], [4, 0.6]]);
  });

  it("ties: equal scores enter the curves together, whatever the row order", () => {
    const a = curves([{ score: 0.5, positive: true }, { score: 0.5, positive: false }, { score: 0.9, positive: true }, { score: 0, positive: false }]);
    const b = curves([{ score: 0, positive: false }, { score: 0.5, positive: false }, { score: 0.9, positive: true }, { score: 0.5, positive: true }]);
    expect(a).toEqual(b);
    expect(a.points.map((p) => [p.tp, p.fp])).toEqual([[0, 0], [1, 0], [2, 1], [2, 2]]);
    expect(a.rocAuc).toBe(0.875); // 0.9 beats both negatives; 0.5 beats one and ties one
    expect(a.averagePrecision).toBe(0.833333); // ½·1 + ½·⅔
  });

  it("undefined ratios are null, not 0 or 1", () => {
    const c = curves([{ score: 0.3, positive: true }]);
    expect(c.rocAuc).toBeNull();
    expect(c.recallAtFpr["0.01"]).toBeNull();
    expect(curves([{ score: 0.3, positive: false }]).averagePrecision).toBeNull();
  });
});

describe("wardline eval: spans", () => {
  // pii.jsonl: gold EMAIL ×5 (one off by a few characters), PHONE ×1, PERSON ×2; the
  // detector also finds a phone the gold of row 4 does not list; row 7 (spans_complete:
  // false) counts at the operating point only; row 3 names only a PERSON (out of scope).
  // Row 5 starts with an emoji (two UTF-16 units).
  it("overlap and exact matches per type, undetectable types listed apart", () => {
    const r = evalJson("pii.jsonl");
    const s = r.spans.pii;
    expect(s.rows).toBe(6);
    expect(s.byType.EMAIL).toMatchObject({ gold: 5, found: 5, precision: 1, recall: 1, exactPrecision: 0.8, exactRecall: 0.8 });
    expect(s.byType.PHONE).toMatchObject({ gold: 1, found: 2, precision: 0.5, recall: 1, exactPrecision: 0.5, exactRecall: 1 });
    expect(s.total).toMatchObject({ gold: 6, found: 7, precision: 0.857143, recall: 1, exactPrecision: 0.714286, exactRecall: 0.833333 });
    expect(s.notDetected).toEqual({ PERSON: 1 });
  });

  it("a positive row about types Wardline does not detect is out of scope, and reported", () => {
    const r = evalJson("pii.jsonl");
    expect(r.data.outOfScope).toEqual({ pii: { rows: 1, types: { PERSON: 1 } } });
    expect(r.tasks.pii.operatingPoint).toMatchObject({ tp: 6, fn: 0, fp: 0, tn: 1 });
  });
});

describe("wardline eval: report floors", () => {
  it("the curves score rows the policy's floor drops; extends still resolves", () => {
    const r = cli(["--policy", `${FX}/high-floor.yaml`, "--data", `${FX}/pii.jsonl`, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout).tasks.pii;
    expect(t.operatingPoint.fn).toBeGreaterThan(0);
    expect(t.worstMisses.map((e: { score: number }) => e.score)).toEqual(Array(t.operatingPoint.fn).fill(0.95));
    expect(t.curves).toMatchObject({ averagePrecision: 1, rocAuc: 1 });
  });
});

describe("wardline eval: categories", () => {
  it("every category in the shared data sets has a task", () => {
    const categories = [
      "benign_math", "benign_roleplay", "benign_instruction", "benign_chat", "benign_technical", "benign_science",
      "offensive_language", "neither", "hate_speech", "benign", "prompt_injection", "secret", "secret_lookalike", "no_secret",
      "harmful_request", "benign_contrast", "jailbreak", "phone_number", "iban", "pii", "no_pii_lookalike", "no_pii",
      "profanity_lexicon", "valid_identifier", "invalid_identifier", "implicit_hate", "neutral_about_group",
    ];
    for (const c of categories) expect(targetsOf(c).length, c).toBeGreaterThan(0);
    expect(targetsOf("jailbreak")).toEqual([{ task: "injection", positive: true }]);
    expect(targetsOf("neutral_about_group")).toEqual([{ task: "toxicity", positive: false }]);
    expect(targetsOf("invalid_identifier")).toEqual([{ task: "pii", positive: false }]);
    expect(targetsOf("benign_cooking").map((t) => t.task)).toEqual(["injection", "toxicity", "harmful"]);
    expect(targetsOf("mystery")).toEqual([]);
  });

  it("the learned classifier counts for its task by finding type", () => {
    expect(countsFor({ detector: "classifier", type: "INJECTION" }, "injection")).toBe(true);
    expect(countsFor({ detector: "classifier", type: "TOXICITY" }, "injection")).toBe(false);
    expect(countsFor({ detector: "classifier", type: "HARMFUL" }, "harmful")).toBe(true);
    expect(countsFor({ detector: "custom", type: "JAILBREAK_PHRASE" }, "injection")).toBe(true);
    expect(countsFor({ detector: "custom", type: "EMPLOYEE_NUMBER" }, "pii")).toBe(false);
  });

  it("mixed data: benign prompts are negatives of every prompt task; unknown categories are reported", () => {
    const r = evalJson("mixed.jsonl");
    expect(r.data.unknownCategories).toEqual({ mystery_category: 1 });
    expect(r.tasks.injection).toMatchObject({ positives: 0, negatives: 1 });
    expect(r.tasks.toxicity.operatingPoint).toMatchObject({ tp: 1, tn: 1, fp: 0, fn: 0, caughtBy: { "flag-toxicity:flag": 1 } });
    expect(r.tasks.harmful).toMatchObject({ detectors: [], positives: 1, negatives: 1 });
    expect(r.tasks.harmful.operatingPoint).toMatchObject({ tp: 0, fn: 1 });
    expect(r.tasks.secrets.operatingPoint).toMatchObject({ tp: 1 });
  });
});

describe("wardline eval: determinism and output", () => {
  it("two runs print the same JSON, latency aside", () => {
    const files = ["injection.jsonl", "pii.jsonl", "mixed.jsonl"];
    const a = evalJson(...files);
    const b = evalJson(...files);
    expect(a.latency.rows).toBe(21); // every row with a known category, scanned once
    delete a.latency;
    delete b.latency;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("the text table has the headline numbers; no progress bar when stderr is not a terminal", () => {
    const r = cli(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/injection.jsonl`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/injection\s+injection\s+5\s+4\s+3\s+1\s+2\s+3\s+0\.7500\s+0\.6000\s+0\.6667\s+0\.2500\s+0\.7544\s+0\.7500/);
    expect(r.stderr).toBe("");
  });
});

describe("wardline eval: progress bar", () => {
  it("draws on stderr when stderr is a terminal (a real pty from script(1)), and clears itself", () => {
    const r = spawnSync("script", ["-qec", `${process.execPath} dist/cli.js eval --policy ${FX}/heuristics.yaml --data ${FX}/injection.jsonl >/dev/null`, "/dev/null"],
      { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("scoring [");
    expect(r.stdout).toContain("9/9 100%");
    expect(r.stdout.replace(/\n/g, "")).toMatch(/\r {20,}\r$/); // the last thing written blanks the line
  });
});

describe("wardline eval: the HTML report", () => {
  let browser: Browser;
  let html: string;
  let file: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wl-eval-"));
    file = join(dir, "eval.html");
    const r = cli(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/injection.jsonl`, "--data", `${FX}/pii.jsonl`, "--report", file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote ${file}`);
    html = readFileSync(file, "utf8");
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"] });
  });
  afterAll(async () => { await browser?.close(); });

  it("is self-contained: no URL, script, stylesheet link or font", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|@import|@font-face|url\(/i);
  });

  it("escapes text from the data", () => {
    expect(html).toContain("&lt;i&gt;it was a typo&lt;/i&gt; &amp; sorry");
    expect(html).not.toContain("<i>it was a typo");
  });

  it("renders in Chromium with PR and ROC curves per task, fetching nothing", async () => {
    const page = await browser.newPage();
    const fetched: string[] = [];
    page.on("request", (q) => { if (q.url() !== `file://${file}`) fetched.push(q.url()); });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`file://${file}`);
    const shape = await page.evaluate(() => ({
      tasks: [...document.querySelectorAll("section[id^=task-]")].map((s) => s.id),
      charts: [...document.querySelectorAll("section[id^=task-] svg")].map((s) => s.querySelector("title")?.textContent),
      curves: document.querySelectorAll("svg path").length,
      confusion: document.querySelectorAll("table.confusion").length,
    }));
    expect(shape.tasks).toEqual(["task-injection", "task-pii"]);
    expect(shape.charts).toEqual([
      "injection: precision–recall", "injection: ROC", "injection: ROC at FPR ≤ 5 %", "pii: precision–recall", "pii: ROC", "pii: ROC at FPR ≤ 5 %",
    ]);
    expect(shape.curves).toBe(8); // per task: PR, ROC and its chance line, the zoomed ROC
    expect(shape.confusion).toBe(2);
    expect(fetched).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("wardline eval: errors", () => {
  const fails = (args: string[], code: string, where?: RegExp) => {
    const r = cli(args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(code);
    if (where) expect(r.stderr).toMatch(where);
    expect(r.stdout).toBe("");
  };
  it("a malformed JSON line stops the run with file:line", () => fails(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/bad-json.jsonl`], "WL_EVAL_BAD_JSON", /bad-json\.jsonl:2: /));
  it("a row without a label", () => fails(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/missing-label.jsonl`], "WL_EVAL_MISSING_FIELD", /missing-label\.jsonl:2: "label"/));
  it("a span outside its text", () => fails(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/bad-span.jsonl`], "WL_EVAL_BAD_SPAN", /bad-span\.jsonl:1: spans\[0\]/));
  it("an unreadable data file", () => fails(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/no-such-file.jsonl`], "WL_EVAL_DATA_FILE", /no-such-file\.jsonl/));
  it("data with no category any task scores", () => fails(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/unknown-only.jsonl`], "WL_EVAL_NO_DATA", /mystery_category/));
  it("no --policy, no --data, unknown options", () => {
    fails(["--data", `${FX}/injection.jsonl`], "WL_EVAL_USAGE", /--policy is required/);
    fails(["--policy", `${FX}/heuristics.yaml`], "WL_EVAL_USAGE", /--data/);
    fails(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/injection.jsonl`, "--bogus"], "WL_EVAL_USAGE", /bogus/);
    fails(["--policy", `${FX}/heuristics.yaml`, "--data", `${FX}/injection.jsonl`, "--phase", "later"], "WL_EVAL_USAGE", /--phase/);
  });
  it("a policy that does not load names its file", () => fails(["--policy", "nope.yaml", "--data", `${FX}/injection.jsonl`], "WL_POLICY_FILE", /nope\.yaml/));
  it("parseRows skips blank lines and keeps line numbers", () => {
    const rows = parseRows('\n{"text":"a","label":0,"category":"benign"}\r\n\n', "x.jsonl");
    expect(rows).toEqual([{ file: "x.jsonl", line: 2, text: "a", label: 0, category: "benign", source: "x.jsonl" }]);
  });
  it("every fixture is small and hand-written", () => {
    for (const f of readdirSync(FX)) expect(readFileSync(join(FX, f)).length, f).toBeLessThan(4096);
    expect(existsSync(join(FX, "no-such-file.jsonl"))).toBe(false);
  });
});
