// Recovery from a trapped engine instance. A trap (WebAssembly.RuntimeError: `unreachable`
// from an abort or a failed memory.grow, an out-of-bounds access) or a RangeError thrown by
// the instance (stack exhausted, memory past its maximum) leaves the instance's heap in an
// unknown state, so it is never used again: the cell marks it dead, instantiates the same
// compiled module anew and loads the same compiled policy bytes, then rethrows the fault as
// a WardlineError with code WL_ENGINE_TRAP — exactly once per trap, so hosts can count
// restarts and apply their fail mode. Calls that were still using the dead instance (streams
// opened before the trap) fail with WL_ENGINE_DISCARDED instead.
import { Engine } from "./engine.ts";
import { EngineError } from "./errors.ts";
import { ProtocolEngine } from "./transform.ts";

/** What an instance throws when it faults: a trap, or a RangeError from its stack or memory. */
export function isInstanceFault(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
}

/** True for the error a trapping call throws (hosts count these as engine restarts). */
export function isEngineTrap(e: unknown): e is EngineError {
  return e instanceof EngineError && e.code === "WL_ENGINE_TRAP";
}

/**
 * One live engine instance with a compiled policy loaded, replaced after a trap.
 * @example
 * const cell = new EngineCell(new Engine(module), policyBytes);
 * cell.run(() => cell.engine.scan(cell.handle, 1, text)); // a trap: WL_ENGINE_TRAP, and a fresh instance for the next call
 */
export class EngineCell {
  engine: Engine;
  handle: number;
  /** instances replaced after a trap, since this cell was made */
  restarts = 0;
  readonly #bytes: Uint8Array;
  #protocol?: ProtocolEngine;

  constructor(engine: Engine, bytes: Uint8Array) {
    this.engine = engine;
    this.#bytes = bytes;
    this.handle = engine.loadPolicy(bytes);
  }

  /** true when the current instance trapped (through this cell or a provider stream on it) */
  get dead(): boolean { return this.engine.trapped || (this.#protocol?.trapped ?? false); }

  /** The provider-stream wrapper on the live instance (made once per instance). */
  protocol(): ProtocolEngine {
    this.live();
    return (this.#protocol ??= new ProtocolEngine(this.engine.rawExports));
  }

  /** Replaces the instance if it trapped since the last call (e.g. inside a provider stream). */
  live(): void {
    if (this.dead) this.#replace();
  }

  /** Runs `fn` on the live instance; a fault there replaces the instance and throws WL_ENGINE_TRAP. */
  run<T>(fn: () => T): T {
    this.live();
    try {
      return fn();
    } catch (e) {
      if (!isEngineTrap(e) && !isInstanceFault(e)) throw e;
      const error = isEngineTrap(e) ? e : new EngineError(-1, "WL_ENGINE_TRAP", `engine trapped: ${(e as Error).message} (WL_ENGINE_TRAP)`);
      this.engine.trapped = true;
      // a failed replacement (the module cannot even load the policy) is retried on the next call
      try { this.#replace(); } catch { /* next call tries again */ }
      throw error;
    }
  }

  #replace(): void {
    this.engine.trapped = true;
    if (this.#protocol) this.#protocol.trapped = true;
    const engine = new Engine(this.engine.module);
    this.handle = engine.loadPolicy(this.#bytes);
    this.engine = engine;
    this.#protocol = undefined;
    this.restarts++;
  }
}
