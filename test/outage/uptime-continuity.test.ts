import { describe, expect, it } from 'vitest';
import { evidenceDetail } from '../../core/terms.js';
import { changedDuringOutage, TIMETICKS_WRAP_SEC, uptimeContinuity, wanChangeAt, type Continuity, type UptimeReading } from '../../outage/uptime-continuity.js';

const SIGNAL: Record<Continuity, string> = { continuous: 'uptime-continuous', 'agent-restart': 'agent-restart', rebooted: 'ce-rebooted', unknown: 'uptime-unknown' };
const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
const DAY = 86_400;
const at = (sec: number) => T0 + sec * 1000;

describe('uptimeContinuity', () => {
  const cases: { name: string; before: UptimeReading | null; after: UptimeReading; startedAt: number; expect: Continuity; wrapped?: boolean }[] = [
    {
      name: 'kept counting through a 10-minute outage',
      before: { at: at(0), uptimeSec: 30 * DAY, hostUptimeSec: null },
      after: { at: at(600), uptimeSec: 30 * DAY + 600, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'continuous',
    },
    {
      name: 'sysUpTime wrapped at 2^32 centiseconds (497 days): not a reboot',
      before: { at: at(0), uptimeSec: TIMETICKS_WRAP_SEC - 100, hostUptimeSec: null },
      after: { at: at(600), uptimeSec: 500, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'continuous',
      wrapped: true,
    },
    {
      name: 'came back with uptime shorter than the outage: rebooted',
      before: { at: at(0), uptimeSec: 30 * DAY, hostUptimeSec: null },
      after: { at: at(600), uptimeSec: 120, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'rebooted',
    },
    {
      name: 'sysUpTime reset but hrSystemUptime continuous: only the agent restarted',
      before: { at: at(0), uptimeSec: 30 * DAY, hostUptimeSec: 31 * DAY },
      after: { at: at(600), uptimeSec: 40, hostUptimeSec: 31 * DAY + 600 },
      startedAt: at(60),
      expect: 'agent-restart',
    },
    {
      name: 'both clocks reset: a real reboot',
      before: { at: at(0), uptimeSec: 30 * DAY, hostUptimeSec: 31 * DAY },
      after: { at: at(600), uptimeSec: 40, hostUptimeSec: 45 },
      startedAt: at(60),
      expect: 'rebooted',
    },
    {
      name: 'hrSystemUptime wrapped while the agent restarted: still only the agent',
      before: { at: at(0), uptimeSec: 30 * DAY, hostUptimeSec: TIMETICKS_WRAP_SEC - 10 },
      after: { at: at(600), uptimeSec: 40, hostUptimeSec: 590 },
      startedAt: at(60),
      expect: 'agent-restart',
      wrapped: true,
    },
    {
      name: 'no reading from before (after a demarc restart): uptime longer than the outage so far',
      before: null,
      after: { at: at(600), uptimeSec: 5 * DAY, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'continuous',
    },
    {
      name: 'no reading from before: uptime shorter than the time since the outage began',
      before: null,
      after: { at: at(600), uptimeSec: 300, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'rebooted',
    },
    {
      name: 'uptime a few seconds off (poll timing) is within tolerance',
      before: { at: at(0), uptimeSec: 1000, hostUptimeSec: null },
      after: { at: at(600), uptimeSec: 1595, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'continuous',
    },
    {
      name: 'rebooted just before the drop began (uptime longer than the outage, shorter than expected)',
      before: { at: at(0), uptimeSec: 30 * DAY, hostUptimeSec: null },
      after: { at: at(600), uptimeSec: 580, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'rebooted',
    },
    {
      name: 'no sysUpTime at all',
      before: { at: at(0), uptimeSec: 1000, hostUptimeSec: null },
      after: { at: at(600), uptimeSec: null, hostUptimeSec: null },
      startedAt: at(60),
      expect: 'unknown',
    },
  ];
  it.each(cases)('$name → $expect', (c) => {
    const f = uptimeContinuity(c.before, c.after, c.startedAt, 10);
    expect(f.continuity).toBe(c.expect);
    expect(f.wrapped).toBe(c.wrapped ?? false);
    expect(evidenceDetail({ kind: SIGNAL[f.continuity], params: f.params }, 'en').length).toBeGreaterThan(10);
  });
});

describe('wanChangeAt and changedDuringOutage', () => {
  const cases: { name: string; reading: { at: number; uptimeSec: number | null; wanLastChangeSec: number | null }; expectAt: number | null }[] = [
    { name: 'plain: change 100 s before the poll', reading: { at: at(1000), uptimeSec: 5000, wanLastChangeSec: 4900 }, expectAt: at(900) },
    { name: 'ifLastChange 0 says nothing', reading: { at: at(1000), uptimeSec: 5000, wanLastChangeSec: 0 }, expectAt: null },
    { name: 'missing uptime', reading: { at: at(1000), uptimeSec: null, wanLastChangeSec: 10 }, expectAt: null },
    {
      name: 'change before a sysUpTime wrap, read after it',
      reading: { at: at(1000), uptimeSec: 50, wanLastChangeSec: TIMETICKS_WRAP_SEC - 50 },
      expectAt: at(900),
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(wanChangeAt(c.reading)).toBe(c.expectAt);
  });

  const windows: { name: string; changeAt: number | null; inside: boolean }[] = [
    { name: 'inside the outage', changeAt: at(300), inside: true },
    { name: 'long before the last good poll', changeAt: at(-3600), inside: false },
    { name: 'just before the last good poll, within tolerance', changeAt: at(-5), inside: true },
    { name: 'unknown', changeAt: null, inside: false },
  ];
  it.each(windows)('ifLastChange $name → inside=$inside', (c) => {
    expect(changedDuringOutage(c.changeAt, at(0), at(600), 10)).toBe(c.inside);
  });
});
