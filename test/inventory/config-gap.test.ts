import { healthIssueLine, type HealthIssue } from '../../core/health-terms.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { IfIndexResolver } from '../../collector/if-index-resolver.js';
import { SessionPool } from '../../collector/session-pool.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { startSnmpsim, type RunningSnmpsim } from '../support/snmpsim.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';
import { bearer } from '../support/auth.js';
import { until } from '../support/wait.js';

// Issue 15 item 3, as measured with recorded devices: a ZTE switch without ifName whose ifDescr
// is "xgei_2/1 UPLINK", and a head-end without the configured Eth-Trunk9. A configured port
// that does not resolve is a configuration gap: degraded health naming it, one config-gap
// alert, never an outage, never a silent null.

const PORT = 24500;
const FIXTURES = join(import.meta.dirname, '../fixtures/snmprec');
const HOST = { zte: '127.0.24.1', headend: '127.0.24.2' } as const;

let sim: RunningSnmpsim;
let demarc: RunningDemarc;
let reader: Record<string, string> = {};
let configDir = '';

async function get(path: string): Promise<any> {
  const res = await fetch(demarc.url + '/api' + path, { headers: reader });
  expect(res.status, path).toBe(200);
  return res.json();
}


beforeAll(async () => {
  sim = await startSnmpsim({
    hosts: [HOST.zte, HOST.headend],
    port: PORT,
    devices: { zte: join(FIXTURES, 'zte-switch.snmprec'), 'headend-router': join(FIXTURES, 'headend-router.snmprec') },
  });
  const port = String(PORT);
  const row = (site_id: string, wanIf: string, headendIf: string) =>
    siteRow({ site_id, ce_host: HOST.zte, ce_port: port, ce_snmp_profile: 'zte', ce_wan_if: wanIf, headend_host: HOST.headend, headend_port: port, headend_snmp_profile: 'headend', headend_if: headendIf });
  const { config, dir } = writeTempConfig(
    {
      snmp: {
        profiles: {
          zte: { version: '2c', community: 'zte', timeoutMs: 1500, retries: 1 },
          headend: { version: '2c', community: 'headend-router', timeoutMs: 1500, retries: 1 },
        },
      },
      collector: { intervalSec: 1, concurrency: 4 },
      api: { host: '127.0.0.1', port: 0 },
      traps: { enabled: false, port: 0 },
      alerts: {
        language: 'zh-CN',
        channels: [{ id: 'log', type: 'log' }],
        contacts: [{ id: 'noc-duty', name: 'NOC 值班', channels: ['log'] }],
        rotations: [{ id: 'noc', shifts: [{ days: ['all'], from: '00:00', to: '00:00', chain: ['noc-duty'] }], fallback: ['noc-duty'] }],
        routes: [{ match: {}, to: ['noc'] }],
      },
    },
    [
      row('ZTE-FIRST-WORD', 'xgei_2/1', 'Eth-Trunk1.1001'),
      row('ZTE-MISNAMED-WAN', 'xgei_9/9', 'Eth-Trunk1.1002'),
      row('MISNAMED-HEADEND', 'gei_1/1', 'Eth-Trunk9'),
    ],
  );
  configDir = dir;
  demarc = await startDemarc(config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined });
  reader = bearer(demarc.identity, ['viewer'], 'config-gap-test');
}, 60_000);

afterAll(async () => {
  await demarc?.stop();
  await sim?.stop();
});

