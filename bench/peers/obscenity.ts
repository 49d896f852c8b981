// Peer: obscenity's RegExpMatcher with the English dataset and its recommended transformers
// (the setup its README gives). Matches come with original-text indices (end inclusive).
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from "obscenity";
import type { Span } from "../quality.ts";
import type { Peer } from "./peer.ts";

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

export const obscenityPeer: Peer = {
  name: "obscenity (English)",
  kinds: ["PROFANITY"],
  call: (text) => matcher.getAllMatches(text),
  spans: (_text, out) => (out as { startIndex: number; endIndex: number }[]).map((m) => [m.startIndex, m.endIndex + 1] as Span),
};
