// Labelled rows from JSONL text: one JSON object a line (format: ../shared/datasets/README.md).
// A bad line stops the whole evaluation with `file:line`: numbers computed over a data set
// that silently lost rows would look valid and be wrong. Blank lines are skipped.
import { WardlineError } from "../errors.ts";

/** A gold span: UTF-16 offsets into `text`, end exclusive. */
export interface GoldSpan { start: number; end: number; type: string }

export interface Row {
  file: string;
  /** 1-based line in `file` */
  line: number;
  text: string;
  label: 0 | 1;
  category: string;
  /** the row's `source`, or the file name when it has none */
  source: string;
  /** undefined when the row has no span data (or its spans are known to be incomplete) */
  spans?: GoldSpan[];
  /** the one entity type a row is about: `entity` (Presidio's recognizer tests) or `type` (python-stdnum) */
  entity?: string;
}

const fail = (file: string, line: number, msg: string, code: string): never => {
  throw new WardlineError(`${file}:${line}: ${msg} (${code})`, code);
};

function readSpans(v: unknown, text: string, file: string, line: number): GoldSpan[] {
  if (!Array.isArray(v)) return fail(file, line, `"spans" must be a list`, "WL_EVAL_BAD_SPAN");
  return v.map((s, i) => {
    const o = s as Record<string, unknown>;
    const ok = o !== null && typeof o === "object" && Number.isInteger(o.start) && Number.isInteger(o.end) && typeof o.type === "string" &&
      (o.start as number) >= 0 && (o.start as number) < (o.end as number) && (o.end as number) <= text.length;
    if (!ok) fail(file, line, `spans[${i}] must be {start, end, type} with 0 <= start < end <= ${text.length}: ${JSON.stringify(s)}`, "WL_EVAL_BAD_SPAN");
    return { start: o.start as number, end: o.end as number, type: o.type as string };
  });
}

/**
 * Parses one data file's text.
 * @throws WardlineError WL_EVAL_BAD_JSON, WL_EVAL_MISSING_FIELD or WL_EVAL_BAD_SPAN naming `file:line`
 * @example
 * parseRows('{"text":"hi","label":0,"category":"benign","source":"x"}\n', "a.jsonl")[0].line; // 1
 */
export function parseRows(content: string, file: string): Row[] {
  const rows: Row[] = [];
  const lines = content.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, "");
    if (raw.trim() === "") continue;
    const line = i + 1;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(raw);
    } catch (e) {
      return fail(file, line, `not valid JSON: ${(e as Error).message}`, "WL_EVAL_BAD_JSON");
    }
    if (o === null || typeof o !== "object" || Array.isArray(o)) fail(file, line, "a row must be a JSON object", "WL_EVAL_BAD_JSON");
    if (typeof o.text !== "string") fail(file, line, `"text" must be a string`, "WL_EVAL_MISSING_FIELD");
    if (o.label !== 0 && o.label !== 1) fail(file, line, `"label" must be 0 or 1, got ${JSON.stringify(o.label)}`, "WL_EVAL_MISSING_FIELD");
    if (typeof o.category !== "string" || o.category === "") fail(file, line, `"category" must be a non-empty string`, "WL_EVAL_MISSING_FIELD");
    if (o.source !== undefined && typeof o.source !== "string") fail(file, line, `"source" must be a string`, "WL_EVAL_MISSING_FIELD");
    const text = o.text as string;
    const row: Row = { file, line, text, label: o.label as 0 | 1, category: o.category as string, source: (o.source as string | undefined) || file };
    if (o.spans !== undefined) {
      const spans = readSpans(o.spans, text, file, line);
      // spans_complete: false = the source only checked a count; a positive without spans
      // tells nothing about where. Neither takes part in span-level scoring.
      if (o.spans_complete !== false && (row.label === 0 || spans.length > 0)) row.spans = spans;
    }
    const entity = typeof o.entity === "string" ? o.entity : typeof o.type === "string" ? o.type : undefined;
    if (entity !== undefined) row.entity = entity;
    rows.push(row);
  }
  return rows;
}
