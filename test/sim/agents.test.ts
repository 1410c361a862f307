import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnmpProfile, SnmpV3Profile } from '../../core/snmp-profile.js';
import { Secret } from '../../core/secret.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { IF, get, ifIndexByName, manager, managerFor, site, tryGet, walk } from './snmp-helpers.js';

const PORT = 20010;
let fx: FleetConfig;
let sim: FleetSimulator;

beforeAll(async () => {
  fx = makeFleetConfig({ sites: 6, agentPort: PORT });
  sim = await startFleetSimulator({ config: fx.config, controlPort: null });
});
afterAll(async () => {
  await sim?.stop();
  fx?.cleanup();
});

const SYS = ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', IF.sysUpTime, '1.3.6.1.2.1.1.5.0'];

describe('credentials', () => {
  it('the demo profiles are what this test means to exercise', () => {
    const p = (n: string) => fx.config.profiles.get(n) as SnmpV3Profile;
    expect([p('ce-v3').authProtocol, p('ce-v3').privProtocol, p('ce-v3').level]).toEqual(['SHA', 'AES-128', 'authPriv']);
    expect([p('headend-v3').authProtocol, p('headend-v3').privProtocol, p('headend-v3').level]).toEqual(['SHA-256', 'AES-256', 'authPriv']);
    expect(site(fx.config, 'D01-R001').ce.device.profile).toBe('ce-v3');
    expect(site(fx.config, 'D01-R002').ce.device.profile).toBe('ce-v2c');
  });

  it.each([
    ['CE over v2c', 'D01-R002', 'ce'],
    ['CE over v3 authPriv SHA/AES-128', 'D01-R001', 'ce'],
    ['head-end over v3 authPriv SHA-256/AES-256', 'D01-R001', 'headend'],
    ['carrier CPE over v2c', 'D01-R002', 'cpe'],
    ['CE over its OOB path (v3)', 'D01-R004', 'oob'],
  ] as const)('%s answers with the profile credentials', async (_label, siteId, role) => {
    const s = site(fx.config, siteId);
    const endpoint = role === 'ce' ? s.ce.device : role === 'headend' ? s.circuit.headend.device : role === 'cpe' ? s.cpe!.device : s.oob!;
    const m = managerFor(fx.config, endpoint);
    try {
      const vbs = await get(m, SYS);
      expect(vbs.map((v) => v.type)).toEqual([snmp.ObjectType.OctetString, snmp.ObjectType.OID, snmp.ObjectType.TimeTicks, snmp.ObjectType.OctetString]);
      expect(String(vbs[3]!.value)).toContain(role === 'headend' ? 'HE-' : role === 'cpe' ? `CPE-${siteId}` : `CE-${siteId}`);
      expect(Number(vbs[2]!.value)).toBeGreaterThan(0);
    } finally {
      m.close();
    }
  });

  const wrong = (p: SnmpProfile, change: Record<string, unknown>): SnmpProfile => ({ ...p, ...change }) as SnmpProfile;
  it.each([
    ['a wrong community', 'D01-R002', (p: SnmpProfile) => wrong(p, { community: new Secret('not-the-community') }), /timed out/i],
    ['an unknown v3 user', 'D01-R001', (p: SnmpProfile) => wrong(p, { user: 'intruder' }), /unknown user/i],
    ['a wrong v3 auth key', 'D01-R001', (p: SnmpProfile) => wrong(p, { authKey: new Secret('wrong-auth-key') }), /timed out|auth/i],
    ['a wrong v3 priv key', 'D01-R001', (p: SnmpProfile) => wrong(p, { privKey: new Secret('wrong-priv-key') }), /timed out|decrypt/i],
    ['the v3 user at a lower level (authNoPriv)', 'D01-R001', (p: SnmpProfile) => wrong(p, { level: 'authNoPriv' }), /timed out|digest|report/i],
    ['SHA instead of SHA-256 at the head-end', 'D01-R001', (p: SnmpProfile) => wrong(p, { authProtocol: 'SHA' }), /timed out|auth/i],
  ] as const)('refuses %s', async (_label, siteId, spoil, error) => {
    const s = site(fx.config, siteId);
    const endpoint = _label.includes('head-end') ? s.circuit.headend.device : s.ce.device;
    const m = manager(spoil(fx.config.profiles.get(endpoint.profile)!), endpoint, { timeout: 400 });
    try {
      await expect(get(m, SYS)).rejects.toThrow(error);
    } finally {
      m.close();
    }
  });

  it('a CE does not accept the credentials of another profile', async () => {
    const s = site(fx.config, 'D01-R002'); // a v2c CE
    const m = manager(fx.config.profiles.get('carrier-cpe')!, s.ce.device, { timeout: 400 });
    expect(await tryGet(m, SYS)).toBeNull();
    m.close();
  });
});

describe('what the agents serve', () => {
  it('the CE has a loopback, a LAN port and the WAN port at a non-trivial ifIndex, with 64-bit counters', async () => {
    const s = site(fx.config, 'D01-R003');
    const m = managerFor(fx.config, s.ce.device);
    try {
      const names = (await walk(m, '1.3.6.1.2.1.31.1.1.1.1')).map((v) => String(v.value));
      expect(names).toContain(s.ce.ifName);
      expect(names).toContain('InLoopBack0');
      expect(names.length).toBeGreaterThanOrEqual(3);
      const wan = await ifIndexByName(m, s.ce.ifName);
      expect(wan).toBeGreaterThan(2);
      expect(wan).toBe(sim.siteState(s.id).ce.wanIfIndex);
      const vbs = await get(m, [IF.descr(wan), IF.admin(wan), IF.oper(wan), IF.hcIn(wan), IF.hcOut(wan), IF.inOctets(wan), IF.hrSystemUptime]);
      expect(String(vbs[0]!.value)).toBe(s.ce.ifName);
      expect([vbs[1]!.value, vbs[2]!.value]).toEqual([1, 1]);
      expect(vbs[3]!.type).toBe(snmp.ObjectType.Counter64);
      expect(vbs[5]!.type).toBe(snmp.ObjectType.Counter32);
      expect(vbs[6]!.type).toBe(snmp.ObjectType.TimeTicks);
      // the whole ifTable walks cleanly (a poller may walk it)
      const table = await walk(m, '1.3.6.1.2.1.2.2');
      expect(table.length).toBe(4 * 14);
    } finally {
      m.close();
    }
  });

  it('a head-end has one interface per circuit, named as in the inventory', async () => {
    const head = site(fx.config, 'D01-R001').circuit.headend.device;
    const circuits = fx.config.inventory.sites.filter((x) => x.circuit.headend.device.host === head.host);
    const m = managerFor(fx.config, head);
    try {
      const names = (await walk(m, '1.3.6.1.2.1.31.1.1.1.1')).map((v) => String(v.value));
      for (const c of circuits) expect(names).toContain(c.circuit.headend.ifName);
      expect(names.length).toBe(circuits.length + 1);
    } finally {
      m.close();
    }
  });

  it('a carrier CPE has its line and customer ports', async () => {
    const s = site(fx.config, 'D01-R002');
    const m = managerFor(fx.config, s.cpe!.device);
    try {
      const names = (await walk(m, '1.3.6.1.2.1.31.1.1.1.1')).map((v) => String(v.value));
      expect(names).toEqual(expect.arrayContaining([s.cpe!.lineIfName!, s.cpe!.customerIfName!]));
    } finally {
      m.close();
    }
  });
});
