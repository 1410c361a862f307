import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { InfluxMetricStore } from '../../store/influx-metric-store.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import { startInfluxd, type Influxd } from '../support/influxd.js';
import { metricStoreContract } from './contract.js';
import { REL_TOLERANCE, difference } from './reference.js';

let influxd: Influxd;
beforeAll(async () => {
  influxd = await startInfluxd({ httpPort: 23110, rpcPort: 23111 });
});
afterAll(async () => {
  await influxd?.stop();
});

const options = { siteCount: 4, days: 31 };
const embeddedResults = new Map<string, unknown>();
const influxResults = new Map<string, unknown>();

metricStoreContract(
  'InfluxDB 1.x',
  async ({ sites, clock }) => {
    const dir = mkdtempSync(join(tmpdir(), 'demarc-influx-contract-'));
    const store = new InfluxMetricStore(
      { url: influxd.url, database: 'contract', spillPath: join(dir, 'spill.ndjson'), retention: { rawDays: 35, rollupDays: 730 }, batchSize: 5000 },
      { logger: silentLogger, clock, sites },
    );
    // The contract writes then queries at once: let each write reach InfluxDB before it returns.
    const writeRaw = store.writeRaw.bind(store);
    store.writeRaw = async (rows) => {
      try {
        await writeRaw(rows);
      } finally {
        await store.flush();
      }
    };
    return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  { ...options, record: influxResults },
);

metricStoreContract(
  'embedded (SQLite), for the cross-backend comparison',
  async ({ sites, clock }) => {
    const dir = mkdtempSync(join(tmpdir(), 'demarc-sqlite-cross-'));
    const store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock, sites });
    return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  { ...options, record: embeddedResults },
);

describe(`cross-backend: every query result equal within relative ${REL_TOLERANCE}`, () => {
  it('InfluxDB and SQLite answer every contract query the same', () => {
    expect(influxResults.size).toBeGreaterThan(10);
    expect([...influxResults.keys()].sort()).toEqual([...embeddedResults.keys()].sort());
    for (const [key, value] of influxResults) expect(difference(value, embeddedResults.get(key), key)).toBeNull();
  });
});
