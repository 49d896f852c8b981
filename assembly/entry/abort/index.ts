// Engine code never aborts on input: every input error is a status code. An abort is
// a bug; we record where it happened (so the host can report it) and trap, instead of
// importing `env.abort`, because hosts such as Envoy refuse modules with unknown imports.
// The location lives in a static data segment, not a global: an abort can happen while
// globals are still being initialised.

// One function, so one data segment (an inlined memory.data would make one per call site).
function abortInfo(): usize { return memory.data(8); }

export function abortHandler(message: string | null, fileName: string | null, line: u32, column: u32): void {
  store<u32>(abortInfo(), line);
  store<u32>(abortInfo(), column, 4);
  unreachable();
}

export function lastAbortLine(): u32 { return load<u32>(abortInfo()); }
export function lastAbortColumn(): u32 { return load<u32>(abortInfo(), 4); }
