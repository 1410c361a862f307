import snmp from 'net-snmp';
import { installOidCodecCache } from '../../collector/oid-codec-cache.js';
import { isLoopbackHost } from '../../sim/agents.js';
import { gatedDgram, type GateDecision } from '../../sim/gate.js';
import { LiveMib, type DeviceView, type IfRow } from '../../sim/mib.js';
import { answerGet } from './get-fast-path.js';

/**
 * The bench's agents for a fleet where every device has its own address: net-snmp's agent
 * (the simulator's MIB, `sim/mib.ts`) listening on thousands of loopback addresses at once,
 * one socket per address, so each reply leaves from the address that was asked (a socket on
 * 127.0.0.1 alone would see none of them, and 0.0.0.0 is not loopback-only). Every address
 * serves the same device: `lo` (ifIndex 1) and `eth0` (ifIndex 2), 64-bit counters growing at
 * 1 Mbit/s. A GET of OIDs the device has is answered by `answerGet` (get-fast-path.ts) without
 * the agent's MIB machinery; everything else goes to the agent. bench/poll starts a few of
 * these per 15,000 addresses (a process's file limit here is 20,000);
 * test/collector/bench-responder.test.ts checks its answers against snmpd.
 */

export interface BenchResponder {
  readonly addresses: number;
  /** Requests answered so far by the GET fast path and by net-snmp's agent. */
  answered(): { fastPath: number; agent: number };
  close(): Promise<void>;
}

const BPS = 1_000_000;

function benchView(origin: number): DeviceView {
  const uptime = (t: number) => 100 + Math.floor((t - origin) / 10);
  const row = (t: number, ifIndex: number): IfRow | null => {
    if (ifIndex !== 1 && ifIndex !== 2) return null;
    const octets = BigInt(Math.floor(((t - origin) * BPS) / 8000)) * BigInt(ifIndex);
    const lo = ifIndex === 1;
    return {
      ifIndex, descr: lo ? 'lo' : 'eth0', name: lo ? 'lo' : 'eth0', alias: '', type: lo ? 24 : 6, mtu: lo ? 65536 : 1500,
      speedBps: lo ? 10_000_000 : 1_000_000_000, adminUp: true, operUp: true, lastChangeCs: 0, discontinuityCs: 0,
      counters: {
        in64: octets, out64: octets, in32: Number(octets % 4294967296n), out32: Number(octets % 4294967296n),
        inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0,
      },
    };
  };
  return {
    sysDescr: 'demarc bench responder (net-snmp agent)', sysObjectID: '1.3.6.1.4.1.8072.3.2.10', sysName: 'bench', hostResources: true,
    uptimeCs: uptime, hostUptimeCs: uptime, ifIndexes: () => [1, 2], has64: () => true, row,
  };
}

/**
 * `fastPath: false` sends every request to net-snmp's agent; `origin` (epoch ms) is when the
 * devices booted, default now (the test compares two responders, one per path, on one origin).
 */
export async function startBenchResponder(opts: { addresses: readonly string[]; port: number; community: string; fastPath?: boolean; origin?: number }): Promise<BenchResponder> {
  const bad = opts.addresses.find((a) => !isLoopbackHost(a));
  if (bad) throw new Error(`bench responder: ${bad} is not a loopback address`);
  installOidCodecCache();
  const view = benchView(opts.origin ?? Date.now());
  const live = new LiveMib(view);
  const answered = { fastPath: 0, agent: 0 };
  const fast = opts.fastPath ?? true;
  // A GET the fast path answers is sent by the gate; anything else reaches the agent.
  const decide = (msg: Buffer): GateDecision => {
    const reply = fast ? answerGet(msg, opts.community, view, Date.now()) : null;
    if (!reply) return { answer: true, delayMs: 0 };
    answered.fastPath++;
    return { answer: 'direct', reply };
  };
  const beforeAgent = () => {
    answered.agent++;
    live.at(Date.now());
  };
  const dgramModule = gatedDgram({ decide, beforeAgent, onError: () => undefined });
  const agent = snmp.createAgent(
    { sockets: opts.addresses.map((address) => ({ transport: 'udp4', address, port: opts.port })), dgramModule } as unknown as Parameters<typeof snmp.createAgent>[0],
    () => undefined,
    live.mib,
  );
  agent.getAuthorizer().addCommunity(opts.community);
  await Promise.all(dgramModule.sockets.map((s) => s.ready));
  return {
    addresses: opts.addresses.length,
    answered: () => ({ ...answered }),
    close: () => new Promise<void>((resolve) => agent.close(() => resolve())),
  };
}
