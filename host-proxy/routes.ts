// Which provider protocol a request speaks, and where it goes upstream.
import type { ProviderFamily } from "./provider-errors.ts";
import type { ProxyConfig } from "./config.ts";

export type GuardedProvider = "openai-chat" | "openai-responses" | "anthropic";

export interface Route {
  /** label for metrics and logs: the guarded path, or "passthrough" */
  name: string;
  /** the guarded protocol, undefined for passthrough */
  provider?: GuardedProvider;
  family: ProviderFamily;
}

const GUARDED: Record<string, { provider: GuardedProvider; family: ProviderFamily }> = {
  "/v1/chat/completions": { provider: "openai-chat", family: "openai" },
  "/v1/responses": { provider: "openai-responses", family: "openai" },
  "/v1/messages": { provider: "anthropic", family: "anthropic" },
};

/** A request that carries Anthropic's headers goes to Anthropic; anything else to OpenAI. */
export function familyOf(headers: Headers): ProviderFamily {
  return headers.has("anthropic-version") || headers.has("x-api-key") ? "anthropic" : "openai";
}

export function routeOf(method: string, pathname: string, headers: Headers): Route {
  const g = method === "POST" ? GUARDED[pathname] : undefined;
  if (g) return { name: pathname, ...g };
  return { name: "passthrough", family: familyOf(headers) };
}

/** The upstream URL: the family's base URL (with any path it has) + the request path and query. */
export function upstreamUrl(config: ProxyConfig, family: ProviderFamily, url: URL): string {
  const base = family === "anthropic" ? config.upstreams.anthropic : config.upstreams.openai;
  return base.replace(/\/+$/, "") + url.pathname + url.search;
}
