// The report as one self-contained HTML file: inline CSS, inline SVG, no scripts, no
// fonts or anything else fetched. Per task: headline numbers, PR and ROC curves with the
// operating point marked, the confusion table, per-source bars, worst false positives
// and misses. Then span-level scores and latency. Text from the data is escaped.
import type { EvalReport, TaskReport, Example } from "./evaluate.ts";
import type { SpanReport } from "./spans.ts";
import { lineChart } from "./svg-chart.ts";
import { escapeHtml as h } from "./escape-html.ts";
import { show, percent } from "./numbers.ts";
import { top } from "./text-table.ts";

const CURVE = "#3157d5";
const OP = "#e0562b";

const CSS = `
:root{--ink:#1d2330;--mute:#667085;--line:#e4e7ec;--bg:#f5f6f9;--good:#1f9d6b;--bad:#d64545;--blue:#3157d5}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header{background:#151a2d;color:#fff;padding:22px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#b8c0d9}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
section.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin:18px 0;box-shadow:0 1px 2px rgba(16,24,40,.04)}
h2{margin:0 0 4px;font-size:19px}h2 small{font-weight:400;color:var(--mute);font-size:13px}h3{font-size:14px;margin:18px 0 8px;color:#344054}
.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}.kpi{flex:1 1 100px;border:1px solid var(--line);border-radius:8px;padding:8px 12px}
.kpi b{display:block;font-size:21px}.kpi span{color:var(--mute);font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.charts>div{flex:1 1 100%}.op{display:flex;flex-wrap:wrap;gap:24px;align-items:center}.op h3{margin:0 0 6px}.charts svg{border:1px solid var(--line);border-radius:8px;background:#fff}
svg .tick{font-size:10px;fill:#667085}svg .axis{font-size:12px;fill:#344054}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}
th{color:var(--mute);font-weight:600;background:#fafbfc}td:first-child,th:first-child{text-align:left}
table.confusion{width:auto}table.confusion td{min-width:110px;text-align:center;font-size:16px;font-weight:600}
td.tp,td.tn{background:#e7f6ef;color:#11643f}td.fp,td.fn{background:#fdecec;color:#9b2323}
.bars .row{display:grid;grid-template-columns:260px 1fr 1fr;gap:10px;align-items:center;margin:3px 0;font-size:12px}
.bar{background:#eef0f4;border-radius:4px;height:16px;position:relative;overflow:hidden}.bar i{position:absolute;left:0;top:0;bottom:0;border-radius:4px}
.bar em{position:absolute;right:6px;top:0;font-style:normal;font-size:11px;line-height:16px;color:#344054}
.legend{font-size:12px;color:var(--mute)}.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px;vertical-align:-1px}
.ex{font-size:12.5px}.ex td,.ex th{text-align:left}.ex th:first-child{text-align:right}.ex td.num{text-align:right;white-space:nowrap}.ex q{quotes:none;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;color:#344054;word-break:break-word}
.muted{color:var(--mute)}summary{cursor:pointer}summary h3{display:inline-block}.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}@media(max-width:900px){.grid2{grid-template-columns:1fr}.bars .row{grid-template-columns:1fr}}
`;

/** The last two path segments: enough to find the file, short enough to read. */
const shortPath = (file: string) => file.split(/[\\/]/).slice(-2).join("/");

/** PR as steps: precision P_k holds over (R_{k-1}, R_k], the same rectangles average precision sums. */
function prSteps(pr: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let r0 = 0;
  for (const [r, p] of pr) {
    out.push([r0, p], [r, p]);
    r0 = r;
  }
  return out;
}

const kpi = (label: string, value: string) => `<div class="kpi"><b>${value}</b><span>${h(label)}</span></div>`;

function bar(value: number | null, color: string, caption: string): string {
  const w = value === null ? 0 : Math.max(0, Math.min(1, value)) * 100;
  return `<div class="bar" title="${h(caption)}"><i style="width:${w.toFixed(1)}%;background:${color}"></i><em>${h(caption)}</em></div>`;
}

function examples(title: string, list: Example[], empty: string): string {
  if (list.length === 0) return `<h3>${h(title)}</h3><p class="muted">${h(empty)}</p>`;
  const rows = list.map((e) => `<tr><td class="num">${e.score.toFixed(3)}</td><td><q>${h(e.excerpt)}</q><br><span class="muted">${h(e.source)} · ${h(e.category)} · ${h(shortPath(e.file))}:${e.line}${e.caughtBy ? ` · ${h(e.caughtBy)}` : ""}</span></td></tr>`);
  return `<h3>${h(title)}</h3><table class="ex"><tr><th>score</th><th>text</th></tr>${rows.join("")}</table>`;
}

