import cron, { type ScheduledTask } from 'node-cron';
import { DISPLAY_TIME_ZONE } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** One periodic job: when (a node-cron expression, seconds field allowed) and what. */
export interface Job {
  name: string;
  /** Evaluated in Asia/Shanghai, whatever the server's time zone. */
  cron: string;
  run: () => Promise<unknown>;
}

/**
 * Starts a small declarative table of periodic jobs. A run that is still going when the next
 * is due is skipped (noOverlap); a failing run is logged and the schedule continues.
 */
export function startJobs(jobs: readonly Job[], logger: Logger): { stop(): Promise<void> } {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        try {
          await job.run();
        } catch (err) {
          logger.error({ err, job: job.name }, 'scheduled job failed');
        }
      },
      { timezone: DISPLAY_TIME_ZONE, name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
    },
  };
}
