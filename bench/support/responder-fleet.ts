import { join } from 'node:path';
import { forkTs, type TsChild } from './child.js';
import type { ResponderCommand, ResponderEvent } from './responder-child.js';
import type { SnmpdFleet } from './snmpd-fleet.js';

/** Addresses per responder process: a process may open 20,000 files here. */
const PER_PROCESS = 15_000;

/**
 * The i-th address of a fleet where every device has its own: 127.30.0.1 … 127.30.0.250,
 * 127.30.1.1, …, 127.31.0.1 after 62,500 (no .0 or .255 host parts). Linux routes all of
 * 127.0.0.0/8 to lo, so none of them needs configuring.
 */
export function distinctAddress(i: number): string {
  return `127.${30 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
}

/** Bench responders (bench-responder.ts) on `devices` distinct loopback addresses, a process per 15,000. */
export async function startResponderFleet(opts: { devices: number; port: number; community: string; dir: string }): Promise<SnmpdFleet> {
  const endpoints = Array.from({ length: opts.devices }, (_, i) => ({ host: distinctAddress(i), port: opts.port }));
  const children: TsChild<ResponderCommand, ResponderEvent>[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
  };
  try {
    for (let from = 0, p = 0; from < endpoints.length; from += PER_PROCESS, p++) {
      const child = forkTs<ResponderCommand, ResponderEvent>(join(import.meta.dirname, 'responder-child.ts'), { stderrFile: join(opts.dir, `responder-${p}.log`) });
      children.push(child);
      child.send({ type: 'start', addresses: endpoints.slice(from, from + PER_PROCESS).map((e) => e.host), port: opts.port, community: opts.community });
    }
    await Promise.all(children.map((c) => c.next('ready', 180_000)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoints, community: opts.community, pids: children.map((c) => c.pid), stop };
}
