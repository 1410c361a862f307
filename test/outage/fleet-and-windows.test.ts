import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '../../core/incident.js';
import { densestCluster, isolationFinding } from '../../outage/fleet-rules.js';
import { plannedWindowFor } from '../../outage/maintenance-match.js';
import { answered, at, makeSite, silent, testConfig } from './sample-factory.js';

describe('densestCluster (mass outage window)', () => {
  const s = (...secs: number[]) => secs.map((x) => ({ startedAt: at(x) }));
  const cases: { name: string; items: { startedAt: number }[]; size: number | null }[] = [
    { name: 'five within 120 s', items: s(0, 10, 50, 100, 119), size: 5 },
    { name: 'five spread over 10 minutes', items: s(0, 150, 300, 450, 600), size: null },
    { name: 'four close, one far: below K=5', items: s(0, 1, 2, 3, 900), size: null },
    { name: 'six close among stragglers', items: s(-500, 0, 1, 2, 3, 4, 5, 700), size: 6 },
    { name: 'exactly at the window edge counts', items: s(0, 30, 60, 90, 120), size: 5 },
    { name: 'empty', items: [], size: null },
  ];
  it.each(cases)('$name', (c) => {
    const r = densestCluster(c.items, 5, 120_000);
    expect(r?.length ?? null).toBe(c.size);
  });
});

describe('isolationFinding', () => {
  const cfg = testConfig();
  const fleet = (n: number, silentN: number, headendUnreachable = false) =>
    Array.from({ length: n }, (_, i) => (i < silentN ? silent(`S${i}`, 1, { headend: headendUnreachable ? 'unreachable' : 'down' }) : answered(`S${i}`, 1)));
  const cases: { name: string; samples: ReturnType<typeof fleet>; cause: string | null }[] = [
    { name: '9 of 10 silent (90%)', samples: fleet(10, 9), cause: 'sites-silent' },
    { name: '8 of 10 silent', samples: fleet(10, 8), cause: null },
    { name: '108 of 120 silent', samples: fleet(120, 108), cause: 'sites-silent' },
    { name: '107 of 120 silent', samples: fleet(120, 107), cause: null },
    { name: 'both of 2 silent: too small a fleet for the share rule', samples: fleet(2, 2), cause: null },
    { name: 'head-end unreachable for the whole small fleet', samples: fleet(2, 2, true), cause: 'headend-unreachable' },
    { name: 'head-end unreachable for half', samples: fleet(10, 5, true), cause: null },
    { name: 'nothing sampled yet', samples: [], cause: null },
  ];
  it.each(cases)('$name → $cause', (c) => {
    expect(isolationFinding(c.samples, cfg)?.cause ?? null).toBe(c.cause);
  });
});

describe('plannedWindowFor (clauses 7.6, 7.7: announced in advance)', () => {
  const site = makeSite('A', { group: 'AGG-A' });
  const w = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({
    id: 'MW',
    scope: { kind: 'site', siteId: 'A' },
    startsAt: at(0),
    endsAt: at(3600),
    carrierNoticeRef: 'N',
    registeredAt: at(-86_400),
    registeredBy: 'noc.zhang',
    ...over,
  });
  const cases: { name: string; windows: MaintenanceWindow[]; startedAt: number; id: string | null }[] = [
    { name: 'site window covering the start', windows: [w({})], startedAt: at(60), id: 'MW' },
    { name: 'carrier-group window', windows: [w({ scope: { kind: 'carrier-group', carrierGroup: 'AGG-A' } })], startedAt: at(60), id: 'MW' },
    { name: "another group's window", windows: [w({ scope: { kind: 'carrier-group', carrierGroup: 'AGG-B' } })], startedAt: at(60), id: null },
    { name: "another site's window", windows: [w({ scope: { kind: 'site', siteId: 'B' } })], startedAt: at(60), id: null },
    { name: 'registered after the outage began', windows: [w({ registeredAt: at(61) })], startedAt: at(60), id: null },
    { name: 'registered at the very instant it began', windows: [w({ registeredAt: at(60) })], startedAt: at(60), id: 'MW' },
    { name: 'outage began before the window', windows: [w({})], startedAt: at(-1), id: null },
    { name: 'outage began at the window end', windows: [w({})], startedAt: at(3600), id: null },
    { name: 'overlapping notices: the longest wins', windows: [w({ id: 'short' }), w({ id: 'long', endsAt: at(7200) })], startedAt: at(60), id: 'long' },
  ];
  it.each(cases)('$name', (c) => {
    expect(plannedWindowFor(site, c.startedAt, c.windows)?.id ?? null).toBe(c.id);
  });
});
