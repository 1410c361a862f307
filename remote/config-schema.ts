import { z } from 'zod';

const collectorId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'collector ids are 1-64 letters, digits, _ or - (they are NATS subject tokens and KV keys)');

/**
 * A collector group: the sites one division's collectors poll. A site belongs to the group
 * when its `division` is listed or its id is; its members split the sites between them, and
 * the fallback collectors (members of other groups) take them when no member is alive.
 */
const group = z.strictObject({
  id: collectorId,
  divisions: z.array(z.string().min(1)).default([]),
  sites: z.array(z.string().min(1)).default([]),
  members: z.array(collectorId).min(1),
  fallback: z.array(collectorId).default([]),
});

/**
 * `nats:` in demarc.yaml: remote collectors over NATS JetStream. Absent, `demarc serve` is the
 * single process it always was and needs no NATS. The same section (same groups) is read by the
 * center and by every `demarc collector`, which names itself in `collector.id`.
 */
export const natsConfigSchema = z
  .strictObject({
    /** nats://host:port, or several separated by commas. */
    url: z.string().min(1),
    /** JetStream stream holding samples, traps and collector health (subjects demarc.>). */
    stream: z.string().regex(/^[A-Za-z0-9_-]+$/).default('DEMARC'),
    /** Durable consumer of the center. */
    consumer: z.string().regex(/^[A-Za-z0-9_-]+$/).default('demarc-center'),
    /** KV bucket the collectors heartbeat in. */
    kvBucket: z.string().regex(/^[A-Za-z0-9_-]+$/).default('demarc-collectors'),
    /** JetStream drops a message whose Nats-Msg-Id it saw within this window. */
    duplicateWindowSec: z.number().min(1).max(86_400).default(900),
    /** Stream retention: messages older than this, or beyond maxBytes, are dropped (oldest first). */
    maxAgeHours: z.number().min(1).max(24 * 90).default(72),
    maxBytes: z.number().int().min(1_000_000).default(10_000_000_000),
    /** A collector puts its heartbeat this often; a key not refreshed within ttlSec is a dead member. */
    heartbeatSec: z.number().min(0.1).max(600).default(5),
    ttlSec: z.number().min(0.5).max(3600).default(20),
    /** Which sites the center still polls itself: those in no group (default), or all (a second vantage point). */
    centerPolls: z.enum(['ungrouped', 'all']).default('ungrouped'),
    groups: z.array(group).default([]),
    collector: z
      .strictObject({
        id: collectorId,
        /** The spill journal: every sample waits here until JetStream acknowledged it. */
        journal: z.string().min(1).default('../var/collector-journal.db'),
        /** Acknowledged rows are kept this long (what was sent, when), then pruned. */
        keepAckedSec: z.number().min(0).max(30 * 86_400).default(3600),
        /** Messages published before waiting for their acknowledgements. */
        window: z.number().int().min(1).max(10_000).default(256),
      })
      .optional(),
  })
  .superRefine((n, ctx) => {
    if (n.ttlSec <= n.heartbeatSec) ctx.addIssue({ code: 'custom', message: 'ttlSec must be longer than heartbeatSec', path: ['ttlSec'] });
    const seen = new Set<string>();
    n.groups.forEach((g, i) => {
      if (seen.has(g.id)) ctx.addIssue({ code: 'custom', message: `group ${g.id} is declared twice`, path: ['groups', i, 'id'] });
      seen.add(g.id);
      if (!g.divisions.length && !g.sites.length) ctx.addIssue({ code: 'custom', message: `group ${g.id} lists no divisions and no sites`, path: ['groups', i] });
    });
  });

export type NatsConfig = z.output<typeof natsConfigSchema>;
export type CollectorGroupConfig = NatsConfig['groups'][number];
