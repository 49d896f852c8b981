// Loaded policies by handle, shared by the ABI's entry files (js.ts, js_protocol.ts).
import { Policy } from "../engine/policy";
import { Scanner } from "../engine/scanner";
import { ScannerPool } from "../engine/scanner_pool";

export const policies = new Array<Policy | null>();
/** per policy: one reusable one-shot scanner per phase */
export const scanners = new Array<StaticArray<Scanner | null> | null>();
/** per policy: scanners of closed streams, reused by the next streams */
export const pools = new Array<ScannerPool | null>();

export function policyOf(h: i32): Policy | null {
  if (h < 1 || h > policies.length) return null;
  return policies[h - 1];
}
