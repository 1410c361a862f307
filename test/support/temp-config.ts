import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, type DemarcConfig } from '../../config/load.js';
import { toInventoryCsv } from '../../sim/demo-inventory.js';

/**
 * Writes a demarc.yaml and sites.csv into a fresh temp dir and loads them through the real
 * config edge, so tests exercise the same validation production does.
 */
export function writeTempConfig(yaml: Record<string, unknown>, rows: Record<string, string>[]): { config: DemarcConfig; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'demarc-test-'));
  writeFileSync(join(dir, 'sites.csv'), toInventoryCsv(rows));
  writeFileSync(join(dir, 'demarc.yaml'), stringify({ inventory: './sites.csv', state: { path: './state.db' }, store: { embedded: { path: './metrics.db' } }, ...yaml }));
  return { config: loadConfig(join(dir, 'demarc.yaml'), {}), dir };
}

/** One inventory row with every required column; override what the test is about. */
export function siteRow(over: Partial<Record<string, string>> & { site_id: string; ce_host: string; ce_port: string }): Record<string, string> {
  return {
    name: over.site_id,
    division: '测试师',
    circuit_id: `C-${over.site_id}`,
    bandwidth_mbps: '70',
    activation_date: '2026-01-01',
    ce_snmp_profile: 'v2c',
    ce_wan_if: 'lo',
    headend_host: over.ce_host,
    headend_port: over.ce_port,
    headend_if: 'lo',
    carrier_group: 'AGG-TEST',
    ...over,
  } as Record<string, string>;
}
