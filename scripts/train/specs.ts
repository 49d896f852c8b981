// Which data each model learns from and which it is measured on. Sources held out here
// are never trained on; benign prompts are split by a hash of their text, so every style
// (questions, code, math, role-play, chat) appears on both sides.
import type { Row } from "./data.ts";
import { bucketOf } from "./data.ts";
import { readFileSync } from "node:fs";

/** Hand-written benign prompts with injection vocabulary (benign-trigger-words.txt). */
export const triggerWordBenign = (): Row[] =>
  readFileSync(new URL("./benign-trigger-words.txt", import.meta.url), "utf8").split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((text): Row => ({ text, label: 0, category: "benign_trigger_words", source: "wardline_handwritten", set: "benign_trigger_words", weight: Number(process.env.TRAIN_TRIGGER_WEIGHT ?? 5) }));

/** The injection / jailbreak data sets (leave-one-source-out runs over these: loso.ts). */
export const INJECTION_SOURCES = ["spml_chatbot_prompt_injection", "safeguard_prompt_injection", "ivanleomk_prompt_injection_password", "inthewild_jailbreak_prompts", "deepset_prompt_injections", "jackhhao_jailbreak_classification"];

export interface ModelSpec {
  name: string; // file name and, upper-cased, the finding type
  bits: number;
  epochs: number;
  rate: number;
  l2: number;
  rows(read: (set: string) => Row[]): { train: Row[]; heldOut: Row[] };
  /** held-out reporting group of a row */
  group(r: Row): string;
}

export const benignSplit = (read: (set: string) => Row[], salt: string) => {
  const all = read("benign_prompts");
  return { train: all.filter((r) => bucketOf(r, salt) < 0.7), heldOut: [...all.filter((r) => bucketOf(r, salt) >= 0.7), ...read("benign_prompts_small_curated")] };
};
/** Benign rows of the injection sets: chatbot and assistant questions, more varied than benign_prompts. */
const chatBenign = (read: (set: string) => Row[]) =>
  ["spml_chatbot_prompt_injection", "safeguard_prompt_injection", "ivanleomk_prompt_injection_password"].flatMap((s) => read(s).filter((r) => r.label === 0));
const benignGroup = (r: Row) => (r.label ? r.set : `benign:${r.set === "benign_prompts" ? r.category : r.set}`);

export const MODEL_SPECS: ModelSpec[] = [
  {
    name: "injection", bits: 16, epochs: 10, rate: 0.3, l2: 1e-7,
    rows(read) {
      const b = benignSplit(read, "injection");
      return {
        // synthetic chatbot attacks, a guardrail set, password-extraction games, jailbreaks from the wild
        train: [...read("spml_chatbot_prompt_injection"), ...read("safeguard_prompt_injection"), ...read("ivanleomk_prompt_injection_password"), ...read("inthewild_jailbreak_prompts"), ...b.train, ...triggerWordBenign()],
        // never seen: deepset's hand-written injections and jackhhao's jailbreak collection, both with their benign rows
        heldOut: [...read("deepset_prompt_injections"), ...read("jackhhao_jailbreak_classification"), ...b.heldOut],
      };
    },
    group: (r) => (r.set.startsWith("benign") ? benignGroup(r) : `${r.set}`),
  },
  {
    name: "toxicity", bits: 16, epochs: 10, rate: 0.3, l2: 1e-7,
    rows(read) {
      const b = benignSplit(read, "toxicity");
      const dav = read("davidson_hate_offensive");
      const inTrain = (r: Row) => bucketOf(r, "davidson") < 0.8;
      return {
        train: [...dav.filter(inTrain), ...read("profanity_lexicons"), ...b.train, ...chatBenign(read)],
        // toxigen (implicit hate, neutral statements about groups) is a source never trained on;
        // davidson has one source, so a 20 % row split of it is reported separately
        heldOut: [...dav.filter((r) => !inTrain(r)), ...read("toxigen_statements"), ...b.heldOut],
      };
    },
    group: (r) => (r.set.startsWith("benign") ? benignGroup(r) : r.set),
  },
  {
    name: "harmful", bits: 16, epochs: 10, rate: 0.3, l2: 1e-7,
    rows(read) {
      const b = benignSplit(read, "harmful");
      const hr = read("harmful_requests");
      const trainSources = new Set(["donotanswer", "advbench"]);
      return {
        train: [...hr.filter((r) => trainSources.has(r.source)), ...b.train, ...chatBenign(read)],
        // harmbench and jailbreakbench (with its benign look-alike requests) are held out
        heldOut: [...hr.filter((r) => !trainSources.has(r.source)), ...b.heldOut],
      };
    },
    group: (r) => (r.set.startsWith("benign") ? benignGroup(r) : `${r.set}:${r.source}`),
  },
];
