// Response headers for flag decisions (rules with `mode: flag`, and `flag` actions), so an app
// can see what the policy noticed without parsing logs. Only decisions known before the
// response headers leave can be headers: ingress, and the whole-answer scan of a non-streamed
// response. A flag that fires mid-stream comes after the headers; HTTP trailers would carry it,
// but neither SDK reads trailers, so mid-stream flags go to the log line, the audit record and
// the metrics only (docs/proxy.md, "Flags in response headers").

/** Rule ids (each once, in order) of findings that a flag decided. */
export function flaggedRules(parts: { findings: { action: string; rule?: string }[] }[]): string[] {
  const ids = new Set<string>();
  for (const p of parts) for (const f of p.findings) if (f.action === "flag" && f.rule) ids.add(f.rule);
  return [...ids];
}

/** Sets x-wardline-flags (comma-separated rule ids), x-wardline-policy and x-wardline-request-id
 *  when any rule flagged; leaves the headers alone otherwise. */
export function setFlagHeaders(h: Headers, rules: string[], policyHash: string, requestId: string): void {
  if (rules.length === 0) return;
  h.set("x-wardline-flags", rules.join(","));
  h.set("x-wardline-policy", policyHash);
  h.set("x-wardline-request-id", requestId);
}