function task(name: string, t: TaskReport): string {
  const o = t.operatingPoint;
  const c = t.curves;
  const markerPr = o.recall !== null && o.precision !== null ? [{ x: o.recall, y: o.precision, color: OP, label: `operating point: recall ${show(o.recall)}, precision ${show(o.precision)}` }] : [];
  const markerRoc = o.recall !== null && o.fpr !== null ? [{ x: o.fpr, y: o.recall, color: OP, label: `operating point: FPR ${show(o.fpr)}, recall ${show(o.recall)}` }] : [];
  const pr = lineChart({ title: `${name}: precision–recall`, xLabel: "recall", yLabel: "precision", series: [{ points: prSteps(c.pr), color: CURVE, label: `AP ${show(c.averagePrecision)}` }], markers: markerPr });
  const roc = lineChart({
    title: `${name}: ROC`, xLabel: "false-positive rate", yLabel: "recall (true-positive rate)",
    series: [{ points: [[0, 0], [1, 1]], color: "#a0a6b4", label: "chance", dashed: true }, { points: c.roc, color: CURVE, label: `ROC AUC ${show(c.rocAuc)}` }],
    markers: markerRoc,
  });
  // The region that matters for a guard: recall where false positives stay rare.
  const rocLow = lineChart({
    title: `${name}: ROC at FPR ≤ 5 %`, xLabel: "false-positive rate (zoom: 0–5 %)", yLabel: "recall (true-positive rate)", xMax: 0.05,
    series: [{ points: c.roc, color: CURVE, label: `recall at 1 % FPR ${show(c.recallAtFpr["0.01"])}` }],
    markers: markerRoc,
  });
  const confusion = `<table class="confusion"><tr><th></th><th>caught</th><th>not caught</th></tr>
<tr><th>label 1 (${t.positives})</th><td class="tp">${o.tp}<br><small>true positives</small></td><td class="fn">${o.fn}<br><small>misses</small></td></tr>
<tr><th>label 0 (${t.negatives})</th><td class="fp">${o.fp}<br><small>false positives</small></td><td class="tn">${o.tn}<br><small>true negatives</small></td></tr></table>`;
  const sources = Object.entries(t.bySource).map(([s, r]) => {
    const pos = r.tp + r.fn;
    const neg = r.fp + r.tn;
    return `<div class="row"><div>${h(s)}</div>${pos ? bar(r.recall, "var(--good)", `recall ${percent(r.recall)} of ${pos}`) : `<div class="muted">no positives</div>`}${neg ? bar(r.fpr, "var(--bad)", `FPR ${percent(r.fpr)} of ${neg}`) : `<div class="muted">no negatives</div>`}</div>`;
  });
  const cats = Object.entries(t.byCategory).map(([k, l]) => `<tr><td>${h(k)}</td><td>${l.label}</td><td>${l.rows}</td><td>${l.caught}</td><td>${percent(l.rate)}</td></tr>`);
  const by = Object.entries(o.caughtBy).map(([k, v]) => `${h(k)} ×${v}`).join(", ");
  return `<section class="card" id="task-${h(name)}">
<h2>${h(name)} <small>detectors: ${h(t.detectors.join(", ") || "none in this policy")}</small></h2>
<div class="kpis">${kpi("precision", show(o.precision, 3))}${kpi("recall", show(o.recall, 3))}${kpi("F1", show(o.f1, 3))}${kpi("false-positive rate", percent(o.fpr, 2))}${kpi("average precision", show(c.averagePrecision, 3))}${kpi("ROC AUC", show(c.rocAuc, 3))}${kpi("recall at 1 % FPR", show(c.recallAtFpr["0.01"], 3))}${kpi("recall at 0.1 % FPR", show(c.recallAtFpr["0.001"], 3))}</div>
<div class="charts">${pr}${roc}${rocLow}</div>
<p class="legend"><span class="swatch" style="background:${CURVE}"></span>curves: report floors lowered, ${c.thresholds} thresholds<span class="swatch" style="background:${OP}"></span>the operating point: the policy as written</p>
<h3>Operating point (policy as written)</h3><div class="op">${confusion}<p class="muted">${by ? `caught by ${by}` : "no rule fired"}</p></div>
<h3>By source</h3><div class="bars"><div class="row legend"><div></div><div>recall on label 1 (longer is better)</div><div>false-positive rate on label 0 (shorter is better)</div></div>${sources.join("")}</div>
<details${cats.length > 12 ? "" : " open"}><summary><h3>By category (${cats.length})</h3></summary><table><tr><th>category</th><th>label</th><th>rows</th><th>caught</th><th>rate</th></tr>${cats.join("")}</table></details>
<div class="grid2"><div>${examples("Worst false positives (caught, label 0; highest score first)", t.worstFalsePositives, "No false positives at the operating point.")}</div>
<div>${examples("Worst misses (not caught, label 1; lowest score first)", t.worstMisses, "No misses at the operating point.")}</div></div>
</section>`;
}

