import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A TypeScript child process (run through tsx) spoken to over IPC, one awaited event at a time. */
export interface TsChild<Cmd, Ev extends { type: string }> {
  readonly pid: number;
  send(cmd: Cmd): void;
  /** The next event of that type (events of other types before it are dropped); rejects on exit or a `failed` event. */
  next<T extends Ev['type']>(type: T, timeoutMs?: number): Promise<Extract<Ev, { type: T }>>;
  /** Every event, as it arrives. */
  onEvent(fn: (e: Ev) => void): void;
  stop(): Promise<void>;
}

export function forkTs<Cmd, Ev extends { type: string }>(file: string, opts: { stderrFile: string; nodeArgs?: string[] }): TsChild<Cmd, Ev> {
  const child: ChildProcess = fork(file, [], { execArgv: ['--import', 'tsx', ...(opts.nodeArgs ?? [])], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  child.stderr!.pipe(createWriteStream(opts.stderrFile));
  const queue: Ev[] = [];
  const listeners: (() => void)[] = [];
  const taps: ((e: Ev) => void)[] = [];
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exited (code ${code}, signal ${signal}); its stderr is in ${opts.stderrFile}`;
      for (const l of listeners.splice(0)) l();
      resolve();
    }),
  );
  child.on('message', (m: Ev) => {
    for (const t of taps) t(m);
    queue.push(m);
    for (const l of listeners.splice(0)) l();
  });
  return {
    pid: child.pid!,
    send: (cmd) => child.send(cmd as object),
    onEvent: (fn) => taps.push(fn),
    next(type, timeoutMs = 600_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${file}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
        const look = () => {
          while (queue.length) {
            const e = queue.shift()!;
            if (e.type === 'failed') {
              clearTimeout(timer);
              return reject(new Error(`child ${file} failed: ${(e as unknown as { error: string }).error}`));
            }
            if (e.type === type) {
              clearTimeout(timer);
              return resolve(e as Extract<Ev, { type: typeof type }>);
            }
          }
          if (exited) {
            clearTimeout(timer);
            return reject(new Error(`child ${file} ${exited}`));
          }
          listeners.push(look);
        };
        look();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: 'exit' });
        const t = setTimeout(() => child.kill('SIGTERM'), 5000);
        await exit;
        clearTimeout(t);
      }
    },
  };
}
