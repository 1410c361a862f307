import { describe, expect, it } from 'vitest';
import { CONSOLE_NAV_ITEMS, visibleNavItems } from '../../web/src/components/console-nav-items.js';
import { decideBlocker, mayDo, type ConsoleAction } from '../../web/src/model/console-permissions.js';
import { EMPTY_FILTER, incidentQuery, pageCount, periodProblem, shanghaiDayStart, type IncidentFilter } from '../../web/src/model/incident-filter.js';
import { displayName, withNames } from '../../web/src/model/people.js';

describe('incidentQuery: the list filter as GET /api/incidents query', () => {
  const cases: [string, Partial<IncidentFilter>, Record<string, string>][] = [
    ['nothing set: first page', {}, { limit: '25' }],
    ['open', { state: 'open' }, { open: 'true', limit: '25' }],
    ['closed', { state: 'closed' }, { open: 'false', limit: '25' }],
    ['responsibility, division, carrier group', { responsibility: 'line', division: '第一师', carrierGroup: 'AGG-B' }, { responsibility: 'line', division: '第一师', carrierGroup: 'AGG-B', limit: '25' }],
    // Shanghai days: 2026-03-01 00:00 +08:00 is 2026-02-28 16:00 UTC; the end day is included whole.
    ['period', { from: '2026-03-01', to: '2026-03-31' }, { from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z', limit: '25' }],
    ['one day', { from: '2026-03-05', to: '2026-03-05' }, { from: '2026-03-04T16:00:00.000Z', to: '2026-03-05T16:00:00.000Z', limit: '25' }],
    ['a malformed date is not sent', { from: '2026-3-5' }, { limit: '25' }],
    ['page 3', { page: 2 }, { limit: '25', offset: '50' }],
  ];
  it.each(cases)('%s', (_n, patch, want) => {
    expect(Object.fromEntries(incidentQuery({ ...EMPTY_FILTER, ...patch }))).toEqual(want);
  });

  it('shanghaiDayStart, periodProblem, pageCount', () => {
    expect(shanghaiDayStart('2026-01-01')).toBe(Date.parse('2025-12-31T16:00:00Z'));
    expect(shanghaiDayStart('tomorrow')).toBeNull();
    expect(periodProblem({ from: '2026-03-02', to: '2026-03-01' })).toBe('order');
    expect(periodProblem({ from: '2026-03-01', to: '2026-03-01' })).toBeNull();
    expect(periodProblem({ from: '', to: '2026-03-01' })).toBeNull();
    expect([0, 1, 25, 26, 51].map((n) => pageCount(n))).toEqual([1, 1, 1, 2, 3]);
  });
});

describe('console permissions mirror the route policies (the server still decides)', () => {
  const table: [ConsoleAction, string[], boolean][] = [
    ['carrier-report', ['operator'], true],
    ['carrier-report', ['viewer'], false],
    ['carrier-report', ['approver'], false],
    ['carrier-report', ['admin'], true],
    ['propose-correction', ['operator'], true],
    ['decide-correction', ['operator'], false],
    ['decide-correction', ['approver'], true],
    ['ack-alert', ['viewer'], false],
    ['ack-alert', ['operator'], true],
    ['approve-silence', ['approver'], true],
    ['approve-user-change', ['approver'], false],
    ['approve-user-change', ['admin'], true],
    ['carrier-report', ['auditor'], false],
  ];
  it.each(table)('%s with %j → %s', (action, roles, want) => expect(mayDo(action, roles)).toBe(want));

  it('a display session acts on nothing; nobody decides their own proposal', () => {
    expect(mayDo('ack-alert', ['admin'], 'display')).toBe(false);
    expect(decideBlocker('decide-correction', 'noc.zhang', { id: 'noc.zhang', roles: ['operator', 'approver'] })).toBe('own');
    expect(decideBlocker('decide-correction', 'noc.zhang', { id: 'mgr.li', roles: ['approver'] })).toBeNull();
    expect(decideBlocker('decide-correction', 'noc.zhang', { id: 'noc.wang', roles: ['operator'] })).toBe('role');
    expect(decideBlocker('decide-correction', 'admin', { id: 'admin', roles: ['admin'] })).toBe('own');
  });

  it('nav items by role', () => {
    const paths = (roles: string[]) => visibleNavItems(CONSOLE_NAV_ITEMS, roles).map((i) => i.to);
    // Reading pages for every reader; approvals and inventory edits for the roles that act there.
    const reading = ['/inventory', '/inventory/circuits', '/maintenance', '/silences', '/alerts', '/reports', '/health'];
    expect(paths(['viewer'])).toEqual(['/wall', '/incidents', ...reading]);
    expect(paths(['auditor'])).toEqual(['/wall', '/incidents', ...reading]);
    expect(paths(['approver'])).toEqual(['/wall', '/incidents', '/approvals', '/inventory', '/inventory/circuits', '/inventory/edits', ...reading.slice(2)]);
    expect(paths(['admin'])).toEqual(['/wall', '/incidents', '/approvals', '/inventory', '/inventory/circuits', '/inventory/edits', ...reading.slice(2)]);
  });
});

describe('people by name', () => {
  const people = new Map([
    ['noc.zhang', '张工'],
    ['mgr.li', '李主任'],
  ]);
  it('names ids; an unknown id stays as recorded', () => {
    expect(displayName('noc.zhang', people)).toBe('张工');
    expect(displayName('contact-7', people)).toBe('contact-7');
    expect(displayName(null, people)).toBe('—');
  });
  it('replaces user ids in evidence parameters, leaves others alone', () => {
    const ev = [
      { at: 'x', kind: 'correction-approved', params: { by: 'mgr.li', proposedBy: 'noc.zhang', reason: 'r' } },
      { at: 'y', kind: 'ce-unreachable', params: { error: 'timeout' } },
      { at: 'z', kind: 'demarc-down', detail: 'old English entry' },
    ];
    const out = withNames(ev, people);
    expect(out[0]!.params).toEqual({ by: '李主任', proposedBy: '张工', reason: 'r' });
    expect(out[1]).toBe(ev[1]);
    expect(out[2]).toBe(ev[2]);
    expect(ev[0]!.params?.by).toBe('mgr.li');
  });
});
