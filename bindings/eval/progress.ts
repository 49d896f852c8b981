// A one-line progress bar for stderr, redrawn in place. The caller decides whether to
// show it (only when stderr is a terminal: piped output and CI logs stay clean).

export interface ProgressSink { write(s: string): unknown; columns?: number }

/**
 * Returns an onProgress(done, total) that redraws the bar, and done() to clear it.
 * @example
 * const bar = progressBar(process.stderr); scoreRows(rows, guards, bar.update); bar.done();
 */
export function progressBar(sink: ProgressSink, label = "scoring") {
  let last = "";
  return {
    update(done: number, total: number) {
      const width = Math.max(10, Math.min(40, (sink.columns ?? 80) - label.length - 30));
      const filled = total ? Math.round((done / total) * width) : width;
      const line = `${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${done}/${total} ${total ? Math.floor((done / total) * 100) : 100}%`;
      if (line !== last) sink.write(`\r${line}`);
      last = line;
    },
    done() {
      if (last) sink.write(`\r${" ".repeat([...last].length)}\r`);
    },
  };
}
