import snmp from 'net-snmp';
import { isLoopbackHost } from '../../sim/agents.js';
import { gatedDgram } from '../../sim/gate.js';
import { LiveMib, type DeviceView, type IfRow } from '../../sim/mib.js';

/**
 * The bench's agents for a fleet where every device has its own address: net-snmp's agent
 * (the simulator's MIB, `sim/mib.ts`) listening on thousands of loopback addresses at once,
 * one socket per address, so each reply leaves from the address that was asked (a socket on
 * 127.0.0.1 alone would see none of them, and 0.0.0.0 is not loopback-only). Every address
 * serves the same device: `lo` (ifIndex 1) and `eth0` (ifIndex 2), 64-bit counters growing at
 * 1 Mbit/s. bench/poll starts a few of these per 15,000 addresses (a process's file limit here
 * is 20,000); test/collector/bench-responder.test.ts checks its answers against snmpd.
 */

export interface BenchResponder {
  readonly addresses: number;
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

export async function startBenchResponder(opts: { addresses: readonly string[]; port: number; community: string }): Promise<BenchResponder> {
  const bad = opts.addresses.find((a) => !isLoopbackHost(a));
  if (bad) throw new Error(`bench responder: ${bad} is not a loopback address`);
  const live = new LiveMib(benchView(Date.now()));
  const dgramModule = gatedDgram({ decide: () => ({ answer: true, delayMs: 0 }), beforeAgent: () => live.at(Date.now()), onError: () => undefined });
  const agent = snmp.createAgent(
    { sockets: opts.addresses.map((address) => ({ transport: 'udp4', address, port: opts.port })), dgramModule } as unknown as Parameters<typeof snmp.createAgent>[0],
    () => undefined,
    live.mib,
  );
  agent.getAuthorizer().addCommunity(opts.community);
  await Promise.all(dgramModule.sockets.map((s) => s.ready));
  return {
    addresses: opts.addresses.length,
    close: () => new Promise<void>((resolve) => agent.close(() => resolve())),
  };
}
