import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { InfluxClient } from '../../store/influx-client.js';
import { InfluxMetricStore } from '../../store/influx-metric-store.js';
import { continuousQueries } from '../../store/influx-schema.js';
import { sampleLines } from '../../store/line-protocol.js';
import { startInfluxd, type Influxd } from '../support/influxd.js';
import { writerSample } from './fixtures/writer-sample.js';

let influxd: Influxd;
let dir: string;
beforeAll(async () => {
  influxd = await startInfluxd({ httpPort: 23130, rpcPort: 23131 });
  dir = mkdtempSync(join(tmpdir(), 'demarc-influx-schema-'));
});
afterAll(async () => {
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const store = (rawDays: number) =>
  new InfluxMetricStore(
    { url: influxd.url, database: 'schema', spillPath: join(dir, 'spill.ndjson'), retention: { rawDays, rollupDays: 730 } },
    { logger: silentLogger, clock: systemClock, sites: [] },
  );

describe('InfluxDB schema made by init()', () => {
  it('creates the retention policies and continuous queries, idempotently, and follows config changes', async () => {
    const client = new InfluxClient({ url: influxd.url, database: 'schema' });
    await client.influx.createDatabase('schema');
    await client.query(`CREATE CONTINUOUS QUERY demarc_5m_0_stale ON schema BEGIN SELECT count(ce_reachable) INTO "schema"."autogen"."x" FROM "schema"."autogen"."status" GROUP BY time(5m) END`, { post: true });
    await client.query(`CREATE CONTINUOUS QUERY grafana_own ON schema BEGIN SELECT mean(in_bps) INTO "schema"."autogen"."mine" FROM "schema"."autogen"."throughput" GROUP BY time(1h), * END`, { post: true });

    expect((await client.influx.showContinousQueries('schema')).map((c) => c.name).sort()).toEqual(['demarc_5m_0_stale', 'grafana_own']);
    for (let i = 0; i < 2; i++) {
      const s = store(35);
      await s.init();
      await s.close();
    }
    const rps = await client.influx.showRetentionPolicies('schema');
    expect(rps.find((r) => r.name === 'raw')).toMatchObject({ duration: '840h0m0s', default: true });
    expect(rps.find((r) => r.name === 'rollup')).toMatchObject({ duration: '17520h0m0s', default: false });
    const cqs = (await client.influx.showContinousQueries('schema')).map((c) => c.name).sort();
    expect(cqs).toEqual([...continuousQueries('schema').map((c) => c.name), 'grafana_own'].sort());
    expect(cqs.filter((n) => n.startsWith('demarc_'))).toHaveLength(5); // 3 from raw to 5m, 5m→1h, 1h→1d

    const longer = store(40);
    await longer.init();
    await longer.close();
    expect((await client.influx.showRetentionPolicies('schema')).find((r) => r.name === 'raw')).toMatchObject({ duration: '960h0m0s', default: true });
  });

  it('a sample is three points with the four tags; a gap has no throughput point', () => {
    const tags = { division: '第一师', carrierGroup: 'POP 1' };
    const ok = sampleLines(writerSample('S01', 1_700_000_000_000, 0), tags);
    expect(ok).toHaveLength(3);
    expect(ok[0]).toBe(
      'throughput,carrier_group=POP\\ 1,circuit_id=CIR-S01,division=第一师,site_id=S01 in_bps=1000000,out_bps=2000000,in_util_pct=1.4285714285714286,out_util_pct=2.857142857142857,in_errors_ps=0,out_errors_ps=0,in_discards_ps=0,out_discards_ps=0 1700000000000',
    );
    expect(ok[1]).toBe('status,carrier_group=POP\\ 1,circuit_id=CIR-S01,division=第一师,site_id=S01 ce_reachable=1i,headend_reachable=1i,wan_oper=1i,wan_admin=1i,headend_oper=1i 1700000000000');
    expect(ok[2]).toBe('poll,carrier_group=POP\\ 1,circuit_id=CIR-S01,division=第一师,site_id=S01 gap=0i,rtt_ms=4.5 1700000000000');
    const gap = { ...writerSample('S01', 1_700_000_000_000, 0), inBps: null, outBps: null, inUtilPct: null, outUtilPct: null, inErrorsPerSec: null, outErrorsPerSec: null, inDiscardsPerSec: null, outDiscardsPerSec: null, gap: 'counter "reset"', rttMs: null };
    const lines = sampleLines(gap, tags);
    expect(lines.map((l) => l.split(',')[0])).toEqual(['status', 'poll']);
    expect(lines[1]).toBe('poll,carrier_group=POP\\ 1,circuit_id=CIR-S01,division=第一师,site_id=S01 gap=1i,gap_reason="counter \\"reset\\"" 1700000000000');
  });
});
