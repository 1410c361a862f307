import cron from 'node-cron';
import { z } from 'zod';
import { secretString } from '../config/secret-string.js';

/**
 * `reports:` in demarc.yaml. The carrier response limits and the capacity thresholds are the
 * outage stage's (`outage.carrierResponse`, `outage.capacity`): one number for all of demarc.
 */

const smtp = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /**
   * The security annex asks for encrypted transfer: `starttls` upgrades the connection and
   * refuses to send if the server cannot; `tls` is TLS from the first byte (port 465).
   * There is no plaintext option.
   */
  security: z.enum(['starttls', 'tls']).default('starttls'),
  username: z.string().min(1).optional(),
  password: secretString.optional(),
  /** PEM file of the CA that signed the server's certificate, for a private mail relay; relative to demarc.yaml. */
  caFile: z.string().min(1).optional(),
  /** Name to check the server certificate against, when the host is given as an address. */
  servername: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
});

const email = z
  .strictObject({
    enabled: z.boolean().default(false),
    from: z.string().min(3).default('demarc <demarc@localhost>'),
    recipients: z.array(z.email()).default([]),
    smtp: smtp.optional(),
  })
  .superRefine((e, ctx) => {
    if (!e.enabled) return;
    if (!e.smtp) ctx.addIssue({ code: 'custom', message: 'email is enabled but has no smtp section (host, port)', path: ['smtp'] });
    if (!e.recipients.length) ctx.addIssue({ code: 'custom', message: 'email is enabled but has no recipients', path: ['recipients'] });
  });

const pct = z.number().gt(0).max(100);

/**
 * The contract's monthly targets. The response limit itself is the outage stage's
 * (`outage.carrierResponse.limitHours`, the one number the incident page judges by); the
 * target here is the share of fault reports that must be answered within it.
 */
const targets = z.strictObject({
  /** Carrier-attributable availability each circuit must reach in a month, percent. */
  circuitAvailabilityPct: pct.default(99.5),
  /** The same for the fleet (all circuits' time together). */
  fleetAvailabilityPct: pct.default(99.9),
  /** Per circuit id, a target other than circuitAvailabilityPct. */
  circuits: z.record(z.string().min(1), pct).default({}),
  /** Share of fault reports the carrier must answer within outage.carrierResponse.limitHours. */
  responseCompliancePct: pct.default(100),
});

export const reportsConfigSchema = z.strictObject({
  /** Where scheduled reports are kept (never overwritten); relative to demarc.yaml. */
  archiveDir: z.string().min(1).default('../var/reports'),
  /** Language of the scheduled report and the default for the API and the CLI. */
  lang: z.enum(['zh', 'en']).default('zh'),
  /** Formats the scheduled run archives; the PDF is the one emailed. */
  archiveFormats: z.array(z.enum(['pdf', 'xlsx', 'json'])).min(1).default(['pdf', 'xlsx', 'json']),
  schedule: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** node-cron expression in Asia/Shanghai: 08:00 on the 1st, for the month before. */
      cron: z.string().refine((e) => cron.validate(e), 'not a valid cron expression (minute hour day-of-month month day-of-week)').default('0 8 1 * *'),
    })
    .prefault({}),
  /** Service term from activation (clause 2: one year); raise it when the lease renews (13.2). */
  contractTermMonths: z.number().int().min(1).max(120).default(12),
  utilizationThresholdPct: z.number().gt(0).max(100).default(80),
  worstCount: z.number().int().min(1).max(1000).default(10),
  /**
   * A period whose monitored share of in-service time is below this is marked incomplete:
   * its availability describes only the time demarc saw, and month on month skips it.
   */
  coverageThresholdPct: z.number().min(0).max(100).default(95),
  targets: targets.prefault({}),
  email: email.prefault({}),
});

export type ReportsConfig = z.output<typeof reportsConfigSchema>;
export type ReportsConfigInput = z.input<typeof reportsConfigSchema>;

export function reportsConfig(input: ReportsConfigInput = {}): ReportsConfig {
  return reportsConfigSchema.parse(input);
}
