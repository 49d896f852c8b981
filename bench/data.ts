// The shared corpus for one run: seeded, so every run (and every runtime) sees the same bytes.
import { corpus, qualityCorpus } from "./corpus.ts";
import type { Data } from "./case.ts";

export const SEED = 42;

export function benchData(prompts = 64): Data {
  const enc = new TextEncoder();
  const ps = corpus(SEED, prompts, 4096, 40);
  const texts = ps.map((p) => p.text);
  const bytes = texts.map((t) => enc.encode(t));
  const stream = texts.slice(0, 16).join("\n");
  const deltas: string[] = [];
  for (let i = 0; i < stream.length; i += 40) deltas.push(stream.slice(i, i + 40));
  return {
    prompts: ps, texts, bytes,
    totalBytes: bytes.reduce((n, b) => n + b.length, 0),
    deltas, deltaBytes: enc.encode(stream).length,
    quality: qualityCorpus(SEED, 8),
  };
}
