import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));

export interface DemarcProcess {
  child: ChildProcess;
  output(): string;
  /** Sends the signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A real `demarc <command> --config FILE` process, its log kept for the failure message. */
export function spawnDemarc(command: 'serve' | 'collector', configPath: string): DemarcProcess {
  const child = spawn(process.execPath, ['--max-semi-space-size=64', CLI, command, '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEMARC_LOG_LEVEL: 'info' },
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    child,
    output: () => out,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await gone;
    },
  };
}
