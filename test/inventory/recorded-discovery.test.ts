import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionPool } from '../../collector/session-pool.js';
import { silentLogger } from '../../core/logger.js';
import type { SnmpProfile } from '../../core/snmp-profile.js';
import { Secret } from '../../core/secret.js';
import type { DeviceTarget } from '../../inventory/device-facts.js';
import { discoverDevice } from '../../inventory/discovery-walk.js';
import { diffFacts } from '../../inventory/inventory-diff.js';
import { DEBIAN_RECORDINGS, startSnmpsim, type RunningSnmpsim } from '../support/snmpsim.js';
import { startSnmpd, type RunningSnmpd } from '../support/snmpd.js';

// Discovery against agents nobody here recorded: Debian snmpsim's Cisco 3750 recording (a full
// ENTITY-MIB), the ZTE switch without ENTITY-MIB, an agent answering garbage, net-snmp's real
// snmpd (system group and this machine's interfaces), and an address where nothing answers.

const SIM_PORT = 24530;
const SNMPD_PORT = 24531;
const DEAD_PORT = 24532;
const FIXTURES = join(import.meta.dirname, '../fixtures/snmprec');
const HOST = { cisco: '127.0.24.31', zte: '127.0.24.32', garbage: '127.0.24.33' } as const;

const v2c = (community: string): SnmpProfile => ({ name: community, version: '2c', community: new Secret(community), timeoutMs: 1500, retries: 1 }) as SnmpProfile;
const profiles = new Map<string, SnmpProfile>([
  ['cisco', v2c('cisco')], ['zte', v2c('zte')], ['garbage', v2c('garbage')], ['snmpd', v2c('demarc-inv')],
  ['dead', { ...v2c('dead'), timeoutMs: 300, retries: 0 } as SnmpProfile],
]);
const target = (id: string, host: string, port: number, profile: string, names: string[] = []): DeviceTarget => ({
  id, role: 'ce', siteId: 'S1', siteIds: ['S1'], endpoint: { host, port, profile }, configuredNames: names,
});
const opts = { maxRepetitions: 50, now: () => Date.now() };

let sim: RunningSnmpsim;
let snmpd: RunningSnmpd;
let pool: SessionPool;

beforeAll(async () => {
  sim = await startSnmpsim({
    hosts: [HOST.cisco, HOST.zte, HOST.garbage],
    port: SIM_PORT,
    devices: { cisco: join(DEBIAN_RECORDINGS, 'cisco_16_switch.snmprec.gz'), zte: join(FIXTURES, 'zte-switch.snmprec'), garbage: join(FIXTURES, 'garbage-ce.snmprec') },
  });
  snmpd = await startSnmpd({ port: SNMPD_PORT, community: 'demarc-inv' });
  pool = new SessionPool(profiles, 4, silentLogger);
}, 60_000);

afterAll(async () => {
  pool?.close();
  await sim?.stop();
  await snmpd?.stop();
});

describe('discovery against recorded and real agents', () => {
  it('reads the Cisco 3750 recording: vendor and model from sysObjectID, serial and software from ENTITY-MIB', async () => {
    const d = await discoverDevice(pool, target('ce:CISCO', HOST.cisco, SIM_PORT, 'cisco', ['Fa3/0/3']), null, opts);
    expect(d.gaps).toEqual([]);
    expect(d.facts.identity).toMatchObject({ vendor: 'Cisco', model: 'Catalyst 3750 stack', enterprise: 9, sysObjectId: '1.3.6.1.4.1.9.1.516' });
    // The chassis row 3001 of the recording: WS-C3750-48PS-S, serial CAT0952N20R, IOS 12.2(55)SE10.
    expect(d.facts.summary).toEqual({ vendor: 'Cisco', model: 'WS-C3750-48PS-S', serial: 'CAT0952N20R', software: '12.2(55)SE10' });
    expect(d.facts.system).toMatchObject({ sysName: 'Profiler3750', sysLocation: 'Bangalore' });
    // Every entPhysicalDescr row of the recording (58).
    expect(d.facts.entities!.length).toBe(58);
    expect(d.facts.entities!.find((e) => e.index === 3001)).toMatchObject({ class: 'chassis', hardwareRev: 'V05', firmwareRev: '12.2(55)SE10' });
    const port = d.facts.interfaces!.find((i) => i.ifName === 'Fa3/0/3')!;
    expect(port).toMatchObject({ ifDescr: 'FastEthernet3/0/3', ifType: 6 });
    expect(port.physAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('keeps going without ENTITY-MIB (ZTE recording) and says so', async () => {
    const d = await discoverDevice(pool, target('ce:ZTE', HOST.zte, SIM_PORT, 'zte'), null, opts);
    expect(d.gaps).toEqual(['ENTITY-MIB: not implemented by the agent (entPhysicalTable is empty)']);
    expect(d.facts.identity).toMatchObject({ vendor: 'ZTE', model: null, sysObjectId: '1.3.6.1.4.1.3902.3.100.5960' });
    expect(d.facts.summary).toMatchObject({ vendor: 'ZTE', serial: null, software: 'V5.00.10' });
    expect(d.facts.interfaces!.map((i) => [i.ifIndex, i.ifName, i.ifDescr])).toEqual([[1, null, 'xgei_2/1 UPLINK'], [2, null, 'gei_1/1 LAN'], [3, null, 'vlan1']]);
  });

  it('names garbage values and keeps the good ones', async () => {
    const d = await discoverDevice(pool, target('ce:GARBAGE', HOST.garbage, SIM_PORT, 'garbage'), null, opts);
    expect(d.gaps).toEqual([
      'system group: sysObjectID is not an OID (not-an-oid)',
      'ENTITY-MIB: 1 values of the wrong type (class), left out',
      'interfaces: 1 values of the wrong type (ifType), left out',
    ]);
    expect(d.facts.identity).toBeNull();
    expect(d.facts.summary.serial).toBe('SN-GARBAGE-1');
    expect(d.facts.interfaces).toEqual([expect.objectContaining({ ifIndex: 1, ifDescr: 'eth0', ifType: null, admin: 'up', oper: 'up' })]);
  });

  it("reads snmpd's system group and this machine's interfaces", async () => {
    const d = await discoverDevice(pool, target('ce:SNMPD', '127.0.0.1', SNMPD_PORT, 'snmpd'), null, opts);
    expect(d.facts.identity).toMatchObject({ vendor: 'net-snmp', model: 'net-snmp agent (Linux)' });
    expect(d.facts.system!.sysDescr).toMatch(/^Linux /);
    const lo = d.facts.interfaces!.find((i) => i.ifDescr === 'lo');
    expect(lo).toMatchObject({ ifType: 24, oper: 'up', admin: 'up' });
    expect(d.gaps.every((g) => g.startsWith('ENTITY-MIB'))).toBe(true);
  });

  it('a device that stops answering keeps its last good facts, the failure named, and reads as no change', async () => {
    const first = await discoverDevice(pool, target('ce:CISCO', HOST.cisco, SIM_PORT, 'cisco'), null, opts);
    const gone = await discoverDevice(pool, target('ce:CISCO', '127.0.0.1', DEAD_PORT, 'dead'), first.facts, opts);
    expect(gone.read).toEqual({ system: false, entities: false, interfaces: false });
    expect(gone.gaps).toEqual(['system group: timeout']);
    expect(gone.facts).toEqual(first.facts);
    expect(diffFacts(first.facts, gone.facts, gone.read, { at: 0, deviceId: 'ce:CISCO', siteId: 'S1', configuredNames: ['Fa3/0/3'] })).toEqual([]);
  });
});
