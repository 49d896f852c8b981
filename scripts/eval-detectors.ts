// npm run eval:detectors [-- --json] — per-entity precision and recall of the pattern
// detectors on the public labelled data in ../shared/datasets (not shipped with the
// repository; this script is not part of `npm test`). Span-level where the data has
// spans: a true positive is a finding of the mapped type overlapping the labelled span.
import { readFileSync, existsSync } from "node:fs";
import { createGuard, type Finding } from "../bindings/index.ts";

const DATA = new URL("../../shared/datasets/", import.meta.url);
const json = process.argv.includes("--json");

/** Presidio / stdnum names → Wardline entity types. */
const MAP: Record<string, string> = {
  CREDIT_CARD: "CREDIT_CARD", IBAN_CODE: "IBAN", EMAIL_ADDRESS: "EMAIL", PHONE_NUMBER: "PHONE", US_SSN: "US_SSN",
  IP_ADDRESS: "IP_ADDRESS", UK_NHS: "UK_NHS", UK_NINO: "UK_NINO", CA_SIN: "CA_SIN", IN_AADHAAR: "IN_AADHAAR",
  ES_NIF: "ES_NIF", ES_NIE: "ES_NIE", IT_FISCAL_CODE: "IT_FISCAL_CODE", DE_TAX_ID: "DE_TAX_ID", PL_PESEL: "PL_PESEL",
  AU_TFN: "AU_TFN", AU_ABN: "AU_ABN", US_ITIN: "US_ITIN", ABA_ROUTING_NUMBER: "US_ABA_ROUTING", SG_NRIC_FIN: "SG_NRIC",
  "stdnum.iban": "IBAN", "stdnum.us.ssn": "US_SSN", "stdnum.gb.nhs": "UK_NHS", "stdnum.ca.sin": "CA_SIN",
  "stdnum.in_.aadhaar": "IN_AADHAAR", "stdnum.es.nif": "ES_NIF", "stdnum.es.nie": "ES_NIE", "stdnum.it.codicefiscale": "IT_FISCAL_CODE",
  "stdnum.de.idnr": "DE_TAX_ID", "stdnum.pl.pesel": "PL_PESEL", "stdnum.au.tfn": "AU_TFN", "stdnum.au.abn": "AU_ABN",
  "stdnum.nl.bsn": "NL_BSN", "stdnum.br.cpf": "BR_CPF", "stdnum.us.itin": "US_ITIN", "stdnum.us.rtn": "US_ABA_ROUTING",
  "stdnum.luhn": "", "stdnum.sg.nric": "SG_NRIC", "stdnum.gb.nino": "UK_NINO",
};

