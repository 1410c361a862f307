import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'demarc.js');

/**
 * A display token for the bench's socket.io client and API probes, made the way an operator
 * makes one for the wall: `demarc token create … --display` on the state database (before
 * serve starts, so the two never write it at once). Returns the token's value.
 */
export function createDisplayToken(configPath: string, name = 'bench-wall'): string {
  const out = execFileSync(process.execPath, [BIN, 'token', 'create', name, '--display', '-c', configPath], { encoding: 'utf8' });
  // The value is the line of its own (a first run may also print the audit key's log line).
  const value = /^(dmt_\S+)$/m.exec(out)?.[1];
  if (!value) throw new Error(`demarc token create printed no token:\n${out}`);
  return value;
}

export interface ServeProcess {
  pid: number;
  url: string;
  /** SIGTERM (demarc stops its stages in order and flushes the store), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real `demarc serve` (bin/demarc.js) as a child process, with the node flags demarc runs
 * with (`--max-semi-space-size=64`, as `npm start` and the Dockerfile) and an inspector on
 * loopback for the CPU profile. Its stdout and stderr (JSON logs) go to `logFile`.
 * Resolves once GET /api/health answers.
 */
export async function startServe(opts: { configPath: string; apiPort: number; inspectPort: number; logFile: string; nodeArgs?: readonly string[]; readyTimeoutMs?: number }): Promise<ServeProcess> {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(process.execPath, ['--max-semi-space-size=64', `--inspect=127.0.0.1:${opts.inspectPort}`, ...(opts.nodeArgs ?? []), BIN, 'serve', '-c', opts.configPath], {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, DEMARC_LOG_LEVEL: process.env.DEMARC_LOG_LEVEL ?? 'info' },
  });
  closeSync(fd);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const url = `http://127.0.0.1:${opts.apiPort}`;
  const until = Date.now() + (opts.readyTimeoutMs ?? 900_000);
  for (;;) {
    if (exit) throw new Error(`demarc serve exited before it answered (${JSON.stringify(exit)}); its log is ${opts.logFile}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`demarc serve did not answer /api/health within ${opts.readyTimeoutMs ?? 900_000} ms; its log is ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    pid: child.pid!,
    url,
    async stop(graceMs = 120_000) {
      if (exit) return exit;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}
