// Peer: the local (no LLM, no network) checks of @openai/guardrails — PII, secret keys and the
// keyword filter — run together on each prompt as its pipeline would. The PII check returns a
// masked copy (<ENTITY> tokens) from which the spans are recovered; the others report strings.
import { pii, secretKeysCheck, keywordsCheck } from "@openai/guardrails/dist/checks/index.js";
import { occurrences, redactedSpans, type Span } from "../quality.ts";
import type { Peer } from "./peer.ts";

// the entities of the planted kinds (its full default list adds NER-like patterns that fire on
// ordinary words, which would only add false positives)
const PII = { entities: ["EMAIL_ADDRESS", "CREDIT_CARD", "PHONE_NUMBER", "US_SSN", "IBAN_CODE", "IP_ADDRESS"], block: false, detect_encoded_pii: false };
const SECRETS = { threshold: "balanced" as const };
// the same injection and profanity vocabulary as the RegExp union
const KEYWORDS = { keywords: ["ignore all previous instructions", "ignore previous instructions", "disregard previous instructions",
  "forget previous instructions", "developer mode", "do anything now", "jailbreak", "fuck", "fucking", "shit", "bitch", "asshole", "cunt"] };

type Out = [Awaited<ReturnType<typeof pii>>, Awaited<ReturnType<typeof secretKeysCheck>>, Awaited<ReturnType<typeof keywordsCheck>>];

export const openaiGuardrailsPeer: Peer = {
  name: "@openai/guardrails (local)",
  kinds: ["EMAIL", "CREDIT_CARD", "PHONE", "US_SSN", "IBAN", "IP_ADDRESS", "AWS_ACCESS_KEY_ID", "INJECTION", "PROFANITY"],
  // @ts-expect-error: the checks type their config as the parsed (zod) shape; these are valid inputs
  call: (text) => Promise.all([pii({}, text, PII), secretKeysCheck({}, text, SECRETS), keywordsCheck({}, text, KEYWORDS)]),
  spans: (text, out) => {
    const [p, s, k] = out as Out;
    const info = (x: { info?: Record<string, unknown> }) => x.info ?? {};
    const checked = info(p).checked_text as string | undefined;
    const spans: Span[] = checked ? redactedSpans(text, checked, /<[A-Z_]+>/) : [];
    spans.push(...occurrences(text, (info(s).detected_secrets as string[] | undefined) ?? []));
    spans.push(...occurrences(text, (info(k).matchedKeywords as string[] | undefined) ?? []));
    return spans;
  },
};
