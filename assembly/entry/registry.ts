// Loaded policies by handle, shared by the ABI's entry files (js.ts, js_protocol.ts).
import { Policy } from "../engine/policy";
import { Scanner } from "../engine/scanner";

export const policies = new Array<Policy | null>();
/** per policy: one reusable one-shot scanner per phase */
export const scanners = new Array<StaticArray<Scanner | null> | null>();

export function policyOf(h: i32): Policy | null {
  if (h < 1 || h > policies.length) return null;
  return policies[h - 1];
}
