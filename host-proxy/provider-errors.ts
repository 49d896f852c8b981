// Errors in each provider's own shape, so the official SDKs raise their usual error classes
// with our message. OpenAI: {"error":{"message","type","param","code"}}; Anthropic:
// {"type":"error","error":{"type","message"}} (docs.anthropic.com/en/api/errors). Mid-stream,
// OpenAI SDKs throw on a data frame holding `error`; Anthropic SDKs on `event: error`.
export type ProviderFamily = "openai" | "anthropic";

/** Why we refuse or fail a request; each maps to a status and the provider's error type. */
export type Failure = "blocked" | "bad_request" | "not_found" | "too_large" | "internal" | "unreachable" | "bad_upstream" | "overloaded" | "timeout";

const STATUS: Record<Failure, number> = {
  blocked: 400, bad_request: 400, not_found: 404, too_large: 413, internal: 500, unreachable: 502, bad_upstream: 502, overloaded: 503, timeout: 504,
};

const OPENAI: Record<Failure, { type: string; code: string | null }> = {
  blocked: { type: "invalid_request_error", code: "content_policy_violation" },
  bad_request: { type: "invalid_request_error", code: null },
  not_found: { type: "invalid_request_error", code: "unknown_url" },
  too_large: { type: "invalid_request_error", code: "request_too_large" },
  internal: { type: "server_error", code: null },
  unreachable: { type: "server_error", code: "upstream_unreachable" },
  bad_upstream: { type: "server_error", code: "upstream_invalid_response" },
  overloaded: { type: "server_error", code: "overloaded" },
  timeout: { type: "server_error", code: "upstream_timeout" },
};

const ANTHROPIC: Record<Failure, string> = {
  blocked: "invalid_request_error", bad_request: "invalid_request_error", not_found: "not_found_error",
  too_large: "request_too_large", internal: "api_error", unreachable: "api_error", bad_upstream: "api_error", overloaded: "overloaded_error", timeout: "timeout_error",
};

export function statusOf(failure: Failure): number { return STATUS[failure]; }

export function errorBody(family: ProviderFamily, failure: Failure, message: string): string {
  if (family === "anthropic") return JSON.stringify({ type: "error", error: { type: ANTHROPIC[failure], message } });
  const o = OPENAI[failure];
  return JSON.stringify({ error: { message, type: o.type, param: null, code: o.code } });
}

/** A complete error response in the provider's shape. */
export function errorResponse(family: ProviderFamily, failure: Failure, message: string, headers: Record<string, string> = {}): Response {
  return new Response(errorBody(family, failure, message), {
    status: STATUS[failure],
    headers: { "content-type": "application/json", ...headers },
  });
}

/** An SSE frame that ends a stream already under way with an error the SDK raises. */
export function errorFrame(family: ProviderFamily, failure: Failure, message: string): Uint8Array {
  const body = errorBody(family, failure, message);
  return new TextEncoder().encode(family === "anthropic" ? `event: error\ndata: ${body}\n\n` : `data: ${body}\n\n`);
}
