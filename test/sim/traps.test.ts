import snmp from 'net-snmp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { DYING_GASP_TRAP_OID, TRAP_OID } from '../../sim/traps.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { sleep } from './snmp-helpers.js';

// A real net-snmp trap receiver on loopback, accepting only the community the simulator is given.
const PORT = 20070;
const TRAP_PORT = 20071;
const COMMUNITY = 'demarc-traps';
let fx: FleetConfig;
let sim: FleetSimulator;
let receiver: { close(cb?: () => void): void; getAuthorizer(): { addCommunity(c: string): void } };

interface Got {
  from: string;
  trapOid: string;
  upTime: number;
  varbinds: { oid: string; value: unknown }[];
}
const got: Got[] = [];

beforeAll(async () => {
  fx = makeFleetConfig({ sites: 6, agentPort: PORT });
  receiver = snmp.createReceiver({ port: TRAP_PORT, address: '127.0.0.1' }, (error: Error | null, n: { pdu: { varbinds: { oid: string; value: unknown }[] }; rinfo: { address: string } }) => {
    if (error || !n) return;
    const vbs = n.pdu.varbinds;
    got.push({ from: n.rinfo.address, upTime: Number(vbs[0]!.value), trapOid: String(vbs[1]!.value), varbinds: vbs.slice(2) });
  });
  receiver.getAuthorizer().addCommunity(COMMUNITY);
  sim = await startFleetSimulator({ config: fx.config, controlPort: null, trapTarget: { host: '127.0.0.1', port: TRAP_PORT, community: COMMUNITY } });
});
afterEach(() => {
  sim.clearAll();
  got.length = 0;
});
afterAll(async () => {
  await sim?.stop();
  receiver?.close();
  fx?.cleanup();
});

async function waitFor(n: number, ms = 3000): Promise<Got[]> {
  const end = Date.now() + ms;
  while (got.length < n && Date.now() < end) await sleep(20);
  return [...got];
}
const kinds = (list: Got[]) => list.map((g) => g.trapOid);

describe('traps from the CE', () => {
  it('line cut at a site with OOB: linkDown from the CE address, then linkUp at restore', async () => {
    const f = sim.inject({ kind: 'line-cut', target: 'D01-R004' });
    const [down] = await waitFor(1);
    expect(down).toMatchObject({ from: '127.0.1.4', trapOid: TRAP_OID.linkDown });
    const wan = sim.siteState('D01-R004').ce.wanIfIndex;
    expect(down!.varbinds.map((v) => [v.oid, v.value instanceof Buffer ? v.value.toString() : v.value])).toEqual([
      [`1.3.6.1.2.1.2.2.1.1.${wan}`, wan],
      [`1.3.6.1.2.1.2.2.1.7.${wan}`, 1],
      [`1.3.6.1.2.1.2.2.1.8.${wan}`, 2],
      [`1.3.6.1.2.1.31.1.1.1.1.${wan}`, 'GigabitEthernet0/0/0'],
    ]);
    const st = sim.siteState('D01-R004');
    const uptimeAtCut = st.ce.uptimeSec * 100 - (st.at - f.fault.startsAt) / 10;
    expect(Math.abs(down!.upTime - uptimeAtCut)).toBeLessThanOrEqual(1);
    f.clear();
    const both = await waitFor(2);
    expect(kinds(both)).toEqual([TRAP_OID.linkDown, TRAP_OID.linkUp]);
    expect(both[1]!.varbinds[2]!.value).toBe(1);
  });

  it('line cut at a site without OOB: the linkDown cannot leave, the linkUp arrives', async () => {
    const f = sim.inject({ kind: 'line-cut', target: 'D01-R003' });
    await sleep(300);
    expect(got).toEqual([]);
    f.clear();
    const [up] = await waitFor(1);
    expect(up).toMatchObject({ from: '127.0.1.3', trapOid: TRAP_OID.linkUp });
  });

  it('power loss: a dying gasp, then coldStart and linkUp once booted', async () => {
    const f = sim.inject({ kind: 'power-loss', target: 'D01-R005', params: { bootSec: 0.3 } });
    const [gasp] = await waitFor(1);
    expect(gasp).toMatchObject({ from: '127.0.1.5', trapOid: DYING_GASP_TRAP_OID });
    f.clear();
    const all = await waitFor(3, 4000);
    expect(kinds(all)).toEqual([DYING_GASP_TRAP_OID, TRAP_OID.coldStart, TRAP_OID.linkUp]);
    expect(all[1]!.upTime).toBe(200); // the WAN link came up 2 s after the agent
  });

  it('agent restart: warmStart when the agent is back', async () => {
    sim.inject({ kind: 'agent-restart', target: 'D01-R006', params: { silentSec: 0.3 } });
    const [warm] = await waitFor(1);
    expect(warm).toMatchObject({ from: '127.0.1.6', trapOid: TRAP_OID.warmStart });
    expect(warm!.upTime).toBeLessThan(50);
  });

  it('a flap at a site with OOB: a linkDown and a linkUp per cut', async () => {
    sim.inject({ kind: 'flap', target: 'D01-R004', params: { count: 2, downMs: 200, upMs: 200 } });
    const all = await waitFor(4);
    expect(kinds(all)).toEqual([TRAP_OID.linkDown, TRAP_OID.linkUp, TRAP_OID.linkDown, TRAP_OID.linkUp]);
  });

  it('nothing reaches an isolated center', async () => {
    sim.inject({ kind: 'noc-isolation' });
    const cut = sim.inject({ kind: 'line-cut', target: 'D01-R004' });
    cut.clear();
    await sleep(300);
    expect(got).toEqual([]);
  });
});
