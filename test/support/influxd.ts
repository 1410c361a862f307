import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real InfluxDB 1.x (Debian package `influxdb`) for tests and benches: its own temp dir,
 * loopback ports, no systemd. Ready when /ping answers 204.
 */

export const INFLUXD_PATH = '/usr/bin/influxd';

export interface InfluxdOptions {
  httpPort: number;
  /** The RPC/backup bind address must move off the default 8088 too. */
  rpcPort: number;
  /** Data directory to use (kept); default a fresh temp dir removed by stop(). */
  dir?: string;
  /** How often continuous queries are checked; default 1s. */
  cqRunInterval?: string;
}

export interface Influxd {
  url: string;
  dir: string;
  pid(): number | undefined;
  /** SIGTERM and wait for exit; removes the temp dir unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL, as a crash or an OOM kill would; data dir kept. */
  kill(): Promise<void>;
  /** Stops (keeping data) and starts again on the same ports and data. */
  restart(): Promise<void>;
  /** Starts again after stop({ keepData: true }) or kill(). */
  start(): Promise<void>;
  log(): string;
}

export function influxdConfig(dir: string, httpPort: number, rpcPort: number, cqRunInterval = '1s'): string {
  return `reporting-enabled = false
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dir, 'meta')}"
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  run-interval = "${cqRunInterval}"
`;
}

async function waitForPing(url: string, child: ChildProcess, logFile: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`influxd exited with code ${child.exitCode} before answering /ping; log:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`influxd did not answer ${url}/ping with 204 within ${timeoutMs} ms; log:\n${tail(logFile)}`);
}

const tail = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '(no log)');

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

export async function startInfluxd(opts: InfluxdOptions): Promise<Influxd> {
  if (!existsSync(INFLUXD_PATH))
    throw new Error(`${INFLUXD_PATH} not found: install Debian package influxdb (apt-get install -y influxdb)`);
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'demarc-influxd-'));
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'influxdb.conf');
  const logFile = join(dir, 'influxd.log');
  writeFileSync(configFile, influxdConfig(dir, opts.httpPort, opts.rpcPort, opts.cqRunInterval));
  const url = `http://127.0.0.1:${opts.httpPort}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) throw new Error(`influxd on ${url} is already running (pid ${child.pid})`);
    const fd = openSync(logFile, 'a');
    child = spawn(INFLUXD_PATH, ['-config', configFile], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    await waitForPing(url, child, logFile);
  };
  const signal = async (sig: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(sig);
    await exited(c);
  };

  await start();
  return {
    url,
    dir,
    pid: () => child?.pid,
    async stop(o = {}) {
      await signal('SIGTERM');
      if (ownDir && !o.keepData) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => signal('SIGKILL'),
    async restart() {
      await signal('SIGTERM');
      await start();
    },
    start,
    log: () => tail(logFile),
  };
}
