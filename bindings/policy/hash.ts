// A compiled policy's content hash: SHA-256 of its bytes, hex. Every decision a host
// logs carries it, so an audit record names exactly the policy that made it.
export async function policyHash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as unknown as ArrayBuffer);
  return "sha256:" + [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
