import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../../config/inventory.js';
import type { AgentEndpoint } from './snmpd-fleet.js';

/** Circuits per head-end router in the bench (a real one terminates hundreds to thousands). */
export const CIRCUITS_PER_HEADEND = 1000;

export interface BenchLayout {
  sites: number;
  /** Distinct CE devices; sites beyond that share them round-robin. */
  ceEndpoints: readonly AgentEndpoint[];
  headendEndpoints: readonly AgentEndpoint[];
  /** The CE's WAN port and the head-end's circuit port: interfaces snmpd really has. */
  ceIf: string;
  headendIf: string;
}

const COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/**
 * Writes demarc.yaml and a sites.csv of `sites` rows into `dir` (created) and returns the
 * yaml path; the collector process loads it through the real config edge (validation included).
 * `extra` sections are merged over the bench's (one level deep): bench/pipeline adds the API,
 * trap and discovery settings of a whole `demarc serve`.
 */
export function writeBenchConfig(
  dir: string,
  layout: BenchLayout,
  snmp: { community: string; timeoutMs: number; retries: number },
  concurrency: number,
  sharedSockets: number,
  extra: Record<string, Record<string, unknown>> = {},
): string {
  mkdirSync(dir, { recursive: true });
  const heads = Math.max(1, Math.ceil(layout.sites / CIRCUITS_PER_HEADEND));
  if (heads > layout.headendEndpoints.length) throw new Error(`bench: ${layout.sites} sites need ${heads} head-end endpoints, have ${layout.headendEndpoints.length}`);
  const lines = [COLUMNS.join(',')];
  for (let i = 0; i < layout.sites; i++) {
    const ce = layout.ceEndpoints[i % layout.ceEndpoints.length]!;
    const he = layout.headendEndpoints[i % heads]!;
    const id = `S${String(i + 1).padStart(6, '0')}`;
    const row: Record<string, string> = {
      site_id: id, name: `基准站点${i + 1}`, division: `第${(i % 14) + 1}师`, circuit_id: `BENCH-${id}`,
      // lo carries the bench's own traffic, far above 70M: a large nominal rate keeps rates in range.
      bandwidth_mbps: '10000', activation_date: '2026-01-01',
      ce_host: ce.host, ce_port: String(ce.port), ce_snmp_profile: 'bench', ce_wan_if: layout.ceIf,
      headend_host: he.host, headend_port: String(he.port), headend_if: layout.headendIf, carrier_group: `AGG-${i % 50}`,
    };
    lines.push(COLUMNS.map((c) => row[c] ?? '').join(','));
  }
  writeFileSync(join(dir, 'sites.csv'), lines.join('\n') + '\n');
  const config: Record<string, unknown> = {
    inventory: './sites.csv',
    snmp: { profiles: { bench: { version: '2c', community: snmp.community, timeoutMs: snmp.timeoutMs, retries: snmp.retries } } },
    collector: { intervalSec: 60, concurrency, spreadPolls: true, sharedSockets },
    state: { path: './state.db' },
    store: { embedded: { path: './metrics.db' } },
  };
  for (const [key, section] of Object.entries(extra)) config[key] = { ...(config[key] as object | undefined), ...section };
  writeFileSync(join(dir, 'demarc.yaml'), stringify(config));
  return join(dir, 'demarc.yaml');
}
