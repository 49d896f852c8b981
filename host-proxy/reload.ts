// Hot reload: the policy file (and the config file) are watched; when one changes (after a
// debounce) the policy is compiled again and swapped in atomically — one assignment, so a
// request sees either the old guard or the new one, and a stream keeps the guard it started
// with (the exchange captured it). A file that does not compile is rejected: its
// `file:line:col` error is logged and the old policy stays in force.
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, resolve as resolvePath } from "node:path";
import { createGuard, type Guard } from "../bindings/index.ts";
import { loadConfig, type ConfigSources, type ProxyConfig } from "./config.ts";
import type { Logger } from "./log.ts";

/** The guard in force; `current` is replaced whole on a reload. */
export class PolicyHolder {
  constructor(public current: Guard) {}
  readonly get = (): Guard => this.current;
}

/** Is this policy setting a file (rather than a shipped name or YAML text)? */
export function policyFileOf(policy: string): string | undefined {
  const p = policy.trim();
  return !p.includes("\n") && /\.(ya?ml|json|wlp)$/i.test(p) ? resolvePath(p) : undefined;
}

export interface ReloadOptions {
  holder: PolicyHolder;
  /** the running configuration; settings that can change live are updated in place */
  config: ProxyConfig;
  /** how the configuration was loaded (its file is watched too) */
  sources?: ConfigSources;
  log: Logger;
  debounceMs?: number;
  /** called after every reload attempt (tests, metrics) */
  onReload?: (r: { ok: boolean; policy: string; error?: string }) => void;
}

export interface Reloader {
  /** reload now (also what a file change triggers) */
  reload(): Promise<void>;
  close(): void;
}

/** Settings a running proxy takes over from a changed config file (not listen, not audit). */
const LIVE: (keyof ProxyConfig)[] = ["upstreams", "policy", "timeouts", "limits", "fail_mode", "passthrough", "retries"];

export function watchPolicy(options: ReloadOptions): Reloader {
  const { holder, config, log } = options;
  const debounceMs = options.debounceMs ?? 100;
  const configFile = options.sources?.file ? resolvePath(options.sources.file) : undefined;
  const watchers = new Map<string, FSWatcher>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let running: Promise<void> = Promise.resolve();

  // watch directories, not files: editors replace a file by renaming a new one over it
  const watched = () => [configFile, policyFileOf(config.policy)].filter((f): f is string => !!f);
  const rewatch = () => {
    const files = watched();
    const dirs = new Set(files.map((f) => dirname(f)));
    for (const [d, w] of watchers) if (!dirs.has(d)) { w.close(); watchers.delete(d); }
    for (const d of dirs) {
      if (watchers.has(d)) continue;
      try {
        const w = watch(d, (_event, name) => {
          if (name && !watched().some((f) => dirname(f) === d && basename(f) === String(name))) return;
          schedule();
        });
        w.on("error", (e) => log.error({ err: { message: (e as Error).message }, dir: d }, "policy watch failed"));
        watchers.set(d, w);
      } catch (e) {
        log.error({ err: { message: (e as Error).message }, dir: d }, "policy watch failed");
      }
    }
  };
  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => { void reload(); }, debounceMs);
  };

  const attempt = async () => {
    if (closed) return;
    if (configFile) {
      try {
        const next = loadConfig(options.sources);
        if (next.listen !== config.listen) log.warn({ listen: next.listen }, "config reload: listen changes need a restart");
        for (const k of LIVE) (config as unknown as Record<string, unknown>)[k] = next[k];
      } catch (e) {
        const error = (e as Error).message;
        log.error({ err: { message: error } }, "config reload rejected; the old configuration stays");
        options.onReload?.({ ok: false, policy: holder.current.policyHash, error });
        return;
      }
    }
    let guard: Guard;
    try {
      guard = await createGuard({ policy: config.policy });
    } catch (e) {
      const error = (e as Error).message;
      log.error({ err: { message: error } }, "policy reload rejected; the old policy stays");
      options.onReload?.({ ok: false, policy: holder.current.policyHash, error });
      return;
    }
    if (closed) return;
    const old = holder.current.policyHash;
    if (guard.policyHash !== old) {
      holder.current = guard;
      log.info({ policy: guard.policyHash, previous: old }, "policy reloaded");
    }
    rewatch();
    options.onReload?.({ ok: true, policy: guard.policyHash });
  };
  // one reload at a time, in order
  const reload = () => (running = running.then(attempt, attempt));

  rewatch();
  return {
    reload,
    close() { closed = true; clearTimeout(timer); for (const w of watchers.values()) w.close(); watchers.clear(); },
  };
}
