import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportCommand } from '../../cli/report-command.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { IncidentRepository } from '../../outage/incident-repository.js';
import { openStateDb } from '../../store/state-db.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';
import { incident, saveIncidents } from './incident-fixture.js';
import { sh } from './known-month.js';
import { pdfText } from './poppler.js';

/**
 * `demarc report` against a real demarc.yaml (loaded through the config edge), the embedded
 * metric store and the outage stage's incident table it names.
 */

let dir: string;
let configPath: string;

beforeAll(async () => {
  const t = writeTempConfig(
    // Samples below are written every 600 s: the collector's interval says so, or the month would be 10 % monitored.
    { snmp: { profiles: { v2c: { version: '2c', community: 'public' } } }, collector: { intervalSec: 600 } },
    [
      siteRow({ site_id: 'S1', name: '第一师一团', ce_host: '127.0.0.1', ce_port: '25161', activation_date: '2026-02-01' }),
      siteRow({ site_id: 'S2', name: '第一师二团', ce_host: '127.0.0.1', ce_port: '25162', activation_date: '2026-10-16' }),
    ],
  );
  dir = t.dir;
  configPath = t.config.configPath;
  const clock = new ManualClock(sh('2026-11-01', 8));
  const store = new SqliteMetricStore({ path: t.config.store.embedded.path, retention: t.config.store.retention }, { logger: silentLogger, clock, sites: t.config.inventory.sites });
  await store.init();
  const rows: StoredSample[] = [];
  for (let at = sh('2026-10-01'); at < sh('2026-11-01'); at += 600_000)
    for (const s of t.config.inventory.sites)
      rows.push({
        siteId: s.id, circuitId: s.circuit.id, at, rttMs: 3, ceReachable: true, headendReachable: true, wanOper: 1, wanAdmin: 1, headendOper: 1,
        inBps: 7e6, outBps: 2e6, inUtilPct: 10, outUtilPct: 100 * (2 / 70), inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, gap: null,
      });
  await store.writeRaw(rows);
  await store.runRollups(clock.now());
  await store.close();
  const db = openStateDb(t.config.state.path);
  saveIncidents(new IncidentRepository(db), [incident({ id: 'INC-1', siteId: 'S1', startedAt: sh('2026-10-09', 10), endedAt: sh('2026-10-09', 11), responsibility: 'line' })], clock.now());
  db.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function demarc(...args: string[]): Promise<void> {
  const program = new Command('demarc').exitOverride();
  registerReportCommand(program, configPath);
  await program.parseAsync(['node', 'demarc', 'report', ...args]);
}

describe('demarc report', () => {
  it('--month 2026-10 --format pdf --out FILE writes the Chinese PDF', async () => {
    const out = join(dir, 'oct.pdf');
    await demarc('--month', '2026-10', '--format', 'pdf', '--out', out);
    const text = pdfText(out);
    expect(text).toContain('专线电路月度可用率报告');
    expect(text).toContain('第一师一团');
    // One hour of line downtime: S1 over its 31 days, the fleet over 31 + 16 circuit-days (S2 activated Oct 16).
    expect(text).toContain((100 * (1 - 3600 / (31 * 86_400))).toFixed(3));
    expect(text).toContain(`${(100 * (1 - 3600 / (47 * 86_400))).toFixed(3)}%`);
  });

  it('--from/--to for a range, --lang en, JSON', async () => {
    const out = join(dir, 'term.json');
    await demarc('--from', '2026-02-01', '--to', '2026-10-31', '--format', 'json', '--lang', 'en', '--out', out);
    const r = JSON.parse(readFileSync(out, 'utf8')) as { period: { kind: string; days: number }; circuits: { siteId: string; downtimeSec: { line: number } }[] };
    expect(r.period).toMatchObject({ kind: 'range', days: 273 });
    expect(r.circuits.find((c) => c.siteId === 'S1')!.downtimeSec.line).toBe(3600);
  });

  it('--format csv --section all writes one file per section', async () => {
    await demarc('--month', '2026-10', '--format', 'csv', '--section', 'all', '--out', join(dir, 'oct.csv'));
    const files = readdirSync(dir).filter((f) => f.startsWith('oct-') && f.endsWith('.csv')).sort();
    expect(files).toEqual(['oct-circuits.csv', 'oct-downtime.csv', 'oct-findings.csv', 'oct-incidents.csv', 'oct-lateActivations.csv', 'oct-outOfService.csv', 'oct-responses.csv', 'oct-summary.csv', 'oct-targets.csv', 'oct-termEnds.csv', 'oct-worst.csv']);
  });

  it('does not overwrite a file unless --force', async () => {
    const out = join(dir, 'keep.xlsx');
    writeFileSync(out, 'an earlier report');
    await expect(demarc('--month', '2026-10', '--format', 'xlsx', '--out', out)).rejects.toThrow(`${out} exists; choose another --out or pass --force to replace it`);
    expect(readFileSync(out, 'utf8')).toBe('an earlier report');
    await demarc('--month', '2026-10', '--format', 'xlsx', '--out', out, '--force');
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });

  it.each([
    [['--month', '2026-13'], '--month: "2026-13" is not a month of the form YYYY-MM (e.g. 2026-10)'],
    [['--from', '2026-10-01'], '--to is missing: a range needs both --from and --to'],
    [['--month', '2026-10', '--from', '2026-10-01', '--to', '2026-10-02'], 'give either --month, or --from and --to'],
    [['--from', '2026-10-31', '--to', '2026-10-01'], '--to: 2026-10-01 is before from 2026-10-31'],
    [['--month', '2026-10', '--format', 'pdf', '--section', 'circuits'], '--section: only --format csv comes in sections (got pdf)'],
  ])('refuses %j: %s', async (args, message) => {
    await expect(demarc(...args, '--out', join(dir, 'never.pdf'))).rejects.toThrow(message);
    expect(existsSync(join(dir, 'never.pdf'))).toBe(false);
  });
});
