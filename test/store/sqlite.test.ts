import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import { metricStoreContract } from './contract.js';

metricStoreContract(
  'embedded (SQLite)',
  async ({ sites, clock }) => {
    const dir = mkdtempSync(join(tmpdir(), 'demarc-sqlite-contract-'));
    const store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock, sites });
    return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  { siteCount: 4, days: 31 },
);
