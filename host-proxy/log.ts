// JSON logs (pino). Lines carry request ids, routes, statuses, actions, rule ids and finding
// counts — never request or response text, never credentials.
import pino, { type Logger, type DestinationStream } from "pino";

export type { Logger };

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino({ level: options.level ?? process.env.WARDLINE_LOG_LEVEL ?? "info", base: { service: "wardline" } }, options.destination);
}