describe('a configured port that does not resolve (issue 15, item 3)', () => {
  it('resolves the ZTE port by the first word of its ifDescr and says so', async () => {
    const pool = new SessionPool(new Map([['zte', { version: '2c', community: { reveal: () => 'zte' } as never, timeoutMs: 1500, retries: 1 } as never]]), 1, silentLogger);
    try {
      const table = await new IfIndexResolver(pool).resolve({ host: HOST.zte, port: PORT, profile: 'zte' }, ['xgei_2/1', 'gei_1/1 LAN']);
      expect(table.get('xgei_2/1')).toMatchObject({ ifIndex: 1, matchedBy: 'ifDescr-first-word' });
      expect(table.get('gei_1/1 LAN')).toMatchObject({ ifIndex: 2, matchedBy: 'ifDescr' });
    } finally {
      pool.close();
    }
  });

  it('degrades /api/health naming the site, the device and the name of both gaps', async () => {
    const health = await until('both gaps in /api/health', async () => {
      const h = await get('/health');
      return h.configGaps.length === 2 ? h : null;
    });
    expect(health.status).toBe('degraded');
    const text = (health.problems as string[]).join('\n');
    // The console's issues say the same findings as codes, one for one and in the same order.
    const issues = health.issues as HealthIssue[];
    expect(issues.map(healthIssueLine)).toEqual(health.problems);
    expect(issues.filter((i) => i.kind === 'config-gap').map((i) => i.params)).toEqual(
      expect.arrayContaining([
        { siteId: 'ZTE-MISNAMED-WAN', side: 'ce', ifName: 'xgei_9/9', device: `${HOST.zte}:${PORT}` },
        { siteId: 'MISNAMED-HEADEND', side: 'headend', ifName: 'Eth-Trunk9', device: `${HOST.headend}:${PORT}` },
      ]),
    );
    expect(text).toContain(`site ZTE-MISNAMED-WAN: CE WAN port "xgei_9/9" not found on ${HOST.zte}:${PORT}`);
    expect(text).toContain(`site MISNAMED-HEADEND: head-end port "Eth-Trunk9" not found on ${HOST.headend}:${PORT}`);
    expect(health.configGaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ siteId: 'ZTE-MISNAMED-WAN', side: 'ce', ifName: 'xgei_9/9' }),
        expect.objectContaining({ siteId: 'MISNAMED-HEADEND', side: 'headend', ifName: 'Eth-Trunk9' }),
      ]),
    );
  });

  it('shows the gap on the site state, keeps the CE answering, polls the resolved port', async () => {
    const sites = await until('three site states with the ZTE port rated', async () => {
      const r = await get('/sites');
      const list = r.sites as any[];
      return list.every((s) => s.state) && list.find((s) => s.id === 'ZTE-FIRST-WORD')?.state?.inBps != null ? list : null;
    });
    const state = (id: string) => sites.find((s: any) => s.id === id).state;
    // The CE answers (not an outage); its port is unknown, so the rates come from the head-end's view of the circuit.
    expect(state('ZTE-MISNAMED-WAN')).toMatchObject({ ceReachable: true, wanOper: null, configGaps: [{ side: 'ce', ifName: 'xgei_9/9' }] });
    expect(state('ZTE-MISNAMED-WAN').inBps).not.toBeNull();
    expect(state('MISNAMED-HEADEND').configGaps).toEqual([expect.objectContaining({ side: 'headend', ifName: 'Eth-Trunk9' })]);
    expect(state('ZTE-FIRST-WORD').configGaps).toBeUndefined();
    expect(state('ZTE-FIRST-WORD').wanOper).toBe('up');
  });

  it('opens no outage and pages no 电路中断, but raises one config-gap alert per site', async () => {
    const since = Date.now();
    // Well past the outage confirmation (3 polls): had the gap been taken for an outage, it would be open by now.
    const cycleNow = demarc.collector.lastCycle?.cycle ?? 0;
    await until('six more cycles', async () => (demarc.collector.lastCycle?.cycle ?? 0) >= cycleNow + 6);
    const incidents = await get(`/incidents?from=${new Date(since - 60_000).toISOString()}`);
    expect(incidents.incidents).toEqual([]);
    const alerts = (await get('/alerts')).alerts as any[];
    expect(alerts.filter((a) => a.rule === 'site-down')).toEqual([]);
    const gaps = alerts.filter((a) => a.rule === 'config-gap');
    expect(gaps.map((a) => a.siteIds[0]).sort()).toEqual(['MISNAMED-HEADEND', 'ZTE-MISNAMED-WAN']);
    expect(gaps.find((a) => a.siteIds[0] === 'MISNAMED-HEADEND').detail).toContain('Eth-Trunk9');
  });

  it('check-config --probe lists both misnamed ports with the devices\' real names, and exits 2', async () => {
    const cli = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));
    const run = await promisify(execFile)(process.execPath, [cli, 'check-config', '--probe', '--config', join(configDir, 'demarc.yaml')]).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(run.code, run.stdout).toBe(2);
    expect(run.stdout).toContain('2 do not');
    expect(run.stdout).toContain(`ce:ZTE-MISNAMED-WAN ${HOST.zte}:${PORT}: "xgei_9/9": no interface by that name`);
    expect(run.stdout).toMatch(/near misses: xgei_2\/1 UPLINK \(xgei_2\/1\) \[ifIndex 1\]/);
    expect(run.stdout).toContain(`headend:${HOST.headend}:${PORT} ${HOST.headend}:${PORT}: "Eth-Trunk9"`);
    expect(run.stdout).toMatch(/near misses: Eth-Trunk1 \[ifIndex 7\]/);
  }, 60_000);
});
