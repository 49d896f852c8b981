// Stands in for the policy parser and compiler in dist/browser-inline.js (substituted by
// scripts/targets/browser.mjs): that bundle loads compiled policies only, so the YAML
// parser, the regex compiler and the lexicons (~390 KB minified) stay out of it.
import { WardlineError } from "./errors.ts";

function unavailable(): never {
  throw new WardlineError(
    "this bundle has no policy compiler: pass compiled policy bytes (npx wardline compile policy.yaml -o policy.wlp), or use wardline/browser (WL_POLICY_FILE)",
    "WL_POLICY_FILE");
}
export const parsePolicy = unavailable;
export const policyFromObject = unavailable;
export const compilePolicy = unavailable;
