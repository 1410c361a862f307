import { describe, expect, it } from 'vitest';
import type { Incident } from '../../core/incident.js';
import type { User } from '../../core/user.js';
import { assessCarrierResponse } from '../../outage/carrier-response.js';
import { newIncident } from '../../outage/incident-facts.js';
import { httpStatus } from '../../api/http-errors.js';
import { approveCorrection, CorrectionRefused, proposeCorrection } from '../../outage/verdict-correction.js';

const T = Date.UTC(2026, 2, 1, 8, 0, 0);
const min = (m: number) => T + m * 60_000;
const limits = { limitHours: 2, strictLimitHours: 1 };

describe('assessCarrierResponse (contract 7.4.2: 2 h, and the stricter 1 h alongside)', () => {
  const cases: { name: string; reported: number | null; responded: number | null; now: number; expect: Partial<ReturnType<typeof assessCarrierResponse>> }[] = [
    { name: 'not reported', reported: null, responded: null, now: min(10), expect: { status: 'not-reported', responseSec: null, withinLimit: null, withinStrictLimit: null } },
    { name: 'responded in 45 min: meets both', reported: min(0), responded: min(45), now: min(300), expect: { status: 'responded', responseSec: 2700, withinLimit: true, withinStrictLimit: true } },
    { name: 'responded in 90 min: meets 2 h, misses 1 h', reported: min(0), responded: min(90), now: min(300), expect: { status: 'responded', responseSec: 5400, withinLimit: true, withinStrictLimit: false } },
    { name: 'responded at exactly 2 h: met', reported: min(0), responded: min(120), now: min(300), expect: { withinLimit: true, withinStrictLimit: false } },
    { name: 'responded after 3 h: misses both', reported: min(0), responded: min(180), now: min(300), expect: { status: 'responded', withinLimit: false, withinStrictLimit: false } },
    { name: 'waiting 30 min: still in time for both', reported: min(0), responded: null, now: min(30), expect: { status: 'awaiting', responseSec: 1800, withinLimit: null, withinStrictLimit: null } },
    { name: 'waiting 70 min: the 1 h limit is already missed', reported: min(0), responded: null, now: min(70), expect: { status: 'awaiting', withinLimit: null, withinStrictLimit: false } },
    { name: 'waiting 150 min: overdue', reported: min(0), responded: null, now: min(150), expect: { status: 'overdue', withinLimit: false, withinStrictLimit: false } },
  ];
  it.each(cases)('$name', (c) => {
    const a = assessCarrierResponse(c.reported, c.responded, c.now, limits);
    expect(a).toMatchObject({ limitSec: 7200, strictLimitSec: 3600, ...c.expect });
  });
});

describe('verdict correction under control (security annex 11)', () => {
  const zhang: User = { id: 'noc.zhang', name: 'Zhang', roles: ['operator'] };
  const li: User = { id: 'mgr.li', name: 'Li', roles: ['approver'] };
  const wang: User = { id: 'noc.wang', name: 'Wang', roles: ['operator'] };
  const admin: User = { id: 'admin', name: 'Admin', roles: ['admin'] };
  const incident = (): Incident => ({ ...newIncident('INC-1', 'A', 'C-A', 'outage', T), responsibility: 'line', verdict: 'final', rule: 'line-cut' });

  it('proposal records who, when, why and changes nothing by itself', () => {
    const c = proposeCorrection(incident(), { by: zhang, responsibility: 'external', reason: 'regional power cut', at: min(5) });
    expect(c).toEqual({ responsibility: 'external', reason: 'regional power cut', proposedBy: 'noc.zhang', proposedAt: min(5), approvedBy: null, approvedAt: null });
  });

  const refusals: { name: string; prepare: (i: Incident) => void; act: (i: Incident) => unknown; status: number; message: RegExp }[] = [
    { name: 'empty reason', prepare: () => {}, act: (i) => proposeCorrection(i, { by: zhang, responsibility: 'external', reason: '  ', at: T }), status: 400, message: /reason/ },
    { name: 'same final verdict again', prepare: () => {}, act: (i) => proposeCorrection(i, { by: zhang, responsibility: 'line', reason: 'no change', at: T }), status: 409, message: /already line/ },
    {
      name: 'second proposal while one is pending',
      prepare: (i) => i.corrections.push(proposeCorrection(i, { by: zhang, responsibility: 'external', reason: 'power cut', at: T })),
      act: (i) => proposeCorrection(i, { by: wang, responsibility: 'device', reason: 'their router', at: T }),
      status: 409,
      message: /waiting for approval/,
    },
    { name: 'approval with nothing pending', prepare: () => {}, act: (i) => approveCorrection(i, { by: li, at: T }), status: 409, message: /no proposed correction/ },
    {
      name: 'the proposer approving their own proposal, even as admin',
      prepare: (i) => i.corrections.push(proposeCorrection(i, { by: admin, responsibility: 'external', reason: 'power cut', at: T })),
      act: (i) => approveCorrection(i, { by: admin, at: T }),
      status: 403,
      message: /cannot also approve/,
    },
    {
      name: 'an operator without the approver role',
      prepare: (i) => i.corrections.push(proposeCorrection(i, { by: zhang, responsibility: 'external', reason: 'power cut', at: T })),
      act: (i) => approveCorrection(i, { by: wang, at: T }),
      status: 403,
      message: /approver role/,
    },
  ];
  it.each(refusals)('refuses $name', (c) => {
    const i = incident();
    c.prepare(i);
    let err: unknown;
    try {
      c.act(i);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorrectionRefused);
    expect(httpStatus((err as CorrectionRefused).failure)).toBe(c.status);
    expect((err as Error).message).toMatch(c.message);
  });

  it('a different approver approves: who and when recorded', () => {
    const i = incident();
    i.corrections.push(proposeCorrection(i, { by: zhang, responsibility: 'external', reason: 'power cut', at: min(1) }));
    expect(approveCorrection(i, { by: li, at: min(9) })).toMatchObject({ proposedBy: 'noc.zhang', approvedBy: 'mgr.li', approvedAt: min(9) });
  });
});
