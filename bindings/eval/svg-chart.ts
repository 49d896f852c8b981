// Small self-contained SVG line charts for the HTML report (inline in HTML5, so no xmlns
// and no URL anywhere): unit square axes (0..1) with
// ticks, grid, labels, any number of curves and marked points. No scripts, no fonts.
import { escapeHtml } from "./escape-html.ts";

export interface Series { points: readonly [number, number][]; color: string; label: string; dashed?: boolean }
export interface Marker { x: number; y: number; color: string; label: string }

const W = 350;
const H = 300;
const M = { left: 52, right: 16, top: 16, bottom: 46 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
let xMax = 1; // set per chart: a zoomed chart shows x in [0, xMax]
const px = (x: number) => (M.left + (Math.min(x, xMax) / xMax) * PW).toFixed(1);
const py = (y: number) => (M.top + (1 - y) * PH).toFixed(1);

/** The polyline cut where it leaves [0, xMax] (interpolated at the border). */
function clipX(points: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i++) {
    const [x, y] = points[i];
    if (x <= xMax) { out.push([x, y]); continue; }
    const prev = points[i - 1];
    if (prev && prev[0] < xMax) out.push([xMax, prev[1] + ((y - prev[1]) * (xMax - prev[0])) / (x - prev[0])]);
    break;
  }
  return out;
}

/**
 * A chart over [0,1]×[0,1].
 * @example
 * lineChart({ title: "ROC", xLabel: "false-positive rate", yLabel: "recall", series: [{ points: [[0,0],[1,1]], color: "#999", label: "chance" }] });
 */
export function lineChart(c: { title: string; xLabel: string; yLabel: string; series: Series[]; markers?: Marker[]; xMax?: number }): string {
  xMax = c.xMax ?? 1;
  const out: string[] = [];
  out.push(`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(c.title)}">`);
  out.push(`<title>${escapeHtml(c.title)}</title>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="#fbfbfd" stroke="#d0d4dc"/>`);
  for (let i = 0; i <= 5; i++) {
    const t = i / 5;
    out.push(`<line x1="${px(0)}" y1="${py(t)}" x2="${px(1)}" y2="${py(t)}" stroke="#e6e8ee"/>`);
    const xt = t * xMax;
    out.push(`<line x1="${px(xt)}" y1="${py(0)}" x2="${px(xt)}" y2="${py(1)}" stroke="#e6e8ee"/>`);
    out.push(`<text x="${px(xt)}" y="${(M.top + PH + 16).toFixed(1)}" text-anchor="middle" class="tick">${xMax < 1 ? `${+(xt * 100).toFixed(2)} %` : xt.toFixed(1)}</text>`);
    out.push(`<text x="${M.left - 6}" y="${(Number(py(t)) + 4).toFixed(1)}" text-anchor="end" class="tick">${t.toFixed(1)}</text>`);
  }
  out.push(`<text x="${(M.left + PW / 2).toFixed(1)}" y="${H - 8}" text-anchor="middle" class="axis">${escapeHtml(c.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${(M.top + PH / 2).toFixed(1)}) rotate(-90)" text-anchor="middle" class="axis">${escapeHtml(c.yLabel)}</text>`);
  for (const s of c.series) {
    if (s.points.length === 0) continue;
    const d = clipX(s.points).map(([x, y], i) => `${i ? "L" : "M"}${px(x)} ${py(y)}`).join("");
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.dashed ? 1 : 2.2}"${s.dashed ? ` stroke-dasharray="4 4"` : ""} stroke-linejoin="round"><title>${escapeHtml(s.label)}</title></path>`);
  }
  for (const m of (c.markers ?? []).filter((m) => m.x <= xMax)) {
    out.push(`<circle cx="${px(m.x)}" cy="${py(m.y)}" r="5" fill="${m.color}" stroke="#fff" stroke-width="1.5"><title>${escapeHtml(m.label)}</title></circle>`);
  }
  out.push(`</svg>`);
  return out.join("");
}
