import { describe, expect, it } from 'vitest';
import { summarize, type DeviceFacts, type InterfaceFacts } from '../../inventory/device-facts.js';
import { diffFacts } from '../../inventory/inventory-diff.js';
import { identifyVendor } from '../../inventory/vendors.js';

describe('vendor and model from sysObjectID', () => {
  it.each([
    ['1.3.6.1.4.1.2011.2.62.2.9', 'Huawei', 'NE40E-X8'],
    ['1.3.6.1.4.1.2011.2.999', 'Huawei', null],
    ['1.3.6.1.4.1.25506.1.1', 'H3C', null],
    ['1.3.6.1.4.1.9.1.516', 'Cisco', 'Catalyst 3750 stack'],
    ['.1.3.6.1.4.1.3902.3.100.5960', 'ZTE', null],
    ['1.3.6.1.4.1.4881.1.1.10.1.1', 'Ruijie', null],
    ['1.3.6.1.4.1.2636.1.1.1.2.21', 'Juniper', null],
    ['1.3.6.1.4.1.14988.1', 'MikroTik', 'RouterOS device'],
    ['1.3.6.1.4.1.8072.3.2.10', 'net-snmp', 'net-snmp agent (Linux)'],
    ['1.3.6.1.4.1.99999.1', null, null],
    ['1.3.6.1.2.1.1', null, null],
  ])('%s → %s / %s, raw OID kept', (oid, vendor, model) => {
    expect(identifyVendor(oid)).toMatchObject({ vendor, model, sysObjectId: oid });
  });
});

const iface = (ifIndex: number, ifName: string | null, ifDescr: string | null, ifAlias: string | null = null): InterfaceFacts => ({
  ifIndex, ifName, ifDescr, ifAlias, ifType: 6, speedBps: null, highSpeedMbps: null, physAddress: null, admin: 'up', oper: 'up',
});
const facts = (serial: string | null, model: string | null, software: string | null, interfaces: InterfaceFacts[]): DeviceFacts => {
  const entities = [{ index: 1, descr: null, class: 'chassis', name: null, hardwareRev: null, firmwareRev: null, softwareRev: software, serial, mfgName: null, modelName: model }];
  return { system: null, identity: null, entities, interfaces, summary: summarize(null, null, entities) };
};
const ALL = { system: true, entities: true, interfaces: true };
const ctx = { at: 1000, deviceId: 'ce:S1', siteId: 'S1', configuredNames: ['GE0/0/1'] };
const base = [iface(1, 'GE0/0/1', 'GE0/0/1', 'WAN'), iface(2, 'GE0/0/2', 'GE0/0/2', 'LAN')];
const kinds = (b: DeviceFacts, a: DeviceFacts, read = ALL) => diffFacts(b, a, read, ctx).map((c) => [c.kind, c.subject, c.before, c.after]);

describe('change detection (pure diff of two discoveries)', () => {
  it.each<[string, DeviceFacts, DeviceFacts, unknown[][]]>([
    ['nothing changed', facts('A1', 'AR2220', 'V1', base), facts('A1', 'AR2220', 'V1', base), []],
    ['serial changed: replaced', facts('A1', 'AR2220', 'V1', base), facts('B2', 'AR2220', 'V2', base), [['device-replaced', 'chassis', { serial: 'A1', model: 'AR2220' }, { serial: 'B2', model: 'AR2220' }]]],
    ['model changed: replaced', facts('A1', 'AR2220', 'V1', base), facts('A1', 'AR6120', 'V1', base), [['device-replaced', 'chassis', { serial: 'A1', model: 'AR2220' }, { serial: 'A1', model: 'AR6120' }]]],
    ['software changed: upgraded', facts('A1', 'AR2220', 'V1', base), facts('A1', 'AR2220', 'V2', base), [['software-upgraded', 'software', 'V1', 'V2']]],
    ['serial unreadable now: no claim', facts('A1', 'AR2220', 'V1', base), facts(null, 'AR2220', 'V1', base), []],
    ['interface added', facts('A1', 'M', 'V1', base), facts('A1', 'M', 'V1', [...base, iface(3, 'GE0/0/3', 'GE0/0/3')]), [['interface-added', 'ifIndex 3', null, 'GE0/0/3']]],
    ['interface removed', facts('A1', 'M', 'V1', base), facts('A1', 'M', 'V1', [base[0]!]), [['interface-removed', 'ifIndex 2', 'GE0/0/2', null]]],
    ['renumbered, same name: nothing', facts('A1', 'M', 'V1', base), facts('A1', 'M', 'V1', [base[0]!, iface(7, 'GE0/0/2', 'GE0/0/2', 'LAN')]), []],
    ['alias changed', facts('A1', 'M', 'V1', base), facts('A1', 'M', 'V1', [base[0]!, iface(2, 'GE0/0/2', 'GE0/0/2', 'LAN-new')]), [['alias-changed', 'GE0/0/2', 'LAN', 'LAN-new']]],
    [
      'handoff port renamed: said loudly',
      facts('A1', 'M', 'V1', base),
      facts('A1', 'M', 'V1', [iface(1, 'GE0/0/9', 'GE0/0/9', 'WAN'), base[1]!]),
      [['interface-renamed', 'ifIndex 1', 'GE0/0/1', 'GE0/0/9'], ['handoff-unresolved', 'GE0/0/1', { ifIndex: 1, matchedBy: 'ifName', label: 'GE0/0/1' }, null]],
    ],
  ])('%s', (_what, before, after, expected) => {
    expect(kinds(before, after)).toEqual(expected);
  });

  it('does not compare a section the agent failed this time', () => {
    expect(kinds(facts('A1', 'M', 'V1', base), facts('A1', 'M', 'V1', []), { system: true, entities: true, interfaces: false })).toEqual([]);
    expect(kinds(facts('A1', 'M', 'V1', base), facts('B1', 'M', 'V1', base), { system: false, entities: false, interfaces: true })).toEqual([]);
  });

  it('the first discovery is the baseline', () => {
    expect(diffFacts(null, facts('A1', 'M', 'V1', base), ALL, ctx)).toEqual([]);
  });

  it('the handoff detail says the configured port no longer resolves', () => {
    const gone = diffFacts(facts('A1', 'M', 'V1', base), facts('A1', 'M', 'V1', [iface(1, 'GE0/0/9', 'GE0/0/9', 'WAN'), base[1]!]), ALL, ctx).find((c) => c.kind === 'handoff-unresolved');
    expect(gone!.detail).toMatch(/^CONFIGURED PORT "GE0\/0\/1" NO LONGER RESOLVES/);
  });
});
