import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadConfig, type DemarcConfig } from '../../config/load.js';
import { demoInventoryRows, toInventoryCsv, type DemoInventoryOptions } from '../../sim/demo-inventory.js';

/**
 * A throw-away configuration directory for tests: the first N sites of the demo fleet on
 * their own agent port, with the SNMP profiles of config/demarc.yaml (so the credentials
 * are the demo's), storage inside the directory, and whatever else the test adds.
 */

export interface FleetConfigOptions extends Omit<DemoInventoryOptions, 'sites' | 'agentPort'> {
  sites: number;
  /** UDP port of every simulated agent (each site has its own loopback address). */
  agentPort: number;
  intervalSec?: number;
  /** YAML merged over the generated demarc.yaml (objects merge deeply, the rest replaces). */
  extraYaml?: string;
}

export interface FleetConfig {
  config: DemarcConfig;
  dir: string;
  configPath: string;
  /** Removes the directory. */
  cleanup(): void;
}

const DEMO_YAML = fileURLToPath(new URL('../../config/demarc.yaml', import.meta.url));

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isTree(v) && isTree(out[k]) ? merge(out[k] as Tree, v) : v;
  return out;
}

export function makeFleetConfig(opts: FleetConfigOptions): FleetConfig {
  const { sites, agentPort, intervalSec, extraYaml, ...inventoryOpts } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'demarc-fleet-'));
  const demo = parse(readFileSync(DEMO_YAML, 'utf8')) as Tree;
  writeFileSync(join(dir, 'sites.csv'), toInventoryCsv(demoInventoryRows({ ...inventoryOpts, sites, agentPort })));
  let doc: Tree = {
    inventory: './sites.csv',
    timezone: 'Asia/Shanghai',
    snmp: demo.snmp,
    collector: { intervalSec: intervalSec ?? 1, concurrency: 50 },
    store: { backend: 'embedded', embedded: { path: './metrics.db' } },
    state: { path: './state.db' },
    api: { host: '127.0.0.1', port: 0 },
    sim: { controlPort: 0 },
    // Parallel test files each run a demarc: no fixed trap port, or they would collide.
    traps: { port: 0 },
  };
  if (extraYaml) {
    const extra = parse(extraYaml) as unknown;
    if (!isTree(extra)) throw new Error('makeFleetConfig: extraYaml must be a YAML mapping');
    doc = merge(doc, extra);
  }
  const configPath = join(dir, 'demarc.yaml');
  writeFileSync(configPath, stringify(doc));
  // No environment: the ${VAR:-default} secrets take their demo defaults, whatever the shell has.
  const config = loadConfig(configPath, {});
  return { config, dir, configPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
