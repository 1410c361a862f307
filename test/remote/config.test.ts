import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const snmp = { profiles: { v2c: { version: '2c', community: 'x' } } };
const rows = [siteRow({ site_id: 'S1', ce_host: '127.0.3.1', ce_port: '161' }), siteRow({ site_id: 'S2', ce_host: '127.0.3.2', ce_port: '161' })];
const load = (nats: unknown) => writeTempConfig({ snmp, nats }, rows).config;
const problems = (nats: unknown): string[] => {
  try {
    load(nats);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.where}: ${p.reason}`);
    throw e;
  }
  return [];
};

describe('nats: in demarc.yaml', () => {
  it('loads with defaults; the journal path is absolute', () => {
    const c = load({ url: 'nats://127.0.0.1:4222', groups: [{ id: 'div1', sites: ['S1'], members: ['c1'] }], collector: { id: 'c1' } });
    expect(c.nats).toMatchObject({ stream: 'DEMARC', consumer: 'demarc-center', kvBucket: 'demarc-collectors', duplicateWindowSec: 900, centerPolls: 'ungrouped' });
    expect(c.nats!.collector!.journal.startsWith('/')).toBe(true);
  });

  it('is absent by default: one process, no NATS', () => {
    expect(writeTempConfig({ snmp }, rows).config.nats).toBeUndefined();
  });

  const bad: { name: string; nats: unknown; where: RegExp }[] = [
    { name: 'a group naming a site the inventory does not have', nats: { url: 'nats://x', groups: [{ id: 'g', sites: ['S9'], members: ['c1'] }] }, where: /nats\.groups\.0\.sites: site S9/ },
    { name: 'a group naming an unknown division', nats: { url: 'nats://x', groups: [{ id: 'g', divisions: ['第九师'], members: ['c1'] }] }, where: /nats\.groups\.0\.divisions/ },
    { name: 'a group with no sites at all', nats: { url: 'nats://x', groups: [{ id: 'g', members: ['c1'] }] }, where: /lists no divisions and no sites/ },
    { name: 'a TTL not longer than the heartbeat', nats: { url: 'nats://x', heartbeatSec: 5, ttlSec: 5 }, where: /nats\.ttlSec/ },
    { name: 'a collector id that is no subject token', nats: { url: 'nats://x', collector: { id: 'a.b' } }, where: /nats\.collector\.id/ },
    { name: 'a typo in a key', nats: { url: 'nats://x', heartbeatSecs: 5 }, where: /heartbeatSecs/ },
  ];
  for (const b of bad) it(`refuses ${b.name}`, () => expect(problems(b.nats).join('\n')).toMatch(b.where));
});
