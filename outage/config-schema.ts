import { z } from 'zod';

/**
 * `outage:` in demarc.yaml. Defaults fit a 60 s poll interval; tests at 1 s shorten the
 * time-based ones. Every threshold that decides when an outage exists is here, so a contract
 * manager can read which numbers the verdicts depend on.
 */
export const outageConfigSchema = z.strictObject({
  confirm: z
    .strictObject({
      /** Consecutive failed polls before a drop becomes an outage; shorter drops are flaps. */
      polls: z.number().int().min(1).max(100).default(3),
      /** And at least this long since the first failed poll (0 = polls alone decide). */
      seconds: z.number().min(0).max(86_400).default(0),
    })
    .prefault({}),
  recover: z
    .strictObject({
      /** Consecutive good polls before an outage is over; a drop before that is a flap of it. */
      polls: z.number().int().min(1).max(100).default(2),
    })
    .prefault({}),
  flap: z
    .strictObject({
      /** Short drops within windowSec that make a flapping incident. */
      minDrops: z.number().int().min(1).max(1000).default(3),
      windowSec: z.number().min(1).max(86_400).default(900),
      /** A flapping incident closes after this long without another drop. */
      quietSec: z.number().min(1).max(86_400).default(900),
    })
    .prefault({}),
  hang: z
    .strictObject({
      /** Head-end traffic at or above this (either direction) counts as "counters moving". */
      minBps: z.number().min(0).default(1),
    })
    .prefault({}),
  massOutage: z
    .strictObject({
      /** Sites of one carrier_group down within windowSec that make one group event. */
      minSites: z.number().int().min(2).max(10_000).default(5),
      windowSec: z.number().min(1).max(86_400).default(120),
    })
    .prefault({}),
  isolation: z
    .strictObject({
      /** Share of all sites silent at once that means the NOC, not the sites, lost sight. */
      silentShare: z.number().gt(0).max(1).default(0.9),
      /** Below this fleet size the silent-share rule is off (one silent site of one is an outage). */
      minSites: z.number().int().min(1).default(10),
    })
    .prefault({}),
  /** Slack when comparing CE uptimes across an outage (poll timing, centisecond rounding). */
  uptimeToleranceSec: z.number().min(0).max(3600).default(10),
  carrierResponse: z
    .strictObject({
      /** Contract 7.4.2 says both 2 h and 1 h; the first is the limit, the second reported alongside. */
      limitHours: z.number().gt(0).max(720).default(2),
      strictLimitHours: z.number().gt(0).max(720).default(1),
    })
    .prefault({}),
  capacity: z
    .strictObject({
      /**
       * A policer finding needs the circuit's traffic pressed flat against one ceiling for at
       * least this many consecutive hours in a (Shanghai) day...
       */
      plateauHoursPerDay: z.number().gt(0).max(24).default(3),
      /** ...on at least this many days of the period: one busy afternoon is not a policer. */
      plateauMinDays: z.number().int().min(1).max(366).default(3),
      /** A point within this percent below the ceiling (the highest level seen) counts as at it. */
      plateauTolerancePct: z.number().gt(0).max(50).default(3),
      /** A ceiling at or above this share of nominal is not "well below" it. */
      plateauMaxPctOfNominal: z.number().gt(0).max(100).default(80),
      /** A level below this share is idle, not a ceiling. */
      plateauMinPctOfNominal: z.number().min(0).max(100).default(5),
      /** Saturation: points at or above this share of nominal... */
      saturationPct: z.number().gt(0).max(200).default(90),
      /**
       * ...without a break for at least this long (each point stands for its step): sustained, not
       * a burst. On the report's hourly means, two hours in a row: a 30-minute burst at line rate
       * can lift one hourly mean above 90 %, never two in a row.
       */
      saturationMinMinutes: z.number().gt(0).max(100_000).default(120),
      /** A hole longer than this between points breaks a plateau or saturation run. */
      maxGapSec: z.number().gt(0).max(86_400).default(900),
      /**
       * The wall's finding (outage/live-capacity.ts): the same detector over the last
       * windowMinutes of one-minute buckets, a plateau of plateauMinutes or saturation of
       * saturationMinutes still going on. The report keeps the rule above.
       */
      live: z
        .strictObject({
          windowMinutes: z.number().int().min(5).max(1440).default(60),
          plateauMinutes: z.number().int().min(2).max(1440).default(20),
          saturationMinutes: z.number().int().min(2).max(1440).default(30),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type OutageConfig = z.output<typeof outageConfigSchema>;
export type OutageConfigInput = z.input<typeof outageConfigSchema>;

export function outageConfig(input: OutageConfigInput = {}): OutageConfig {
  return outageConfigSchema.parse(input);
}
