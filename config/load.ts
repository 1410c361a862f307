import type { Secret } from '../core/secret.js';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Inventory } from '../core/inventory.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { substituteEnv } from './env-substitution.js';
import { parseInventoryCsv } from './inventory.js';
import { configSchema, type ParsedConfig } from './schema.js';

/** The validated configuration the rest of demarc trusts. Paths are absolute. */
export interface DemarcConfig extends Omit<ParsedConfig, 'snmp' | 'inventory' | 'state' | 'audit'> {
  /** The state file and its backups (dir resolved: default `backups/` beside the file). */
  state: { path: string; backup: Required<ParsedConfig['state']['backup']> };
  configPath: string;
  /** Paths resolved: the key file and anchor file default to the state db's directory. */
  audit: { key: Secret | null; keyFile: string; anchorFile: string };
  inventoryPath: string;
  profiles: ReadonlyMap<string, SnmpProfile>;
  inventory: Inventory;
}

function toProfile(name: string, p: ParsedConfig['snmp']['profiles'][string]): SnmpProfile {
  if (p.version === '3') {
    return {
      name,
      version: '3',
      user: p.user,
      level: p.level,
      authProtocol: p.authProtocol ?? null,
      authKey: p.authKey ?? null,
      privProtocol: p.privProtocol ?? null,
      privKey: p.privKey ?? null,
      timeoutMs: p.timeoutMs,
      retries: p.retries,
    };
  }
  return { name, version: p.version, community: p.community, timeoutMs: p.timeoutMs, retries: p.retries };
}

/**
 * Reads demarc.yaml and the inventory it names, validates both, and throws a ConfigError
 * listing every problem (not just the first) when anything is wrong.
 */
export function loadConfig(configPath: string, env: Record<string, string | undefined> = process.env): DemarcConfig {
  const file = resolve(configPath);
  const dir = dirname(file);
  const problems: ConfigProblem[] = [];
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError([{ file, row: null, where: 'file', reason: (e as Error).message }]);
  }
  const { value, missing } = substituteEnv(raw, env);
  for (const m of missing) problems.push({ file, row: null, where: m.path, reason: `environment variable ${m.variable} is not set` });

  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.join('.') || '(top level)';
      // zod lists unknown keys in one issue; name each so the user finds the typo.
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? `: ${issue.keys.join(', ')}` : '';
      problems.push({ file, row: null, where, reason: issue.message + keys });
    }
    throw new ConfigError(problems);
  }
  const cfg = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  const profiles = new Map(Object.entries(cfg.snmp.profiles).map(([n, p]) => [n, toProfile(n, p)]));

  const inventoryFile = abs(cfg.inventory);
  let csv = '';
  try {
    csv = readFileSync(inventoryFile, 'utf8');
  } catch (e) {
    problems.push({ file, row: null, where: 'inventory', reason: `cannot read ${inventoryFile}: ${(e as Error).message}` });
  }
  const { inventory, problems: csvProblems } = csv ? parseInventoryCsv(csv, inventoryFile, new Set(profiles.keys())) : { inventory: null, problems: [] };
  problems.push(...csvProblems);
  // A collector group naming a site or division the inventory does not have is a typo, not an empty group.
  if (inventory && cfg.nats) {
    const ids = new Set(inventory.sites.map((s) => s.id));
    const divisions = new Set(inventory.sites.map((s) => s.division));
    cfg.nats.groups.forEach((g, i) => {
      for (const id of g.sites) if (!ids.has(id)) problems.push({ file, row: null, where: `nats.groups.${i}.sites`, reason: `site ${id} is not in the inventory` });
      for (const d of g.divisions) if (!divisions.has(d)) problems.push({ file, row: null, where: `nats.groups.${i}.divisions`, reason: `no site of the inventory is in division ${d}` });
    });
  }
  if (problems.length || !inventory) throw new ConfigError(problems);

  const { snmp: _snmp, inventory: _inventory, ...rest } = cfg;
  return {
    ...rest,
    inventoryPath: inventoryFile,
    store: {
      ...cfg.store,
      embedded: { path: abs(cfg.store.embedded.path) },
      influx: cfg.store.influx && { ...cfg.store.influx, spillPath: abs(cfg.store.influx.spillPath) },
    },
    state: {
      path: abs(cfg.state.path),
      backup: { ...cfg.state.backup, dir: cfg.state.backup.dir ? abs(cfg.state.backup.dir) : join(dirname(abs(cfg.state.path)), 'backups') },
    },
    api: { ...cfg.api, tls: cfg.api.tls && { ...cfg.api.tls, cert: abs(cfg.api.tls.cert), key: abs(cfg.api.tls.key) } },
    audit: {
      key: cfg.audit.key ?? null,
      keyFile: cfg.audit.keyFile ? abs(cfg.audit.keyFile) : join(dirname(abs(cfg.state.path)), 'audit.key'),
      anchorFile: cfg.audit.anchorFile ? abs(cfg.audit.anchorFile) : join(dirname(abs(cfg.state.path)), 'audit-anchor.jsonl'),
    },
    sim: { ...cfg.sim, scenario: cfg.sim.scenario && abs(cfg.sim.scenario) },
    nats: cfg.nats && { ...cfg.nats, collector: cfg.nats.collector && { ...cfg.nats.collector, journal: abs(cfg.nats.collector.journal) } },
    configPath: file,
    profiles,
    inventory,
  };
}
