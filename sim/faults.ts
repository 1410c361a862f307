import { z } from 'zod';

/**
 * What can go wrong in the simulated fleet. One schema per kind (a discriminated union on
 * `kind`) validates faults from every entry point alike: the programmatic API, the HTTP
 * control API and scenario files. Unknown keys are errors, so a typo in a parameter does
 * not silently inject a different fault.
 */

const durationSec = z.number().positive().max(30 * 86_400).optional();
const siteFault = { target: z.string().min(1, 'a site id is required'), durationSec };
const noParams = z.strictObject({}).prefault({});

export const GARBAGE_MODES = ['malformed', 'truncated', 'wrong-request-id', 'silent'] as const;
export type GarbageMode = (typeof GARBAGE_MODES)[number];

export const faultSpecSchema = z.discriminatedUnion('kind', [
  /** The carrier's line to the site is cut: the responsibility boundary's line side. */
  z.strictObject({ kind: z.literal('line-cut'), ...siteFault, params: noParams }),
  /** The CE loses power; it boots `bootSec` after the power comes back (the fault clears). */
  z.strictObject({
    kind: z.literal('power-loss'),
    ...siteFault,
    params: z.strictObject({ bootSec: z.number().min(0).max(3600).default(0) }).prefault({}),
  }),
  /** The CE's SNMP agent restarts: silent for `silentSec`, then sysUpTime starts again from 0. */
  z.strictObject({
    kind: z.literal('agent-restart'),
    target: siteFault.target,
    params: z.strictObject({ silentSec: z.number().min(0).max(600).default(5) }).prefault({}),
  }),
  /** Someone shut the CE's WAN port (device side). */
  z.strictObject({ kind: z.literal('wan-admin-down'), ...siteFault, params: noParams }),
  /** The CE's management plane hangs while it keeps forwarding. */
  z.strictObject({ kind: z.literal('mgmt-hang'), ...siteFault, params: noParams }),
  /** The carrier aggregation node fails: a line cut of every site of the carrier group. */
  z.strictObject({ kind: z.literal('group-down'), target: z.string().min(1, 'a carrier group is required'), durationSec, params: noParams }),
  /** The center loses its uplink: no head-end and no site device answers the poller. */
  z.strictObject({ kind: z.literal('noc-isolation'), target: z.literal('noc').default('noc'), durationSec, params: noParams }),
  /**
   * A policer at the wrong rate: traffic flattens at `mbps`. `pressed`: the office wants more
   * than the cap all the while (a backup, updates), so download traffic sits on the cap day and
   * night, as a real policer at 20M on a busy 70M office looks.
   */
  z.strictObject({
    kind: z.literal('rate-cap'),
    ...siteFault,
    params: z.strictObject({ mbps: z.number().positive().max(100_000), pressed: z.boolean().default(false) }),
  }),
  /**
   * Counters jump to just below 2^32 (and 2^64 with `also64`) so they wrap within
   * `wrapInSec` at the current rate; `no64` makes ifHC* disappear while the fault lasts.
   */
  z.strictObject({
    kind: z.literal('counter-wrap'),
    ...siteFault,
    params: z
      .strictObject({
        wrapInSec: z.number().positive().max(3600).default(5),
        also64: z.boolean().default(false),
        no64: z.boolean().default(false),
      })
      .prefault({}),
  }),
  /** The WAN port comes back under another ifIndex (default: 20 above its usual one). */
  z.strictObject({
    kind: z.literal('ifindex-renumber'),
    ...siteFault,
    params: z.strictObject({ ifIndex: z.number().int().min(1).max(2_147_483_647).optional() }).prefault({}),
  }),
  /** The CE's in-band address answers with bad packets (or not at all). */
  z.strictObject({
    kind: z.literal('garbage'),
    ...siteFault,
    params: z.strictObject({ mode: z.enum(GARBAGE_MODES) }),
  }),
  /** Replies from the CE's in-band address are delayed by `ms`. */
  z.strictObject({
    kind: z.literal('latency'),
    ...siteFault,
    params: z.strictObject({ ms: z.number().int().min(1).max(60_000) }),
  }),
  /**
   * The CE is replaced: off for `offSec` while it is swapped, then a new unit boots with
   * another serial (and `model`, when given). The new identity stays after the fault ends.
   */
  z.strictObject({
    kind: z.literal('device-swap'),
    target: siteFault.target,
    params: z
      .strictObject({
        offSec: z.number().min(0).max(86_400).default(60),
        serial: z.string().min(1).max(64).optional(),
        model: z.string().min(1).max(64).optional(),
      })
      .prefault({}),
  }),
  /** The CE's software is upgraded to `version`: it reboots (off for `rebootSec`) and reports the new version from then on. */
  z.strictObject({
    kind: z.literal('firmware-upgrade'),
    target: siteFault.target,
    params: z.strictObject({ version: z.string().min(1).max(64), rebootSec: z.number().min(0).max(3600).default(30) }),
  }),
  /** `count` short line cuts of `downMs`, `upMs` apart; the fault ends after the last one. */
  z.strictObject({
    kind: z.literal('flap'),
    target: siteFault.target,
    params: z
      .strictObject({
        count: z.number().int().min(1).max(1000).default(3),
        downMs: z.number().int().min(50).max(3_600_000).default(2000),
        upMs: z.number().int().min(50).max(3_600_000).default(3000),
      })
      .prefault({}),
  }),
]);

