import type { FaultInput } from './faults.js';
import type { faultDto } from './control-api.js';
import type { SimSiteState } from './fleet.js';

/** The simulator's control API as the `demarc sim` CLI verbs call it. */

export type FaultDto = ReturnType<typeof faultDto>;

export class SimControlError extends Error {
  constructor(readonly status: number, message: string, readonly field: string | null) {
    super(message);
    this.name = 'SimControlError';
  }
}

export function simControl(baseUrl: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new SimControlError(0, `simulator control API at ${baseUrl} is not reachable: ${(e as Error).message}`, null);
    }
    const payload = (await res.json().catch(() => ({}))) as { error?: string; field?: string };
    if (!res.ok) throw new SimControlError(res.status, payload.error ?? `HTTP ${res.status}`, payload.field ?? null);
    return payload as T;
  };
  return {
    health: () => call<{ ok: boolean; sites: number; agents: number; activeFaults: number }>('GET', '/health'),
    faults: () => call<FaultDto[]>('GET', '/faults'),
    inject: (fault: FaultInput) => call<FaultDto>('POST', '/faults', fault),
    clear: (id: string) => call<FaultDto>('DELETE', `/faults/${encodeURIComponent(id)}`),
    clearAll: () => call<FaultDto[]>('DELETE', '/faults'),
    siteState: (siteId: string) => call<SimSiteState>('GET', `/sites/${encodeURIComponent(siteId)}/state`),
    trueRate: (siteId: string, from: Date, to: Date) =>
      call<{ siteId: string; from: string; to: string; inBps: number; outBps: number }>(
        'GET', `/sites/${encodeURIComponent(siteId)}/true-rate?from=${from.toISOString()}&to=${to.toISOString()}`),
  };
}
