import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { loadConfig } from '../../config/load.js';
import { createMetricStore } from '../../store/index.js';
import type { StoredSample } from '../../store/stored-sample.js';

const MINUTE = 60_000;

/**
 * Writes `minutes` of healthy one-minute history for every site of a bench config into its
 * metric store, ending a minute before `now`, before `demarc serve` starts. Without it a fresh
 * store makes the minute jobs look cheap: the wall's live capacity scan reads each site's last
 * `outage.capacity.live.windowMinutes` (60) of samples, and a store a few minutes old has only a
 * few. The values are what the bench responders report: every port up, about 1 Mbit/s each way.
 * Returns the samples written.
 */
export async function prefillHistory(configPath: string, minutes: number, now = Date.now()): Promise<number> {
  if (minutes <= 0) return 0;
  const config = loadConfig(configPath);
  const sites = config.inventory.sites;
  const store = createMetricStore(config, { logger: silentLogger, clock: systemClock, sites });
  await store.init();
  let written = 0;
  try {
    const first = Math.floor(now / MINUTE) * MINUTE - minutes * MINUTE;
    for (let k = 0; k < minutes; k++) {
      const rows: StoredSample[] = sites.map((site, i) => ({
        siteId: site.id,
        circuitId: site.circuit.id,
        // Spread over the minute as the collector spreads its polls.
        at: first + k * MINUTE + Math.floor((i / sites.length) * 0.4 * MINUTE),
        rttMs: 1,
        ceReachable: true,
        headendReachable: true,
        wanOper: 1,
        wanAdmin: 1,
        headendOper: 1,
        inBps: 1e6,
        outBps: 1e6,
        inUtilPct: (100 * 1e6) / (site.circuit.bandwidthMbps * 1e6),
        outUtilPct: (100 * 1e6) / (site.circuit.bandwidthMbps * 1e6),
        inErrorsPerSec: 0,
        outErrorsPerSec: 0,
        inDiscardsPerSec: 0,
        outDiscardsPerSec: 0,
        gap: null,
      }));
      await store.writeRaw(rows);
      written += rows.length;
    }
  } finally {
    await store.flush();
    await store.close();
  }
  return written;
}
