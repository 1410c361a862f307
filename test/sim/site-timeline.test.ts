import { describe, expect, it } from 'vitest';
import { naturalEnd, parseFaultSpec, type Fault } from '../../sim/faults.js';
import {
  conditionsAt, flowingPieces, lastEdge, LINK_UP_AFTER_BOOT_MS, originsAt, siteWindows, union,
  type SiteConditions,
} from '../../sim/site-timeline.js';

let seq = 0;
/** A fault of `kind` on [from, to) (to null = until cleared; undefined = its natural end). */
function fault(kind: string, from: number, to?: number | null, params: object = {}, target = 'S1'): Fault {
  const spec = parseFaultSpec({ kind, target: kind === 'noc-isolation' ? 'noc' : target, params });
  return { ...spec, id: `f${++seq}`, startsAt: from, endsAt: to === undefined ? naturalEnd(spec, from) : to };
}

type Expect = Partial<Pick<SiteConditions, 'powered' | 'wanAdminUp' | 'wanOperUp' | 'headendOperUp' | 'cpeLineUp' | 'cpeCustomerUp' | 'nocIsolated' | 'capBps' | 'has64' | 'renumberedIfIndex'>> & {
  inband?: unknown;
  oob?: unknown;
};

const answer = { answer: true, delayMs: 0 };
const silent = (why: string) => ({ answer: false, why });

describe('conditionsAt', () => {
  const healthy: Expect = { powered: true, wanAdminUp: true, wanOperUp: true, headendOperUp: true, cpeLineUp: true, cpeCustomerUp: true, inband: answer, oob: answer, capBps: Infinity, has64: true };
  it.each<[string, Fault[], number, Expect]>([
    ['no fault', [], 500, healthy],
    ['line cut: CE silent in-band, OOB answers, head-end and CPE line down', [fault('line-cut', 100, 1000)], 500,
      { powered: true, wanAdminUp: true, wanOperUp: false, headendOperUp: false, cpeLineUp: false, cpeCustomerUp: true, inband: silent('WAN down'), oob: answer }],
    ['line cut, after it cleared', [fault('line-cut', 100, 1000)], 1000, healthy],
    ['group down is a line cut', [fault('group-down', 100, 1000, {}, 'AGG-X')], 999, { wanOperUp: false, headendOperUp: false, cpeLineUp: false, oob: answer }],
    ['power loss: silent everywhere, head-end up, CPE customer port down', [fault('power-loss', 100, 1000)], 500,
      { powered: false, wanOperUp: false, headendOperUp: true, cpeLineUp: true, cpeCustomerUp: false, inband: silent('powered off'), oob: silent('powered off') }],
    ['power loss: still booting after the power is back', [fault('power-loss', 100, 1000, { bootSec: 5 })], 5500, { powered: false, oob: silent('powered off') }],
    ['power loss: booted, WAN link not up yet', [fault('power-loss', 100, 1000, { bootSec: 5 })], 6000 + LINK_UP_AFTER_BOOT_MS - 1,
      { powered: true, wanOperUp: false, oob: answer, inband: silent('WAN down'), headendOperUp: true, cpeCustomerUp: false }],
    ['power loss: back', [fault('power-loss', 100, 1000, { bootSec: 5 })], 6000 + LINK_UP_AFTER_BOOT_MS, healthy],
    ['agent restart: silent, WAN up', [fault('agent-restart', 100, undefined, { silentSec: 1 })], 600, { wanOperUp: true, inband: silent('agent restarting'), oob: silent('agent restarting') }],
    ['agent restart: over', [fault('agent-restart', 100, undefined, { silentSec: 1 })], 1100, healthy],
    ['WAN admin down', [fault('wan-admin-down', 100, 1000)], 500,
      { wanAdminUp: false, wanOperUp: false, headendOperUp: false, cpeLineUp: true, cpeCustomerUp: false, inband: silent('WAN down'), oob: answer }],
    ['management hang: silent, traffic flows', [fault('mgmt-hang', 100, 1000)], 500,
      { wanOperUp: true, headendOperUp: true, inband: silent('management plane hung'), oob: silent('management plane hung') }],
    ['noc isolation', [fault('noc-isolation', 100, 1000)], 500, { nocIsolated: true, wanOperUp: true, inband: silent('noc isolated'), oob: silent('noc isolated') }],
    ['rate cap, the lowest wins', [fault('rate-cap', 100, 1000, { mbps: 20 }), fault('rate-cap', 200, 900, { mbps: 10 })], 500, { capBps: 10e6, wanOperUp: true }],
    ['counter wrap with no64', [fault('counter-wrap', 100, null, { no64: true })], 500, { has64: false }],
    ['counter wrap without no64 keeps ifHC*', [fault('counter-wrap', 100, null)], 500, { has64: true }],
    ['ifIndex renumbered to a given index', [fault('ifindex-renumber', 100, 1000, { ifIndex: 42 })], 500, { renumberedIfIndex: 42 }],
    ['ifIndex renumbered, default index', [fault('ifindex-renumber', 100, 1000)], 500, { renumberedIfIndex: null }],
    ['garbage on the in-band address only', [fault('garbage', 100, 1000, { mode: 'truncated' })], 500, { inband: { answer: 'garbage', mode: 'truncated' }, oob: answer }],
    ['garbage does not reach through a line cut', [fault('garbage', 100, 1000, { mode: 'truncated' }), fault('line-cut', 100, 1000)], 500, { inband: silent('WAN down') }],
    ['latency, the largest wins', [fault('latency', 100, 1000, { ms: 300 }), fault('latency', 100, 1000, { ms: 700 })], 500, { inband: { answer: true, delayMs: 700 }, oob: answer }],
    ['flap: in the first cut', [fault('flap', 100, undefined, { count: 3, downMs: 100, upMs: 200 })], 150, { wanOperUp: false }],
    ['flap: between cuts', [fault('flap', 100, undefined, { count: 3, downMs: 100, upMs: 200 })], 250, { wanOperUp: true }],
    ['flap: in the third cut', [fault('flap', 100, undefined, { count: 3, downMs: 100, upMs: 200 })], 750, { wanOperUp: false }],
    ['flap: cleared early, no more cuts', [fault('flap', 100, 300, { count: 3, downMs: 100, upMs: 200 })], 750, { wanOperUp: true }],
  ])('%s', (_name, faults, t, want) => {
    const c = conditionsAt(siteWindows(faults), t);
    const { inband, oob, ...rest } = want;
    expect(c).toMatchObject(rest);
    if (inband !== undefined) expect(c.ceInband).toEqual(inband);
    if (oob !== undefined) expect(c.oob).toEqual(oob);
  });
});

