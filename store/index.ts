import type { DemarcConfig } from '../config/load.js';
import type { MetricStore, MetricStoreDeps } from './metric-store.js';
import { InfluxMetricStore } from './influx-metric-store.js';
import { SqliteMetricStore } from './sqlite-metric-store.js';

export type * from './metric-store.js';
export { InfluxMetricStore, type InfluxMetricStoreOptions } from './influx-metric-store.js';
export { SqliteMetricStore, type SqliteMetricStoreOptions } from './sqlite-metric-store.js';
export { SampleRejectedError, toStoredSample } from './stored-sample.js';

/** The metric store config.store.backend names; call init() on it before use. */
export function createMetricStore(config: Pick<DemarcConfig, 'store'>, deps: MetricStoreDeps): MetricStore {
  return createBackendStore(config, config.store.backend, deps);
}

/** A store of the named backend with the settings of demarc.yaml (for `demarc metrics migrate --from X --to Y`). */
export function createBackendStore(config: Pick<DemarcConfig, 'store'>, backend: 'embedded' | 'influx', deps: MetricStoreDeps): MetricStore {
  const { store } = config;
  if (backend === 'influx') {
    const influx = store.influx;
    if (!influx) throw new Error('the influx metric store needs a store.influx section (url, database) in demarc.yaml');
    return new InfluxMetricStore(
      { url: influx.url, database: influx.database, username: influx.username, password: influx.password, spillPath: influx.spillPath, retention: store.retention },
      deps,
    );
  }
  return new SqliteMetricStore({ path: store.embedded.path, retention: store.retention }, deps);
}