function spans(name: string, s: SpanReport): string {
  const rows = [...Object.entries(s.byType), ["all types", s.total] as const].map(([k, c]) =>
    `<tr><td>${h(k)}</td><td>${c.gold}</td><td>${c.found}</td><td>${show(c.precision, 3)}</td><td>${show(c.recall, 3)}</td><td>${show(c.exactPrecision, 3)}</td><td>${show(c.exactRecall, 3)}</td></tr>`);
  const nd = Object.entries(s.notDetected).map(([k, v]) => `${h(k)} ×${v}`).join(", ");
  return `<section class="card"><h2>${h(name)} — span level <small>${s.rows} rows with gold spans; a match has the same type and overlaps, an exact match has the same start and end</small></h2>
<table><tr><th>type</th><th>gold</th><th>found</th><th>precision</th><th>recall</th><th>exact precision</th><th>exact recall</th></tr>${rows.join("")}</table>
${nd ? `<p class="muted">Gold types Wardline has no detector for (not counted): ${nd}</p>` : ""}</section>`;
}

/**
 * Renders the report as a complete HTML document.
 * @example
 * writeFileSync("eval.html", htmlReport(report));
 */
export function htmlReport(r: EvalReport): string {
  const l = r.latency;
  const unknown = Object.entries(r.data.unknownCategories).map(([k, v]) => `${h(k)} ×${v}`).join(", ");
  const summary = Object.entries(r.tasks).map(([name, t]) =>
    `<tr><td><a href="#task-${h(name)}">${h(name)}</a></td><td>${t.positives}</td><td>${t.negatives}</td><td>${show(t.operatingPoint.precision, 3)}</td><td>${show(t.operatingPoint.recall, 3)}</td><td>${show(t.operatingPoint.f1, 3)}</td><td>${percent(t.operatingPoint.fpr, 2)}</td><td>${show(t.curves.averagePrecision, 3)}</td><td>${show(t.curves.rocAuc, 3)}</td><td>${show(t.curves.recallAtFpr["0.01"], 3)}</td><td>${show(t.curves.recallAtFpr["0.001"], 3)}</td></tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>wardline eval — ${h(r.policy.name)}</title><style>${CSS}</style></head>
<body><header><h1>wardline eval — policy “${h(r.policy.name)}”</h1>
<p>phase ${h(r.policy.phase)} · policy hash ${h(r.policy.hash.slice(0, 23))} · ${r.data.rows} rows from ${r.data.files.length} file(s)</p></header>
<main>
<section class="card"><h2>Summary</h2>
<p class="muted">Operating point: the policy as written; a row is caught when ${h(r.caught)}. Curves: every row scored by the highest finding score of the task's detectors, with the detectors' report floors lowered.</p>
<table><tr><th>task</th><th>label 1</th><th>label 0</th><th>precision</th><th>recall</th><th>F1</th><th>FPR</th><th>AP</th><th>ROC AUC</th><th>recall @ 1 % FPR</th><th>recall @ 0.1 % FPR</th></tr>${summary.join("")}</table>
${unknown ? `<p class="muted">Not scored (unknown category): ${unknown}</p>` : ""}
${Object.entries(r.data.outOfScope).map(([task, s]) => `<p class="muted">${h(task)}: ${s.rows} positive rows out of scope (only types Wardline has no detector for), not scored: ${h(top(s.types, 20))}.</p>`).join("\n")}
<p class="muted">Latency (${l.rows} scans, policy as written): p50 ${l.p50Us.toFixed(1)} µs · p90 ${l.p90Us.toFixed(1)} µs · p99 ${l.p99Us.toFixed(1)} µs per row; per KiB p50 ${l.perKb.p50Us.toFixed(1)} µs · p99 ${l.perKb.p99Us.toFixed(1)} µs (short rows make per-KiB figures look high: a scan has a fixed cost) · ${l.throughputMBps.toFixed(1)} MB/s overall.</p>
</section>
${Object.entries(r.tasks).map(([name, t]) => task(name, t)).join("\n")}
${Object.entries(r.spans).map(([name, s]) => spans(name, s)).join("\n")}
</main></body></html>
`;
}
