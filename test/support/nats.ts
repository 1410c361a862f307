import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningNats {
  url: string;
  port: number;
  storeDir: string;
  /** SIGKILL: no shutdown, no flush; the store directory stays for restart(). */
  kill(): Promise<void>;
  /** Starts it again on the same port and store directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const PACKAGE_HINT = 'nats-server is missing: install the Debian package `nats-server` (apt-get install -y nats-server; scripts/install-test-deps.sh does)';

/**
 * A real nats-server with JetStream on a loopback port and its own store directory, started
 * by the test. Never skipped: without the binary it fails and names the Debian package.
 */
export async function startNats(port: number): Promise<RunningNats> {
  const storeDir = mkdtempSync(join(tmpdir(), 'demarc-nats-'));
  let child: ChildProcess | null = null;
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, '-n', `demarc-test-${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = c;
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server on ${port} not ready within 15 s:\n${log}`)), 15_000);
      c.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new Error(err.code === 'ENOENT' ? PACKAGE_HINT : `nats-server: ${err.message}`));
      });
      c.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        if (!log.includes('Server is ready')) reject(new Error(`nats-server exited with ${code}:\n${log}`));
      });
    });
  const killWith = async (signal: NodeJS.Signals) => {
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(signal);
    await gone;
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill: () => killWith('SIGKILL'),
    restart: launch,
    async stop() {
      await killWith('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
