import { z } from 'zod';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';

/**
 * What travels on the stream, validated once where it enters the center. A collector runs
 * another build, another config, maybe a bug: the center trusts nothing it did not check.
 */

export const SUBJECT_ROOT = 'demarc';
/** A site id as one subject token (ids are validated at the CSV edge; this only guards `.`, `*`, `>` and spaces). */
const token = (s: string) => s.replace(/[.*>\s]/g, '_');
export const sampleSubject = (collector: string, siteId: string) => `${SUBJECT_ROOT}.sample.${collector}.${token(siteId)}`;
export const trapSubject = (collector: string, siteId: string) => `${SUBJECT_ROOT}.trap.${collector}.${token(siteId)}`;
export const healthSubject = (collector: string) => `${SUBJECT_ROOT}.health.${collector}`;
/** The idempotency key: the same reading published twice is one message (JetStream) and one row (store). */
export const sampleMsgId = (s: Pick<CircuitSample, 'siteId' | 'at'>, collector: string) => `s:${s.siteId}@${s.at}@${collector}`;
export const trapMsgId = (t: Pick<TrapEvent, 'siteId' | 'at' | 'kind' | 'from'>, collector: string) => `t:${t.siteId}@${t.at}@${t.kind}@${t.from}@${collector}`;

const num = z.number().finite();
const nnum = num.nullable();
const ifStatus = z.enum(['up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown']).nullable();
const err = z.string().max(500).nullable();

export const circuitSampleSchema = z.strictObject({
  siteId: z.string().min(1).max(100),
  circuitId: z.string().min(1).max(100),
  at: z.number().int().min(0),
  rttMs: nnum,
  vantage: z.string().max(64).optional(),
  ce: z.strictObject({ reachable: z.boolean(), error: err, uptimeSec: nnum, hostUptimeSec: nnum, wanOper: ifStatus, wanAdmin: ifStatus, wanLastChangeSec: nnum }),
  headend: z.strictObject({ reachable: z.boolean(), error: err, oper: ifStatus, inBps: nnum, outBps: nnum }),
  oob: z.strictObject({ reachable: z.boolean(), error: err, uptimeSec: nnum, wanOper: ifStatus, wanAdmin: ifStatus }).nullable(),
  cpe: z.strictObject({ reachable: z.boolean(), error: err, lineOper: ifStatus, customerOper: ifStatus }).nullable(),
  inBps: nnum,
  outBps: nnum,
  inUtilPct: nnum,
  outUtilPct: nnum,
  inErrorsPerSec: nnum,
  outErrorsPerSec: nnum,
  inDiscardsPerSec: nnum,
  outDiscardsPerSec: nnum,
  gap: z.string().max(500).nullable(),
  configGaps: z
    .array(z.strictObject({ side: z.enum(['ce', 'oob', 'headend', 'cpe-line', 'cpe-customer']), device: z.string().max(300), ifName: z.string().max(300) }))
    .max(10)
    .readonly()
    .optional(),
});

const trapSchema = z.strictObject({
  at: z.number().int().min(0),
  siteId: z.string().min(1).max(100),
  kind: z.enum(['linkDown', 'linkUp', 'coldStart', 'warmStart', 'dyingGasp']),
  from: z.enum(['ce', 'oob', 'cpe', 'headend']),
  ifName: z.string().max(300).nullable(),
  detail: z.string().max(1000),
});

const collectorField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const remoteMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ v: z.literal(1), kind: z.literal('sample'), collector: collectorField, sample: circuitSampleSchema }),
  z.strictObject({ v: z.literal(1), kind: z.literal('trap'), collector: collectorField, trap: trapSchema }),
  z.strictObject({
    v: z.literal(1),
    kind: z.literal('health'),
    collector: collectorField,
    at: z.number().int().min(0),
    shares: z.array(z.string().max(200)).max(1000),
    sites: z.number().int().min(0),
    lastCycle: z.strictObject({ cycle: z.number().int(), finishedAt: num, durationMs: num, sitesPolled: z.number().int(), sitesReachable: z.number().int() }).nullable(),
    journalBacklog: z.number().int().min(0),
  }),
]);

export type RemoteMessage = z.output<typeof remoteMessageSchema>;
export type CollectorHealthMessage = Extract<RemoteMessage, { kind: 'health' }>;

/** Why a message was refused, as counted in /api/health (`remote.rejected`). */
export type RejectReason = 'not-json' | 'invalid' | 'subject-mismatch' | 'unknown-site' | 'site-not-in-group' | 'unknown-collector';

export type Parsed = { ok: true; message: RemoteMessage } | { ok: false; reason: RejectReason; detail: string };

/** Parses one message and checks that its subject names the collector and site it carries. */
export function parseRemoteMessage(subject: string, data: Uint8Array): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (e) {
    return { ok: false, reason: 'not-json', detail: (e as Error).message.slice(0, 200) };
  }
  const parsed = remoteMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, reason: 'invalid', detail: `${i.path.join('.') || '(message)'}: ${i.message}` };
  }
  const m = parsed.data;
  const expected = m.kind === 'sample' ? sampleSubject(m.collector, m.sample.siteId) : m.kind === 'trap' ? trapSubject(m.collector, m.trap.siteId) : healthSubject(m.collector);
  if (subject !== expected) return { ok: false, reason: 'subject-mismatch', detail: `subject ${subject} but the message says ${expected}` };
  return { ok: true, message: m };
}

/** The sample as the pipeline's type, naming the collector that took it. */
export function toCircuitSample(m: Extract<RemoteMessage, { kind: 'sample' }>): CircuitSample {
  return { ...m.sample, vantage: m.collector };
}
