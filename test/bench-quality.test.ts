// The benchmark's quality columns rest on these: planted items are where the corpus says,
// and spans recovered from a peer's redacted copy are the spans it redacted.
import { describe, expect, it } from "vitest";
import { corpus, qualityCorpus, DECOYS } from "../bench/corpus.ts";
import { occurrences, redactedSpans, score } from "../bench/quality.ts";

describe("bench corpus", () => {
  it("records where every planted item is, with and without decoys", () => {
    for (const decoys of [0, 40]) {
      for (const p of corpus(42, 16, 4096, decoys)) {
        for (const x of p.planted) expect(p.text.slice(x.start, x.start + x.value.length)).toBe(x.value);
      }
    }
  });

  it("keeps its old bytes when called without decoys", () => {
    const a = corpus(42, 4, 4096).map((p) => p.text);
    const b = corpus(42, 4, 4096, 0).map((p) => p.text);
    expect(a).toEqual(b);
    expect(a.some((t) => DECOYS.some((d) => t.includes(d)))).toBe(false);
  });

  it("gives each quality prompt one planted item or one decoy", () => {
    const q = qualityCorpus(1, 1);
    for (const p of q) {
      expect(p.planted.length <= 1).toBe(true);
      if (p.planted.length) expect(p.text.slice(p.planted[0].start, p.planted[0].start + p.planted[0].value.length)).toBe(p.planted[0].value);
      else expect(DECOYS.some((d) => p.text.includes(d))).toBe(true);
    }
  });
});

describe("bench quality scoring", () => {
  it("recovers the spans of a redacted copy", () => {
    const text = "mail ann@x.org or call 555 1234 now";
    expect(redactedSpans(text, "mail \u0001 or call \u0001 now", /\u0001/)).toEqual([[5, 14], [23, 31]]);
    expect(redactedSpans(text, "\u0001 or call 555 1234 now", /\u0001/)).toEqual([[0, 14]]);
    expect(redactedSpans(text, "mail <EMAIL> or call <PHONE>", /<[A-Z_]+>/)).toEqual([[5, 14], [23, 35]]);
    expect(redactedSpans(text, text, /\u0001/)).toEqual([]);
  });

  it("finds every occurrence of reported strings, ignoring case", () => {
    expect(occurrences("Shit and shit", ["shit"])).toEqual([[0, 4], [9, 13]]);
  });

  it("counts caught items per kind and detections outside them as false positives", () => {
    const prompts = [{ text: "a 4111 b", planted: [{ kind: "CREDIT_CARD", value: "4111", start: 2 }] }, { text: "Scunthorpe", planted: [] }];
    const q = score(prompts, [[[2, 4]], [[1, 5]]], ["CREDIT_CARD", "EMAIL"]);
    expect(q.recall.CREDIT_CARD).toEqual({ caught: 1, planted: 1, recall: 1 });
    expect(q.recall.EMAIL.planted).toBe(0);
    expect(q.false_positives).toBe(1);
    expect(q.false_positives_by_decoy).toEqual({ elsewhere: 1 });
    expect(q.detections).toBe(2);
  });

  it("puts a false positive on the decoy it overlaps", () => {
    const prompts = [{ text: "go to Scunthorpe", planted: [], decoys: [{ value: "Scunthorpe", start: 6 }] }];
    expect(score(prompts, [[[7, 10]]], []).false_positives_by_decoy).toEqual({ Scunthorpe: 1 });
  });
});
