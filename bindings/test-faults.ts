// Test-only: engine failures on demand. Hosts promise a fail mode for the moment the engine
// fails (host-proxy/fail-mode.ts); tests must see that happen for real, through the same code
// path an engine error takes, without a broken build of the engine. A test arms a count for
// one kind of call; the next calls of that kind throw EngineError WL_ENGINE_TEST_FAULT instead
// of running. Disarmed (all zero) it costs one comparison per call. Not exported from the
// package entry points; never arm it outside tests.
import { EngineError } from "./errors.ts";

/** Calls that can be made to fail: request inspection, whole-response inspection, stream pushes. */
export type FaultKind = "request" | "response" | "stream";

const armed: Record<FaultKind, number> = { request: 0, response: 0, stream: 0 };

/**
 * Makes the next `count` calls of `kind` (in any Guard of this process) fail as an engine error would.
 * @example
 * injectEngineFaults("stream", 1); // the next Guard.transform push throws WL_ENGINE_TEST_FAULT
 */
export function injectEngineFaults(kind: FaultKind, count = 1): void { armed[kind] = count; }

/** Disarms every kind. */
export function clearEngineFaults(): void { armed.request = armed.response = armed.stream = 0; }

/** Throws when `kind` is armed (called by the binding before the engine call). */
export function checkEngineFault(kind: FaultKind): void {
  if (armed[kind] > 0) {
    armed[kind]--;
    throw new EngineError(-1, "WL_ENGINE_TEST_FAULT", `injected engine fault (${kind}) (WL_ENGINE_TEST_FAULT)`);
  }
}
