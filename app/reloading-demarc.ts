import type { DemarcConfig } from '../config/load.js';
import { startDemarc, type DemarcDeps, type RunningDemarc } from './pipeline.js';

/** demarc that restarts its pipeline when an approved inventory change is applied. */
export interface ServingDemarc {
  current(): RunningDemarc;
  /** How many times the pipeline restarted on a new inventory. */
  readonly restarts: number;
  /** Resolves after the next restart (tests and the CLI wait on it); rejects if that restart fails. */
  nextRestart(): Promise<RunningDemarc>;
  /**
   * Resolves with the error if a restart failed: the old pipeline is stopped and no new one
   * runs, so nothing polls. The CLI exits non-zero on it, so that a supervisor (compose's
   * restart policy) starts demarc again instead of leaving a process that looks alive.
   */
  readonly failed: Promise<Error>;
  stop(): Promise<void>;
}

/** What starts one pipeline: `startDemarc`, or a wrapper around it. */
export type StartPipeline = (config: DemarcConfig, deps: DemarcDeps) => Promise<RunningDemarc>;

/**
 * Every stage (collector plan, fleet tiles, outage tracker, alerts, discovery targets, reports)
 * is built from the sites once. Rather than teach each to swap its inventory, an applied change
 * stops the pipeline (it flushes, anchors the audit chain, closes the db) and starts it again
 * on the db's new inventory, on the same port: polling resumes with the next cycle after the
 * restart, open incidents continue (they are in the state db), browsers reconnect by themselves.
 */
export async function serveDemarc(config: DemarcConfig, deps: DemarcDeps, start: StartPipeline = startDemarc): Promise<ServingDemarc> {
  let running: RunningDemarc;
  let restarts = 0;
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let waiters: { resolve: (r: RunningDemarc) => void; reject: (err: Error) => void }[] = [];
  let reportFailure: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => (reportFailure = resolve));
  const logger = deps.logger;

  const restart = async () => {
    if (stopped) return;
    const port = Number(new URL(running.url).port);
    await running.stop();
    if (stopped) return;
    running = await start({ ...config, api: { ...config.api, port } }, withReload);
    restarts++;
    logger.info({ restarts, sites: running.edits.book.rows().length }, 'pipeline restarted on the new inventory');
    const w = waiters;
    waiters = [];
    for (const { resolve } of w) resolve(running);
  };
  const restartFailed = (cause: unknown) => {
    const err = cause instanceof Error ? cause : new Error(String(cause));
    logger.fatal({ err }, 'restarting on the new inventory failed; demarc is not polling');
    const w = waiters;
    waiters = [];
    for (const { reject } of w) reject(err);
    reportFailure(err);
  };
  const withReload: DemarcDeps = {
    ...deps,
    // After the approving request has been answered: the restart closes the HTTP server.
    onInventoryApplied: () => {
      setImmediate(() => {
        chain = chain.then(restart).catch(restartFailed);
      });
    },
  };
  running = await start(config, withReload);
  return {
    current: () => running,
    get restarts() {
      return restarts;
    },
    nextRestart: () => new Promise((resolve, reject) => waiters.push({ resolve, reject })),
    failed,
    async stop() {
      stopped = true;
      await chain;
      await running.stop();
    },
  };
}
