import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { simControl } from '../../sim/control-client.js';

const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));

export interface SimProcess {
  control: ReturnType<typeof simControl>;
  stop(): Promise<void>;
}

/**
 * Runs the fleet simulator as its own process (`demarc sim`), as real devices are: timing
 * tests then measure the collector, not the collector and 100 agents sharing one thread.
 */
export async function startSimProcess(configPath: string, controlPort: number, startTimeoutMs = 20_000): Promise<SimProcess> {
  const child = spawn(process.execPath, [CLI, 'sim', '--config', configPath], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEMARC_LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const control = simControl(`http://127.0.0.1:${controlPort}`);
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demarc sim exited with ${child.exitCode}: ${stderr}`);
    try {
      await control.health();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`demarc sim did not answer on port ${controlPort} within ${startTimeoutMs / 1000} s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    control,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
