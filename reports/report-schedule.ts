import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../core/logger.js';
import { DISPLAY_TIME_ZONE } from '../core/clock.js';

/**
 * The monthly run: node-cron fires at the configured time in Asia/Shanghai (08:00 on the 1st
 * by default), whatever the server's own time zone. The job itself is a plain function so it
 * can be run by hand (CLI, tests) and after a missed run.
 */

export const MONTHLY_REPORT_TASK = 'demarc-monthly-uptime-report';

export function scheduleMonthlyReport(expression: string, job: () => Promise<unknown>, logger: Logger): ScheduledTask {
  return cron.schedule(
    expression,
    async () => {
      try {
        await job();
      } catch (err) {
        logger.error({ err }, 'scheduled monthly report failed');
      }
    },
    { timezone: DISPLAY_TIME_ZONE, name: MONTHLY_REPORT_TASK, noOverlap: true },
  );
}
