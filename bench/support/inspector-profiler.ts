import WebSocket from 'ws';
import type { CpuProfile } from './cpu-profile.js';

/**
 * A V8 CPU profile of another node process, over the Chrome DevTools protocol of its
 * `--inspect=127.0.0.1:<port>` listener: started and stopped by the bench, so the profile covers
 * exactly the span it measures (a `--cpu-prof` file would cover the whole life of the process).
 */
export interface RemoteProfiler {
  start(samplingIntervalUs?: number): Promise<void>;
  stop(): Promise<CpuProfile & { startTime: number; endTime: number }>;
  close(): void;
}

/** Waits for the inspector's HTTP endpoint and connects to the process's one target. */
export async function connectProfiler(port: number, timeoutMs = 60_000): Promise<RemoteProfiler> {
  const until = Date.now() + timeoutMs;
  let url: string | null = null;
  while (!url) {
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl?: string }[];
      url = targets[0]?.webSocketDebuggerUrl ?? null;
    } catch {
      // not listening yet
    }
    if (!url) {
      if (Date.now() > until) throw new Error(`no inspector on 127.0.0.1:${port} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const ws = new WebSocket(url, { maxPayload: 2 ** 31 - 1 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(new Error(`inspector: ${m.error.message}`));
    else p?.resolve(m.result);
  });
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('inspector connection closed'));
    pending.clear();
  });
  const call = <T>(method: string, params: object = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async start(samplingIntervalUs = 1000) {
      await call('Profiler.enable');
      await call('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
      await call('Profiler.start');
    },
    async stop() {
      const { profile } = await call<{ profile: CpuProfile & { startTime: number; endTime: number } }>('Profiler.stop');
      await call('Profiler.disable');
      return profile;
    },
    close: () => ws.close(),
  };
}
