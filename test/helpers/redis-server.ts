// A real redis-server for tests: spawned on a free loopback port with persistence off, ready
// once it answers PING, killed (and waited for) by stop(). restart() starts a fresh, empty
// server on the same port (what a Redis restart without persistence looks like to clients).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";

export const REDIS_SERVER = "/usr/bin/redis-server";

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** One PING over RESP; resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, "127.0.0.1");
    const timer = setTimeout(() => { sock.destroy(); resolve(false); }, 500);
    let got = "";
    sock.on("connect", () => sock.write("*1\r\n$4\r\nPING\r\n"));
    sock.on("data", (d) => { got += d; if (got.includes("\r\n")) { clearTimeout(timer); sock.destroy(); resolve(got.startsWith("+PONG")); } });
    sock.on("error", () => { clearTimeout(timer); resolve(false); });
  });
}

export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRedis(port?: number): Promise<TestRedis> {
  const p = port ?? await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(REDIS_SERVER, ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdio: "ignore" });
    const exited = new Promise<void>((r) => child!.once("exit", () => r()));
    for (let i = 0; i < 100; i++) {
      if (await ping(p)) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    await exited;
    throw new Error(`redis-server did not answer PING on port ${p}`);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    c.kill("SIGKILL");
    await exited;
  };
  await start();
  return { port: p, url: `redis://127.0.0.1:${p}`, stop, restart: async () => { await stop(); await start(); } };
}
