import type { Site } from '../../core/inventory.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { DAY, MINUTE, bucketStart } from '../../store/resolution.js';

/**
 * One synthetic month of samples with known values, for the contract suite.
 * - Sites S01..S0n: one sample a minute (each site a few seconds off the minute), traffic from a
 *   fixed pseudo-random sequence, so every answer is reproducible and checkable by brute force.
 * - S01 is unreachable for three hours on day 10 (rates null, gap 'unreachable').
 * - S02 is missing six hours on day 20 (no samples at all: demarc was down).
 * - S03 has a counter-reset gap every 997th sample.
 * - K1, K2: small hand-computed distributions on day 5 (see KNOWN below).
 * The month starts at a Shanghai midnight 32 days before `now`, inside InfluxDB's 35-day raw retention.
 */

export const NOMINAL_BPS = 70_000_000;

export function monthStart(now: number): number {
  return bucketStart(now - 32 * DAY, DAY);
}

export function syntheticSites(count: number): Site[] {
  const ids = [...Array.from({ length: count }, (_, i) => `S${String(i + 1).padStart(2, '0')}`), 'K1', 'K2'];
  return ids.map((id, i) => ({
    id,
    name: `站点${id}`,
    nameEn: null,
    division: `第${(i % 3) + 1}师`,
    circuit: {
      id: `CIR-${id}`,
      bandwidthMbps: 70,
      activationDate: '2025-06-01',
      headend: { device: { host: '127.0.0.11', port: 16161, profile: 'p' }, ifName: `ge-0/0/${i}` },
      carrierGroup: `POP-${(i % 2) + 1}`,
    },
    ce: { device: { host: `127.0.1.${i + 1}`, port: 16161, profile: 'p' }, ifName: 'WAN0' },
    oob: null,
    cpe: null,
    contact: null,
    location: null,
  }));
}

/** A fixed pseudo-random value in [0, 1) for (site, minute): no Math.random, same every run. */
function noise(site: number, k: number): number {
  let x = (Math.imul(k + 1, 2654435761) ^ Math.imul(site + 7, 40503)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 2246822519) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 3266489917) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

function sample(siteId: string, at: number, inBps: number | null, outBps: number | null, gap: string | null, reachable = true): StoredSample {
  return {
    siteId,
    circuitId: `CIR-${siteId}`,
    at,
    rttMs: reachable ? 3 + (at % 7) : null,
    ceReachable: reachable,
    headendReachable: true,
    wanOper: reachable ? 1 : null,
    wanAdmin: reachable ? 1 : null,
    headendOper: 1,
    inBps,
    outBps,
    inUtilPct: inBps === null ? null : (inBps / NOMINAL_BPS) * 100,
    outUtilPct: outBps === null ? null : (outBps / NOMINAL_BPS) * 100,
    inErrorsPerSec: inBps === null ? null : 0,
    outErrorsPerSec: inBps === null ? null : 0,
    inDiscardsPerSec: inBps === null ? null : 0,
    outDiscardsPerSec: inBps === null ? null : 0,
    gap,
  };
}

/** The regular sites' samples for [start, start + days), minute by minute, all sites per minute. */
export function* monthSamples(start: number, siteCount: number, days: number): Generator<StoredSample[]> {
  const minutes = (days * DAY) / MINUTE;
  for (let k = 0; k < minutes; k++) {
    const batch: StoredSample[] = [];
    for (let s = 0; s < siteCount; s++) {
      const siteId = `S${String(s + 1).padStart(2, '0')}`;
      const at = start + k * MINUTE + (s + 1) * 1000;
      const day = Math.floor(k / 1440);
      const minuteOfDay = k % 1440;
      if (s === 1 && day === 20 && minuteOfDay >= 360 && minuteOfDay < 720) continue;
      if (s === 0 && day === 10 && minuteOfDay >= 120 && minuteOfDay < 300) {
        batch.push(sample(siteId, at, null, null, 'unreachable', false));
        continue;
      }
      if (s === 2 && k % 997 === 996) {
        batch.push(sample(siteId, at, null, null, 'counter reset'));
        continue;
      }
      // Busy hours (Shanghai 09:00-18:00) carry more; the noise makes percentiles non-trivial.
      const busy = minuteOfDay >= 540 && minuteOfDay < 1080 ? 1 : 0.3;
      const inBps = Math.round(busy * (10e6 + 50e6 * noise(s, k)) + s * 1e6);
      const outBps = Math.round(busy * (2e6 + 8e6 * noise(s + 100, k)));
      batch.push(sample(siteId, at, inBps, outBps, null));
    }
    yield batch;
  }
}

/**
 * Hand-computed cases on day 5 of the month, 10:00 Shanghai.
 * K1: 20 five-minute buckets; bucket j (1..20) holds 5 samples j·1e6 + {-2,-1,0,1,2}·1e5 in.
 *   in: avg 10.5e6, peak 20.2e6, p95 = rank floor(20·0.95+0.5) = 19 → 19e6.
 *   in utilization of bucket j is j/70·100 %: above 20.5 % for j = 15..20 → 6 buckets → 1800 s.
 * K2: 31 buckets; out of bucket j is j·1e6 (all samples); in is 1e6.
 *   out p95 = rank floor(31·0.95+0.5) = 29 → 29e6 (textbook ceil nearest-rank would say 30e6).
 *   bucket 1 has 2 gap samples (rates null), bucket 31 lacks its last 3 samples:
 *   over its 155 minutes: expected 155, samples 152, gaps 2.
 */
export function knownSamples(start: number): { samples: StoredSample[]; k1: { from: number; to: number }; k2: { from: number; to: number } } {
  const base = start + 5 * DAY + 2 * 3_600_000; // 10:00 Shanghai = 02:00 UTC
  const out: StoredSample[] = [];
  for (let j = 1; j <= 20; j++)
    for (let i = 0; i < 5; i++) out.push(sample('K1', base + ((j - 1) * 5 + i) * MINUTE, j * 1e6 + (i - 2) * 1e5, 1e6, null));
  const k2Base = base + 3 * 3_600_000;
  for (let j = 1; j <= 31; j++)
    for (let i = 0; i < 5; i++) {
      if (j === 31 && i >= 2) continue;
      const at = k2Base + ((j - 1) * 5 + i) * MINUTE;
      out.push(j === 1 && i < 2 ? sample('K2', at, null, null, 'reboot') : sample('K2', at, 1e6, j * 1e6, null));
    }
  return { samples: out, k1: { from: base, to: base + 100 * MINUTE }, k2: { from: k2Base, to: k2Base + 155 * MINUTE } };
}
