import { z } from 'zod';

/** `discovery:` in demarc.yaml: when and how hard the inventory walks the devices. */
export const discoveryConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Walk every device once at start-up. */
  onStart: z.boolean().default(true),
  /** The daily walk (node-cron, seconds field allowed, Asia/Shanghai). */
  cron: z.string().min(1).default('0 30 3 * * *'),
  /** Walk a site's CE again when its sysUpTime shows a reboot (a swapped or upgraded device reboots). */
  afterReboot: z.boolean().default(true),
  /**
   * Requests in flight at once for discovery, in its own session pool: walks never take the
   * collector's request slots or hold a device's polling lane.
   */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** GETBULK max-repetitions: rows per round trip when walking a table. */
  maxRepetitions: z.number().int().min(1).max(200).default(50),
});

export type DiscoveryConfig = z.output<typeof discoveryConfigSchema>;

/** `register:` in demarc.yaml: the contract's negotiable numbers (the bracketed ones) and the renewal warnings. */
export const registerConfigSchema = z.strictObject({
  activationWorkingDays: z.number().int().min(1).max(365).default(30),
  termMonths: z.number().int().min(1).max(120).default(12),
  renewalNoticeDays: z.number().int().min(1).max(365).default(90),
  terminationNoticeDays: z.number().int().min(1).max(365).default(30),
  lateCreditPctPerWorkingDay: z.number().min(0).max(100).default(2),
  terminateAfterDaysLate: z.number().int().min(1).max(365).default(30),
  /** Warn this many days before the renewal-notice deadline. */
  renewalWarnDays: z.array(z.number().int().min(0).max(365)).default([30, 7]),
});
