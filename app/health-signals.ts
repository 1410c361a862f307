import type { CycleStats } from '../core/events.js';
import type { HealthSignal } from '../alerts/alert.js';
import type { StoreHealth } from '../store/metric-store.js';
import type { TrapStats } from '../collector/trap-receiver.js';

/**
 * demarc's own health as alert signals, once per cycle. A signal that is not active clears
 * its alert; sending the inactive ones every cycle costs nothing.
 */
export function healthSignals(s: { stats: CycleStats; store: StoreHealth; traps: TrapStats | null; now: number }): HealthSignal[] {
  const out: HealthSignal[] = [
    { kind: 'collector-overrun', source: 'collector', at: s.now, active: s.stats.overrun, detail: `cycle ${s.stats.cycle} took ${s.stats.durationMs} ms` },
    {
      kind: 'store-backlog',
      source: s.store.backend,
      at: s.now,
      active: !s.store.ok || s.store.backlog > 0,
      detail: s.store.lastError ?? `${s.store.backlog} samples waiting`,
    },
  ];
  if (s.traps) out.push({ kind: 'trap-receiver-down', source: 'traps', at: s.now, active: !s.traps.listening, detail: s.traps.error ?? 'trap receiver not listening' });
  return out;
}
