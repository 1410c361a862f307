/**
 * The ceiling: a bare net-snmp GET loop with nothing else in it (no scheduling, no rates, no
 * samples), `concurrency` GETs in flight against the same agents the collector uses: of the
 * issue's 6 reference OIDs, or of the varbinds of demarc's own CE poll.
 */
import snmp from 'net-snmp';
import { IF_NAME } from '../../collector/oids.js';
import { cePortLayout } from '../../collector/port-oids.js';
import type { AgentEndpoint } from './snmpd-fleet.js';

export type BareCommand =
  | {
      type: 'run'; endpoints: AgentEndpoint[]; community: string; concurrency: number; seconds: number; oids: string[];
      /**
       * Sessions (one socket each, as net-snmp does) kept open at most; beyond it the least
       * recently used idle one is closed. A process may open 20,000 files here, so a loop over
       * 100,000 devices opens and closes a socket per GET: what net-snmp alone costs at that size.
       */
      maxOpen: number;
    }
  | { type: 'exit' };
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

async function run(endpoints: AgentEndpoint[], community: string, concurrency: number, seconds: number, oids: string[], maxOpen: number): Promise<void> {
  /** Open sessions by endpoint index, least recently used first (a Map keeps insertion order). */
  const sessions = new Map<number, snmp.Session>();
  const busy = new Set<number>();
  const session = (i: number): snmp.Session => {
    let s = sessions.get(i);
    if (s) {
      sessions.delete(i);
    } else {
      const e = endpoints[i]!;
      s = snmp.createSession(e.host, community, { port: e.port, timeout: 2000, retries: 1, version: snmp.Version2c });
      s.on('error', () => undefined);
      for (const [j, old] of sessions) {
        if (sessions.size < maxOpen) break;
        if (busy.has(j)) continue;
        old.close();
        sessions.delete(j);
      }
    }
    sessions.set(i, s);
    return s;
  };
  const get = (n: number) => {
    const i = n % endpoints.length;
    busy.add(i);
    return new Promise<boolean>((resolve) =>
      session(i).get(oids, (err) => {
        busy.delete(i);
        resolve(!err);
      }),
    );
  };
  // Warm up the sessions that stay open (ARP-free loopback, but sockets and agent caches).
  const warm = Math.min(endpoints.length, maxOpen);
  for (let from = 0; from < warm; from += concurrency) await Promise.all(Array.from({ length: Math.min(concurrency, warm - from) }, (_, k) => get(from + k)));
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
  for (const s of sessions.values()) s.close();
  send({ type: 'done', gets, failures, elapsedMs });
}

process.on('message', (cmd: BareCommand) => {
  if (cmd.type === 'exit') return process.disconnect?.();
  run(cmd.endpoints, cmd.community, cmd.concurrency, cmd.seconds, cmd.oids, cmd.maxOpen).catch((err: unknown) => send({ type: 'failed', error: String(err) }));
});