/** A fault as written by a caller (parameters with defaults may be left out). */
export type FaultInput = z.input<typeof faultSpecSchema>;
/** A validated fault with every default filled in. */
export type FaultSpec = z.output<typeof faultSpecSchema>;
export type FaultKind = FaultSpec['kind'];
export const FAULT_KINDS = faultSpecSchema.options.map((o) => o.shape.kind.value) as FaultKind[];

/** A fault placed on the timeline. Active on [startsAt, endsAt); endsAt null = until cleared. */
export type Fault = FaultSpec & { id: string; startsAt: number; endsAt: number | null };

/** Bad fault input, naming the field at fault (`target`, `params.mbps`, ...). */
export class FaultError extends Error {
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'FaultError';
  }
}

/** Validates untrusted input; throws a FaultError naming the first bad field. */
export function parseFaultSpec(input: unknown): FaultSpec {
  const r = faultSpecSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '';
  const field = issue.path.join('.') || '(body)';
  const hint = issue.code === 'unrecognized_keys' && (issue.keys as string[]).includes('durationSec')
    ? ': this kind ends by itself, durationSec does not apply'
    : '';
  throw new FaultError(field, issue.message + keys + hint);
}

/** When a fault ends by itself, from its kind and parameters; null = until cleared. */
export function naturalEnd(spec: FaultSpec, startsAt: number): number | null {
  switch (spec.kind) {
    case 'agent-restart':
      return startsAt + spec.params.silentSec * 1000;
    case 'flap':
      return startsAt + spec.params.count * (spec.params.downMs + spec.params.upMs);
    case 'device-swap':
      return startsAt + spec.params.offSec * 1000;
    case 'firmware-upgrade':
      return startsAt + spec.params.rebootSec * 1000;
    case 'counter-wrap':
      // The jump is instantaneous; keep it listed until the wrap has happened, unless it also
      // removes the 64-bit counters, which lasts until cleared.
      if (spec.durationSec !== undefined) return startsAt + spec.durationSec * 1000;
      return spec.params.no64 ? null : startsAt + 2 * spec.params.wrapInSec * 1000;
    default:
      return spec.durationSec !== undefined ? startsAt + spec.durationSec * 1000 : null;
  }
}

/** Whether a fault applies to a site (its own id, its carrier group, or the whole fleet). */
export function faultAffects(f: FaultSpec, site: { id: string; carrierGroup: string }): boolean {
  if (f.kind === 'noc-isolation') return true;
  if (f.kind === 'group-down') return f.target === site.carrierGroup;
  return f.target === site.id;
}