interface Row { text: string; label: number; entity?: string; type?: string; spans?: { start: number; end: number; type: string }[]; category?: string; source?: string }
function rows(name: string): Row[] {
  const f = new URL(`${name}/data.jsonl`, DATA);
  if (!existsSync(f)) { console.error(`(missing ${name})`); return []; }
  return readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

const guard = await createGuard({ policy: "default" });
const scan = (t: string): Finding[] => guard.scan(t, { phase: "egress" }).findings;
const overlaps = (f: Finding, s: { start: number; end: number }) => f.start < s.end && s.start < f.end;

type Counts = { tp: number; fp: number; fn: number; tn: number };
const table = new Map<string, Counts>();
const bump = (key: string, k: keyof Counts) => {
  const c = table.get(key) ?? { tp: 0, fp: 0, fn: 0, tn: 0 };
  c[k]++;
  table.set(key, c);
};

// 1. Presidio recognizer tests and synthetic sentences (spans), libphonenumber and IBAN registry examples
for (const [set, defaultType] of [["presidio_recognizer_tests", ""], ["presidio_synthetic_pii", ""], ["libphonenumber_examples", "PHONE_NUMBER"], ["php_iban_examples", "IBAN_CODE"]] as const) {
  for (const r of rows(set)) {
    const findings = scan(r.text);
    if (set === "presidio_recognizer_tests") {
      const ours = MAP[r.entity ?? ""];
      if (!ours) continue;
      const key = `${ours} (${set})`;
      const hits = findings.filter((f) => f.type === ours);
      if (r.label === 1 && !(r.spans ?? []).length) bump(key, hits.length ? "tp" : "fn"); // spans not recorded: the row counts once
      else if (r.label === 1) {
        for (const s of r.spans ?? []) bump(key, hits.some((f) => overlaps(f, s)) ? "tp" : "fn");
        for (const f of hits) if (!(r.spans ?? []).some((s) => overlaps(f, s))) bump(key, "fp");
      } else bump(key, hits.length ? "fp" : "tn");
      continue;
    }
    const spans = (r.spans ?? []).map((s) => ({ ...s, ours: MAP[s.type] ?? MAP[defaultType] })).filter((s) => s.ours);
    for (const s of spans) bump(`${s.ours} (${set})`, findings.some((f) => f.type === s.ours && overlaps(f, s)) ? "tp" : "fn");
    for (const f of findings) {
      if (f.detector !== "pii") continue;
      if (!spans.some((s) => s.ours === f.type && overlaps(f, s))) bump(`${f.type} (${set})`, "fp");
    }
  }
}

// 2. stdnum: valid numbers must be found (in a neutral sentence), invalid ones must not
for (const r of rows("stdnum_identifiers")) {
  const ours = MAP[r.type ?? ""];
  if (!ours) continue;
  const text = `Reference: ${r.text} (see file).`;
  const hit = scan(text).some((f) => f.type === ours);
  bump(`${ours} (stdnum)`, r.label === 1 ? (hit ? "tp" : "fn") : hit ? "fp" : "tn");
}

// 3. Secrets: any secrets finding on a positive sample; none on a look-alike
for (const set of ["gitleaks_rule_samples", "detect_secrets_and_llm_guard_tests"]) {
  for (const r of rows(set)) {
    const hit = scan(r.text).some((f) => f.detector === "secrets");
    bump(`secrets (${set})`, r.label === 1 ? (hit ? "tp" : "fn") : hit ? "fp" : "tn");
  }
}

// 4. False positives on benign prompts, per detector
const benign = [...rows("benign_prompts"), ...rows("benign_prompts_small_curated")];
const perDetector = new Map<string, number>();
for (const r of benign) {
  const dets = new Set(scan(r.text).map((f) => f.detector));
  for (const d of dets) perDetector.set(d, (perDetector.get(d) ?? 0) + 1);
}

// 5. Injection / jailbreak heuristics: blocked at ingress by the default policy, per data set
const injection: Record<string, { positives: number; blocked: number; negatives: number; falseBlocks: number }> = {};
for (const set of ["deepset_prompt_injections", "jackhhao_jailbreak_classification", "spml_chatbot_prompt_injection", "safeguard_prompt_injection", "ivanleomk_prompt_injection_password", "inthewild_jailbreak_prompts", "benign_prompts", "benign_prompts_small_curated"]) {
  const c = { positives: 0, blocked: 0, negatives: 0, falseBlocks: 0 };
  for (const r of rows(set)) {
    const blocked = guard.scan(r.text, { phase: "ingress" }).action === "block";
    if (r.label === 1) { c.positives++; if (blocked) c.blocked++; } else { c.negatives++; if (blocked) c.falseBlocks++; }
  }
  injection[set] = c;
}

const report = [...table.entries()].sort().map(([key, c]) => ({
  entity: key,
  ...c,
  precision: c.tp + c.fp ? +(c.tp / (c.tp + c.fp)).toFixed(3) : null,
  recall: c.tp + c.fn ? +(c.tp / (c.tp + c.fn)).toFixed(3) : null,
}));
const benignRates = Object.fromEntries([...perDetector.entries()].map(([d, n]) => [d, { prompts: n, rate: +(n / benign.length).toFixed(4) }]));

if (json) console.log(JSON.stringify({ entities: report, benign: { prompts: benign.length, flagged_by_detector: benignRates }, injection }, null, 2));
else {
  console.log("entity (data set)".padEnd(48), "tp".padStart(6), "fp".padStart(6), "fn".padStart(6), "tn".padStart(6), " precision  recall");
  for (const r of report) console.log(r.entity.padEnd(48), String(r.tp).padStart(6), String(r.fp).padStart(6), String(r.fn).padStart(6), String(r.tn).padStart(6), String(r.precision ?? "-").padStart(10), String(r.recall ?? "-").padStart(7));
  console.log(`\nbenign prompts (${benign.length}) with at least one finding, by detector:`, benignRates);
  console.log("\ninjection / jailbreak blocked at ingress (default policy):");
  for (const [set, c] of Object.entries(injection)) {
    console.log(`  ${set.padEnd(40)} recall ${c.positives ? (c.blocked / c.positives).toFixed(3) : "-"} (${c.blocked}/${c.positives})   false blocks ${c.negatives ? (c.falseBlocks / c.negatives).toFixed(4) : "-"} (${c.falseBlocks}/${c.negatives})`);
  }
}
