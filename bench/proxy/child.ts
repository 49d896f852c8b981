// The servers under test run in their own processes so the proxy's CPU time and RSS are its
// own (process.cpuUsage / memoryUsage in that process), not autocannon's. The parent forks
// an entry file; the child reports its port, then answers stats and profile requests over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface Stats { cpuUs: number; rss: number }
type Msg = { port?: number; stats?: Stats; profile?: unknown; id?: number };

export interface Child {
  port: number;
  url: string;
  stats(): Promise<Stats>;
  /** starts a V8 CPU profile in the child; `profileStop` returns it (.cpuprofile JSON) */
  profileStart(): Promise<void>;
  profileStop(): Promise<unknown>;
  stop(): Promise<void>;
}

/** Bundles an entry like `npm run build:js` bundles the CLI, so the child runs plain JavaScript
 *  as users run `node dist/cli.js serve` (no TypeScript loader in its memory or its profile).
 *  The bundle sits in build/ so that the engine finds build/wardline.wasm one level up. */
async function bundle(entry: string): Promise<string> {
  const src = fileURLToPath(new URL(entry, import.meta.url));
  const out = fileURLToPath(new URL(`../../build/bench-${basename(entry, ".ts")}.mjs`, import.meta.url));
  await build({ entryPoints: [src], outfile: out, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "error" });
  return out;
}

export async function startChild(entry: string, env: Record<string, string> = {}): Promise<Child> {
  const file = await bundle(entry);
  const cp: ChildProcess = fork(file, [], {
    execArgv: [],
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"], // the proxy's JSON logs go nowhere, as to a file
  });
  let seq = 0;
  const pending = new Map<number, (m: Msg) => void>();
  const port = await new Promise<number>((resolve, reject) => {
    cp.once("exit", (code) => reject(new Error(`${entry} exited (${code}) before listening`)));
    cp.on("message", (m: Msg) => {
      if (m.port !== undefined && m.id === undefined) resolve(m.port);
      else if (m.id !== undefined) { pending.get(m.id)?.(m); pending.delete(m.id); }
    });
  });
  const ask = (cmd: string) => new Promise<Msg>((resolve) => { const id = ++seq; pending.set(id, resolve); cp.send({ cmd, id }); });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats: async () => (await ask("stats")).stats!,
    profileStart: async () => { await ask("profile-start"); },
    profileStop: async () => (await ask("profile-stop")).profile,
    stop: () => new Promise<void>((resolve) => { if (cp.exitCode !== null) return resolve(); cp.once("exit", () => resolve()); cp.kill("SIGTERM"); }),
  };
}

/** Child side: report the port, answer the parent's questions. */
export async function serveChild(port: number): Promise<void> {
  const { Session } = await import("node:inspector/promises");
  let session: InstanceType<typeof Session> | undefined;
  process.on("message", async (m: { cmd: string; id: number }) => {
    const reply = (x: Msg) => process.send!({ ...x, id: m.id });
    if (m.cmd === "stats") {
      const u = process.cpuUsage();
      reply({ stats: { cpuUs: u.user + u.system, rss: process.memoryUsage().rss } });
    } else if (m.cmd === "profile-start") {
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 200 });
      await session.post("Profiler.start");
      reply({});
    } else if (m.cmd === "profile-stop") {
      const { profile } = await session!.post("Profiler.stop");
      session!.disconnect();
      reply({ profile });
    }
  });
  process.on("SIGTERM", () => process.exit(0));
  process.send!({ port });
}
