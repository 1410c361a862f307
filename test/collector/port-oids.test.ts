import { describe, expect, it } from 'vitest';
import { cePortLayout, headendPortLayout, nextLayoutKind } from '../../collector/port-oids.js';
import * as O from '../../collector/oids.js';

describe('port layouts', () => {
  it.each([
    { kind: 'full' as const, count: 17, has: ['in32', 'out32', 'speed', 'hcIn', 'hcOut', 'highSpeed', 'hrUptime'], lacks: [] },
    { kind: 'hc' as const, count: 14, has: ['hcIn', 'hcOut', 'highSpeed', 'hrUptime', 'discontinuity'], lacks: ['in32', 'out32', 'speed'] },
    { kind: 'v1' as const, count: 12, has: ['in32', 'out32', 'speed'], lacks: ['hcIn', 'hcOut', 'highSpeed', 'hrUptime', 'discontinuity'] },
    { kind: 'status' as const, count: 4, has: ['uptime', 'name', 'oper', 'admin'], lacks: ['in32', 'hcIn', 'inErr'] },
  ])('CE $kind: $count varbinds', ({ kind, count, has, lacks }) => {
    const l = cePortLayout(7, O.IF_NAME, kind);
    expect(l.oids).toHaveLength(count);
    expect(new Set(l.oids).size).toBe(count);
    for (const f of has) expect(l.at[f as keyof typeof l.at], f).toBeGreaterThanOrEqual(0);
    for (const f of lacks) expect(l.at[f as keyof typeof l.at], f).toBe(-1);
    expect(l.oids[l.at.uptime]).toBe(O.SYS_UPTIME);
    expect(l.oids[l.at.name]).toBe(`${O.IF_NAME}.7`);
    expect(l.oids[l.at.oper]).toBe(`${O.IF_OPER_STATUS}.7`);
  });

  it('asks for the name in the column it was found in (ifDescr for agents without ifXTable)', () => {
    expect(cePortLayout(3, O.IF_DESCR, 'v1').oids).toContain(`${O.IF_DESCR}.3`);
    expect(headendPortLayout(3, O.IF_DESCR, 'full').oids[0]).toBe(`${O.IF_DESCR}.3`);
  });

  it.each([
    { kind: 'full' as const, oids: ['ifName', 'oper', 'hcIn', 'hcOut', 'in32', 'out32'] },
    { kind: 'hc' as const, oids: ['ifName', 'oper', 'hcIn', 'hcOut'] },
    { kind: 'v1' as const, oids: ['ifName', 'oper', 'in32', 'out32'] },
  ])('head-end port $kind', ({ kind, oids }) => {
    const col: Record<string, string> = { ifName: O.IF_NAME, oper: O.IF_OPER_STATUS, hcIn: O.IF_HC_IN_OCTETS, hcOut: O.IF_HC_OUT_OCTETS, in32: O.IF_IN_OCTETS, out32: O.IF_OUT_OCTETS };
    expect(headendPortLayout(1001, O.IF_NAME, kind).oids).toEqual(oids.map((c) => `${col[c]}.1001`));
  });

  it('is built once per port and kind', () => {
    expect(cePortLayout(9, O.IF_NAME, 'hc')).toBe(cePortLayout(9, O.IF_NAME, 'hc'));
    expect(cePortLayout(9, O.IF_NAME, 'hc')).not.toBe(cePortLayout(10, O.IF_NAME, 'hc'));
  });
});

describe('nextLayoutKind', () => {
  const hc = { hcIn: 1n, hcOut: 2n, highSpeedMbps: 100 };
  it.each([
    { name: 'nothing known yet', v1: false, last: null, needsSpeed: true, want: 'full' },
    { name: '64-bit counters and ifHighSpeed seen', v1: false, last: hc, needsSpeed: true, want: 'hc' },
    { name: 'no 64-bit counters', v1: false, last: { ...hc, hcIn: null }, needsSpeed: true, want: 'full' },
    { name: 'ifHighSpeed 0: ifSpeed is still needed', v1: false, last: { ...hc, highSpeedMbps: 0 }, needsSpeed: true, want: 'full' },
    { name: 'head-end port: no speed needed', v1: false, last: { hcIn: 1n, hcOut: 2n, highSpeedMbps: null }, needsSpeed: false, want: 'hc' },
    { name: 'SNMPv1 whatever was seen', v1: true, last: hc, needsSpeed: true, want: 'v1' },
  ])('$name → $want', ({ v1, last, needsSpeed, want }) => {
    expect(nextLayoutKind(v1, last, needsSpeed)).toBe(want);
  });
});
