// npm run evasion: recall per evasion technique against the plain form (test/cases/evasion.json,
// default policy, ingress). A row counts as found when the scan reports its detector (and
// entity type, when the row names one). Prints a Markdown table, then the misses with their
// reasons. The same table is in RATIONALE.md ("Evasion").
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createGuard, type Guard } from "../bindings/index.ts";

export interface EvasionCase {
  id: string; category: string; technique: string; detector: string; type?: string; text: string;
  expect: "found" | "miss"; note?: string;
}

export const loadEvasionCases = (): EvasionCase[] => JSON.parse(readFileSync(new URL("../test/cases/evasion.json", import.meta.url), "utf8"));

export function isFound(guard: Guard, c: EvasionCase): boolean {
  return guard.scan(c.text, { phase: "ingress" }).findings.some((f) => f.detector === c.detector && (!c.type || f.type === c.type));
}

/** Rows: technique → found / cases, per category and overall. */
export function recallTable(cases: EvasionCase[], found: (c: EvasionCase) => boolean): string {
  const cats = [...new Set(cases.map((c) => c.category))];
  const techs = [...new Set(cases.map((c) => c.technique))];
  const cell = (list: EvasionCase[]) => (list.length ? `${list.filter(found).length}/${list.length}` : "–");
  const pct = (list: EvasionCase[]) => (list.length ? Math.round((100 * list.filter(found).length) / list.length) : NaN);
  const plain = pct(cases.filter((c) => c.technique === "plain"));
  const lines = [
    `| technique | ${cats.join(" | ")} | recall | drop vs plain |`,
    `|---|${cats.map(() => "---|").join("")}---|---|`,
  ];
  for (const t of techs) {
    const rows = cases.filter((c) => c.technique === t);
    const r = pct(rows);
    lines.push(`| ${t} | ${cats.map((k) => cell(rows.filter((c) => c.category === k))).join(" | ")} | ${r} % | ${t === "plain" ? "—" : `${plain - r} pt`} |`);
  }
  lines.push(`| **all evasions** | ${cats.map((k) => cell(cases.filter((c) => c.category === k && c.technique !== "plain"))).join(" | ")} | ${pct(cases.filter((c) => c.technique !== "plain"))} % | ${plain - pct(cases.filter((c) => c.technique !== "plain"))} pt |`);
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const guard = await createGuard({ policy: "default" });
  const cases = loadEvasionCases();
  const results = new Map(cases.map((c) => [c.id, isFound(guard, c)]));
  console.log(recallTable(cases, (c) => results.get(c.id)!));
  console.log("\nMisses:");
  for (const c of cases) if (!results.get(c.id)) console.log(`- ${c.id}: ${c.note ?? "(not marked as a known miss)"}`);
  const wrong = cases.filter((c) => results.get(c.id) !== (c.expect === "found"));
  if (wrong.length) { console.log(`\n${wrong.length} case(s) differ from their "expect": ${wrong.map((c) => c.id).join(", ")}`); process.exit(1); }
}
