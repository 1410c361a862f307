import { describe, expect, it } from 'vitest';
import type { Site } from '../../core/inventory.js';
import { groupOfSite, homeShares, mayReport, ownedShares, rendezvous, shareOwners } from '../../remote/membership.js';
import type { CollectorGroupConfig } from '../../remote/config-schema.js';

const site = (id: string, division: string) => ({ id, division }) as unknown as Site;
const sites = [...Array.from({ length: 12 }, (_, i) => site(`D01-R${i}`, '第一师')), ...Array.from({ length: 6 }, (_, i) => site(`D02-R${i}`, '第二师')), site('HQ-1', '机关')];
const g1: CollectorGroupConfig = { id: 'div1', divisions: ['第一师'], sites: [], members: ['c1a', 'c1b'], fallback: ['c2'] };
const g2: CollectorGroupConfig = { id: 'div2', divisions: ['第二师'], sites: ['HQ-1'], members: ['c2'], fallback: [] };

describe('membership: who polls which site', () => {
  it('groups sites by division or id; a site in no group is the center\'s', () => {
    const by = groupOfSite([g1, g2], [...sites, site('X-1', '其他')]);
    expect(by.get('D01-R3')?.id).toBe('div1');
    expect(by.get('HQ-1')?.id).toBe('div2');
    expect(by.has('X-1')).toBe(false);
  });

  it('splits a group into home shares covering every site exactly once', () => {
    const shares = homeShares(g1, sites);
    const all = [...shares.values()].flat();
    expect(all.sort()).toEqual(sites.filter((s) => s.division === '第一师').map((s) => s.id).sort());
    expect(new Set(all).size).toBe(all.length);
    expect(shares.get('c1a')!.length).toBeGreaterThan(0);
    expect(shares.get('c1b')!.length).toBeGreaterThan(0);
  });

  it('rendezvous is deterministic and independent of candidate order', () => {
    expect(rendezvous('k', ['a', 'b', 'c'])).toBe(rendezvous('k', ['c', 'a', 'b']));
    expect(rendezvous('k', [])).toBeNull();
  });

  const table: { name: string; alive: string[]; owners: Record<string, string | null> }[] = [
    { name: 'everyone alive: each share at home', alive: ['c1a', 'c1b', 'c2'], owners: { c1a: 'c1a', c1b: 'c1b' } },
    { name: 'c1a dead: the other member takes its share', alive: ['c1b', 'c2'], owners: { c1a: 'c1b', c1b: 'c1b' } },
    { name: 'both members dead: the declared fallback takes both', alive: ['c2'], owners: { c1a: 'c2', c1b: 'c2' } },
    { name: 'nobody alive: unowned (health says so)', alive: [], owners: { c1a: null, c1b: null } },
  ];
  for (const row of table) {
    it(row.name, () => {
      expect(Object.fromEntries(shareOwners(g1, new Set(row.alive)))).toEqual(row.owners);
    });
  }

  it('ownedShares lists what one collector polls, takeovers included', () => {
    expect(ownedShares('c1b', [g1, g2], sites, new Set(['c1b', 'c2'])).map((s) => s.key).sort()).toEqual(['div1/c1a', 'div1/c1b']);
    expect(ownedShares('c2', [g1, g2], sites, new Set(['c1b', 'c2'])).map((s) => s.key)).toEqual(['div2/c2']);
    expect(ownedShares('c2', [g1, g2], sites, new Set(['c2'])).map((s) => s.key).sort()).toEqual(['div1/c1a', 'div1/c1b', 'div2/c2']);
  });

  it('mayReport: members and fallbacks of the site\'s group only', () => {
    const by = groupOfSite([g1, g2], sites);
    expect(mayReport('c1a', 'D01-R1', by)).toBe('ok');
    expect(mayReport('c2', 'D01-R1', by)).toBe('ok');
    expect(mayReport('c1a', 'D02-R1', by)).toBe('not-in-group');
    expect(mayReport('c1a', 'NOPE', by)).toBe('unknown-site');
  });
});
