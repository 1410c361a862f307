import { describe, expect, it } from 'vitest';
import type { WindowProposalDto } from '../../web/src/api/ops-endpoints.js';
import { fromShanghaiInput, shanghaiDay, shanghaiMonth, toShanghaiInput } from '../../web/src/model/shanghai-input.js';
import { proposalReason, proposalScope } from '../../web/src/model/window-proposal.js';

describe('Beijing-time fields', () => {
  const cases: [string, string, string | null][] = [
    ['a morning time', '2026-03-01T09:30', '2026-03-01T01:30:00.000Z'],
    ['with seconds', '2026-03-01T09:30:15', '2026-03-01T01:30:15.000Z'],
    ['just after midnight is the previous UTC day', '2026-03-01T00:10', '2026-02-28T16:10:00.000Z'],
    ['empty', '', null],
    ['not a time', 'tomorrow', null],
    ['a day that does not exist', '2026-02-30T10:00', null],
    ['hour 24', '2026-03-01T24:00', null],
  ];
  for (const [name, input, want] of cases) {
    it(`reads ${name}`, () => {
      const t = fromShanghaiInput(input);
      expect(t === null ? null : new Date(t).toISOString()).toBe(want);
    });
  }

  it('writes what it reads, whatever the machine zone', () => {
    const t = Date.parse('2026-10-31T17:45:00Z');
    expect(toShanghaiInput(t)).toBe('2026-11-01T01:45');
    expect(fromShanghaiInput(toShanghaiInput(t))).toBe(t);
    expect(shanghaiMonth(t)).toBe('2026-11');
    expect(shanghaiDay(t)).toBe('2026-11-01');
  });
});

describe('window proposals in words', () => {
  const p = (change: WindowProposalDto['change'], why: string) => ({ change, why });
  const site = { kind: 'site' as const, siteId: 'D01-R002' };
  const cases: [string, ReturnType<typeof p>, ReturnType<typeof proposalReason>, ReturnType<typeof proposalScope>][] = [
    [
      'a group window',
      p({ kind: 'create', window: { scope: { kind: 'carrier-group', carrierGroup: 'AGG-阿拉尔-B' }, startsAt: 0, endsAt: 1, carrierNoticeRef: 'N' } }, 'it covers the whole carrier group AGG-阿拉尔-B'),
      { key: 'whyGroup', params: { group: 'AGG-阿拉尔-B' } },
      { scopeKey: 'group:AGG-阿拉尔-B', label: 'AGG-阿拉尔-B' },
    ],
    [
      'a long site window',
      p({ kind: 'create', window: { scope: site, startsAt: 0, endsAt: 1, carrierNoticeRef: 'N' } }, 'it is longer than 8 h'),
      { key: 'whyLong', params: { hours: '8' } },
      { scopeKey: 'site:D01-R002', label: 'D01-R002' },
    ],
    ['withdrawing a begun window', p({ kind: 'delete', windowId: 'MW-1', reason: 'moved' }, 'the window has begun'), { key: 'whyBegun', params: {} }, null],
  ];
  for (const [name, proposal, reason, scope] of cases) {
    it(name, () => {
      expect(proposalReason(proposal)).toEqual(reason);
      expect(proposalScope(proposal)).toEqual(scope);
    });
  }
});
