/**
 * The ceiling: a bare net-snmp GET loop with nothing else in it (no scheduling, no rates, no
 * samples), `concurrency` GETs in flight against the same agents the collector uses: of the
 * issue's 6 reference OIDs, or of the varbinds of demarc's own CE poll.
 */
import snmp from 'net-snmp';
import { IF_NAME } from '../../collector/oids.js';
import { cePortLayout } from '../../collector/port-oids.js';
import type { AgentEndpoint } from './snmpd-fleet.js';

export type BareCommand = { type: 'run'; endpoints: AgentEndpoint[]; community: string; concurrency: number; seconds: number; oids: string[] } | { type: 'exit' };
export type BareEvent =
  | { type: 'started' }
  | { type: 'done'; gets: number; failures: number; elapsedMs: number }
  | { type: 'failed'; error: string };

/** sysUpTime and five columns of ifIndex 1: the six OIDs of the reference measurement. */
export const SIX_OIDS = ['1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.31.1.1.1.6.1', '1.3.6.1.2.1.31.1.1.1.10.1', '1.3.6.1.2.1.2.2.1.8.1', '1.3.6.1.2.1.2.2.1.14.1', '1.3.6.1.2.1.31.1.1.1.15.1'];
/**
 * The varbinds of demarc's steady-state CE poll (collector/port-oids.ts, a port known to have
 * 64-bit counters), ifIndex 1: the same GET the collector sends, without the collector around it.
 */
export const CE_POLL_OIDS: string[] = [...cePortLayout(1, IF_NAME, 'hc').oids];

const send = (e: BareEvent) => void process.send?.(e);

async function run(endpoints: AgentEndpoint[], community: string, concurrency: number, seconds: number, oids: string[]): Promise<void> {
  const sessions = endpoints.map((e) => {
    const s = snmp.createSession(e.host, community, { port: e.port, timeout: 2000, retries: 1, version: snmp.Version2c });
    s.on('error', () => undefined);
    return s;
  });
  const get = (i: number) =>
    new Promise<boolean>((resolve) => sessions[i % sessions.length]!.get(oids, (err) => resolve(!err)));
  // Warm up every session once (ARP-free loopback, but sockets and agent caches).
  await Promise.all(sessions.map((_, i) => get(i)));
  send({ type: 'started' });
  const started = Date.now();
  const until = started + seconds * 1000;
  let gets = 0;
  let failures = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        if (await get(next++)) gets++;
        else failures++;
      }
    }),
  );
  const elapsedMs = Date.now() - started;
  for (const s of sessions) s.close();
  send({ type: 'done', gets, failures, elapsedMs });
}

process.on('message', (cmd: BareCommand) => {
  if (cmd.type === 'exit') return process.disconnect?.();
  run(cmd.endpoints, cmd.community, cmd.concurrency, cmd.seconds, cmd.oids).catch((err: unknown) => send({ type: 'failed', error: String(err) }));
});
