// One call into a wasm instance, shared by Engine (scan/stream exports) and ProtocolEngine
// (wl_proto_* exports): a trap or an exhausted stack/memory (RangeError) marks the instance
// dead and becomes WL_ENGINE_TRAP; a dead instance refuses every later call with
// WL_ENGINE_DISCARDED. The Guard then replaces it (engine-recovery.ts).
import { EngineError, discardedError } from "./errors.ts";

export function callInstance<T>(instance: { trapped: boolean }, abortLine: () => number, fn: () => T): T {
  if (instance.trapped) throw discardedError();
  try {
    return fn();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
      instance.trapped = true;
      throw new EngineError(-1, "WL_ENGINE_TRAP", `engine trapped: ${e.message} (engine source line ${abortLine()}) (WL_ENGINE_TRAP)`);
    }
    throw e;
  }
}
