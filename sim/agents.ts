import { isIP } from 'node:net';
import snmp from 'net-snmp';
import type { Logger } from '../core/logger.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { credentialsFor } from './credentials.js';
import { gatedDgram, type GateDecision } from './gate.js';
import { LiveMib, type DeviceView } from './mib.js';
import { hashInts, hashString } from './seeded-random.js';

/** Which device an address answers for. */
export type AgentRole = 'ce' | 'oob' | 'cpe' | 'headend';

export interface AgentSpec {
  host: string;
  port: number;
  role: AgentRole;
  /** The site (or, for a head-end, the sites) it serves; for messages. */
  label: string;
  profiles: SnmpProfile[];
  view: DeviceView;
  decide(t: number): GateDecision;
}

export interface SimAgent {
  readonly spec: AgentSpec;
  close(): Promise<void>;
}

/** The simulator binds loopback only: demarc's tests and demo never send to a real network. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** A stable engine ID per address (a real device keeps its engine ID across restarts). */
function engineIdFor(seed: number, host: string, port: number): string {
  const h = hashString(`${host}:${port}`);
  const hex = [1, 2, 3].map((k) => hashInts(seed, h, k).toString(16).padStart(8, '0')).join('');
  return `8000B98380${hex}`;
}

/** Starts one net-snmp agent on host:port behind a gated socket; rejects if it cannot bind. */
export async function startAgent(spec: AgentSpec, opts: { now: () => number; seed: number; logger: Logger }): Promise<SimAgent> {
  if (!isLoopbackHost(spec.host))
    throw new Error(`${spec.role} agent for ${spec.label}: ${spec.host} is not a loopback address; the simulator binds 127.0.0.0/8 or ::1 only`);
  const live = new LiveMib(spec.view);
  const log = opts.logger.child({ agent: `${spec.host}:${spec.port}`, role: spec.role });
  const dgramModule = gatedDgram({
    decide: () => spec.decide(opts.now()),
    beforeAgent: () => live.at(opts.now()),
    onError: (e) => log.warn({ err: e.message }, 'simulated agent did not answer a request'),
  });
  const creds = credentialsFor(spec.profiles, `${spec.role} agent ${spec.host}:${spec.port} (${spec.label})`);
  const agent = snmp.createAgent(
    {
      port: spec.port,
      address: spec.host === 'localhost' ? '127.0.0.1' : spec.host,
      transport: isIP(spec.host) === 6 ? 'udp6' : 'udp4',
      engineID: engineIdFor(opts.seed, spec.host, spec.port),
      dgramModule,
    },
    // Failed requests (wrong community, unknown user) arrive here: a real agent drops them too.
    (error: Error | null) => {
      if (error) log.debug({ err: error.message }, 'request refused');
    },
    live.mib,
  );
  for (const c of creds.communities) agent.getAuthorizer().addCommunity(c);
  for (const u of creds.users) agent.getAuthorizer().addUser(u);
  try {
    await Promise.all(dgramModule.sockets.map((s) => s.ready));
  } catch (e) {
    for (const s of dgramModule.sockets) {
      try {
        s.close();
      } catch {
        // never bound: nothing to close
      }
    }
    throw new Error(`${spec.role} agent for ${spec.label} cannot listen on ${spec.host}:${spec.port}/udp: ${(e as Error).message}`);
  }
  return {
    spec,
    close: () =>
      new Promise<void>((resolve) => {
        let open = dgramModule.sockets.length;
        if (!open) return resolve();
        agent.close(() => --open === 0 && resolve());
      }),
  };
}
