import { io, type Socket } from 'socket.io-client';
import type { CycleStats } from '../../core/events.js';

/** One `cycle` event as the wall's socket.io client received it. */
export interface CycleArrival {
  report: CycleStats;
  sites: number;
  /** Bytes of the socket.io packet on the wire (the engine.io message, UTF-8). */
  bytes: number;
  /** Local clock when the event's handler ran (the server shares this machine's clock). */
  arrivedAt: number;
  /** arrivedAt − report.finishedAt: serialised, sent, received, parsed. */
  lagMs: number;
}

export interface LiveClient {
  /** Incident events received so far, by type (`incident:opened`, …). */
  readonly incidents: Map<string, number>;
  /** The next `cycle` event. */
  nextCycle(timeoutMs: number): Promise<CycleArrival>;
  close(): void;
}

/**
 * A real socket.io client authenticated as the wall (`Authorization: Bearer <display token>`),
 * over the websocket transport as the browser uses. Packet sizes come from engine.io's raw
 * messages, so they are what crossed the wire, not a re-serialisation.
 */
export async function connectLiveClient(url: string, token: string): Promise<LiveClient> {
  const socket: Socket = io(url, { transports: ['websocket'], extraHeaders: { authorization: `Bearer ${token}` }, reconnection: true });
  const incidents = new Map<string, number>();
  const queue: CycleArrival[] = [];
  const waiters: (() => void)[] = [];
  let lastCycleBytes = 0;
  const hookEngine = () =>
    socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
      if (p.type === 'message' && typeof p.data === 'string' && p.data.startsWith('2["cycle"')) lastCycleBytes = Buffer.byteLength(p.data) + 1;
    });
  socket.io.on('open', hookEngine);
  socket.on('cycle', (m: { report: CycleStats; sites: unknown[] }) => {
    const arrivedAt = Date.now();
    queue.push({ report: m.report, sites: m.sites.length, bytes: lastCycleBytes, arrivedAt, lagMs: arrivedAt - m.report.finishedAt });
    for (const w of waiters.splice(0)) w();
  });
  socket.onAny((event: string) => {
    if (event.startsWith('incident:')) incidents.set(event, (incidents.get(event) ?? 0) + 1);
  });
  // socket.io retries a failed handshake by itself; give up after a few, naming the cause.
  await new Promise<void>((resolve, reject) => {
    let failures = 0;
    const onError = (err: Error & { description?: { message?: string; error?: Error } }) => {
      const cause = err.description?.error?.message ?? err.description?.message ?? '';
      if (++failures < 5) return;
      socket.off('connect_error', onError);
      socket.close();
      reject(new Error(`socket.io: ${err.message}${cause ? ` (${cause})` : ''}, ${failures} attempts`));
    };
    socket.on('connect_error', onError);
    socket.once('connect', () => {
      socket.off('connect_error', onError);
      resolve();
    });
  });
  return {
    incidents,
    nextCycle(timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no cycle event within ${timeoutMs} ms`)), timeoutMs);
        const look = () => {
          const c = queue.shift();
          if (c) {
            clearTimeout(timer);
            resolve(c);
          } else waiters.push(look);
        };
        look();
      });
    },
    close: () => socket.close(),
  };
}