describe('origins, edges and traffic pieces', () => {
  it('a power loss restarts OS and agent; an agent restart only the agent', () => {
    const w = siteWindows([fault('power-loss', 1000, 2000, { bootSec: 3 }), fault('agent-restart', 10_000, undefined, { silentSec: 2 })]);
    expect(originsAt(w, 500, -5)).toEqual({ host: -5, agent: -5 });
    expect(originsAt(w, 5000, -5)).toEqual({ host: 5000, agent: 5000 });
    expect(originsAt(w, 13_000, -5)).toEqual({ host: 5000, agent: 12_000 });
    expect(w.linkUps).toEqual([5000 + LINK_UP_AFTER_BOOT_MS]);
  });

  it('an uncleared power loss never boots', () => {
    const w = siteWindows([fault('power-loss', 1000, null)]);
    expect(w.boots).toEqual([]);
    expect(conditionsAt(w, 1e12).powered).toBe(false);
  });

  it('lastEdge finds the latest start or end at or before t', () => {
    const list = union([{ from: 10, to: 20 }, { from: 15, to: 30 }, { from: 50, to: Infinity }]);
    expect(list).toEqual([{ from: 10, to: 30 }, { from: 50, to: Infinity }]);
    expect(lastEdge(list, 5)).toBeNull();
    expect(lastEdge(list, 29)).toBe(10);
    expect(lastEdge(list, 30)).toBe(30);
    expect(lastEdge(list, 1000)).toBe(50);
  });

  it('traffic flows only while the WAN is up, under the cap in force', () => {
    const w = siteWindows([fault('line-cut', 100, 200), fault('rate-cap', 150, 400, { mbps: 5 })]);
    expect(flowingPieces(w, 0, 500)).toEqual([
      { from: 0, to: 100, capBps: Infinity, capPressed: false },
      { from: 200, to: 400, capBps: 5e6, capPressed: false },
      { from: 400, to: 500, capBps: Infinity, capPressed: false },
    ]);
    expect(flowingPieces(w, 120, 180)).toEqual([]);
  });

  it.each([
    ['a pressed cap', [fault('rate-cap', 100, 300, { mbps: 20, pressed: true })], [
      { from: 0, to: 100, capBps: Infinity, capPressed: false },
      { from: 100, to: 300, capBps: 20e6, capPressed: true },
      { from: 300, to: 400, capBps: Infinity, capPressed: false },
    ]],
    ['back-to-back repeats of one pressed cap stay one piece', [fault('rate-cap', 0, 250, { mbps: 20, pressed: true }), fault('rate-cap', 200, 400, { mbps: 20, pressed: true })], [
      { from: 0, to: 400, capBps: 20e6, capPressed: true },
    ]],
    ['a tighter unpressed cap wins over a pressed one', [fault('rate-cap', 0, 400, { mbps: 20, pressed: true }), fault('rate-cap', 100, 200, { mbps: 5 })], [
      { from: 0, to: 100, capBps: 20e6, capPressed: true },
      { from: 100, to: 200, capBps: 5e6, capPressed: false },
      { from: 200, to: 400, capBps: 20e6, capPressed: true },
    ]],
  ])('flowing pieces: %s', (_n, faults, want) => {
    expect(flowingPieces(siteWindows(faults), 0, 400)).toEqual(want);
  });
});
