import { describe, expect, it } from 'vitest';
import { parseRemoteMessage, sampleMsgId, sampleSubject } from '../../remote/messages.js';
import { vantageNote } from '../../outage/vantage.js';
import type { CircuitSample } from '../../core/sample.js';

const T = Date.UTC(2026, 2, 1, 8, 0, 0);
const sample = (over: Partial<CircuitSample> = {}): CircuitSample => ({
  siteId: 'D01-R001', circuitId: 'C-1', at: T, rttMs: 3,
  ce: { reachable: true, error: null, uptimeSec: 1000, hostUptimeSec: null, wanOper: 'up', wanAdmin: 'up', wanLastChangeSec: 5 },
  headend: { reachable: true, error: null, oper: 'up', inBps: 1e6, outBps: 2e6 },
  oob: null, cpe: null, inBps: 1e6, outBps: 2e6, inUtilPct: 1.4, outUtilPct: 2.9,
  inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, gap: null, ...over,
});
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

describe('remote messages at the center\'s edge', () => {
  const good = { v: 1, kind: 'sample', collector: 'c1', sample: sample() };
  const rows: { name: string; subject: string; data: Uint8Array; reason: string | null }[] = [
    { name: 'a good sample', subject: sampleSubject('c1', 'D01-R001'), data: enc(good), reason: null },
    { name: 'not JSON', subject: sampleSubject('c1', 'D01-R001'), data: enc('{garbage'), reason: 'not-json' },
    { name: 'not UTF-8', subject: sampleSubject('c1', 'D01-R001'), data: new Uint8Array([0xff, 0xfe, 0x7b]), reason: 'not-json' },
    { name: 'a field of the wrong type', subject: sampleSubject('c1', 'D01-R001'), data: enc({ ...good, sample: { ...sample(), at: 'yesterday' } }), reason: 'invalid' },
    { name: 'an unknown field', subject: sampleSubject('c1', 'D01-R001'), data: enc({ ...good, extra: 1 }), reason: 'invalid' },
    { name: 'a subject naming another collector', subject: sampleSubject('c2', 'D01-R001'), data: enc(good), reason: 'subject-mismatch' },
    { name: 'a subject naming another site', subject: sampleSubject('c1', 'D01-R002'), data: enc(good), reason: 'subject-mismatch' },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const p = parseRemoteMessage(r.subject, r.data);
      expect(p.ok ? null : p.reason).toBe(r.reason);
      if (!p.ok) expect(p.detail.length).toBeGreaterThan(0);
    });
  }

  it('the idempotency key is site + instant + collector', () => {
    expect(sampleMsgId(sample(), 'c1')).toBe(`s:D01-R001@${T}@c1`);
    expect(sampleMsgId(sample(), 'c1')).not.toBe(sampleMsgId(sample(), 'c2'));
  });
});

describe('vantageNote: the second vantage point', () => {
  const lost = sample({ ce: { ...sample().ce, reachable: false, error: 'timeout' } });
  const cases: { name: string; center: CircuitSample; remote: CircuitSample | undefined; kind: string | null }[] = [
    { name: 'center reached the CE: nothing to say', center: sample(), remote: sample({ vantage: 'c1' }), kind: null },
    { name: 'center lost it, collector reached it', center: lost, remote: sample({ vantage: 'c1', at: T + 400 }), kind: 'vantage-sees-ce' },
    { name: 'center lost it, collector lost it too', center: lost, remote: { ...lost, vantage: 'c1' }, kind: 'vantage-lost-ce' },
    { name: 'collector reading too far from the center\'s', center: lost, remote: sample({ vantage: 'c1', at: T - 30_000 }), kind: null },
    { name: 'no remote reading', center: lost, remote: undefined, kind: null },
    { name: 'a reading without a vantage is the center\'s own', center: lost, remote: sample(), kind: null },
  ];
  for (const c of cases) it(c.name, () => expect(vantageNote(c.center, c.remote, 10_000)?.kind ?? null).toBe(c.kind));
});
