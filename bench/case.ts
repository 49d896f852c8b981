// One benchmark case as the runner sees it, and the corpus data every case shares.
import type { Work } from "./measure.ts";
import type { Prompt } from "./corpus.ts";
import type { Quality } from "./quality.ts";

export interface Case {
  id: string;
  name: string;
  group: "floor" | "peer" | "wardline" | "sse";
  /** input bytes one `run` call processes (MB/s = bytes × calls / time) */
  bytes: number;
  run: Work;
  /** one call on one ~4 KB prompt (cycling through the corpus) */
  prompt4k?: Work;
  /** one call on one 40-byte delta: a stream push for Wardline, a 40-byte scan for peers */
  delta40?: Work;
  /** opening (and closing) one stream or transform: the per-request setup a proxy pays */
  open?: Work;
  /** recall and false positives on the quality corpus */
  quality?: Quality;
  /** set when the case's own result is wrong: the run reports it and exits non-zero */
  error?: string;
}

export interface Data {
  /** the speed corpus (~4 KB chat-like prompts with planted items and decoys) */
  prompts: Prompt[];
  texts: string[];
  bytes: Uint8Array[];
  totalBytes: number;
  /** 40-byte deltas of the first prompts, and their total UTF-8 bytes */
  deltas: string[];
  deltaBytes: number;
  /** short prompts with exactly one planted item or decoy each */
  quality: Prompt[];
}
