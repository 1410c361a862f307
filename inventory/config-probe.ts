import type { Site } from '../core/inventory.js';
import type { Logger } from '../core/logger.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { SessionPool } from '../collector/session-pool.js';
import { findInterface, interfaceLabel, type DeviceTarget, type InterfaceFacts } from './device-facts.js';
import { discoverDevice } from './discovery-walk.js';
import { deviceTargets } from './inventory-stage.js';

export interface ProbeResult {
  deviceId: string;
  endpoint: string;
  ifName: string;
  /** How it resolved, or why not. */
  outcome: { resolved: true; matchedBy: string; ifIndex: number } | { resolved: false; reason: string; nearMisses: string[] };
}

/** Edit distance, for near misses ("Gi0/0/1" vs "GigabitEthernet0/0/1" is caught by containment, typos by this). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** The device's real names closest to a configured one: same letters ignoring case, containment, or a few edits. */
export function nearMisses(name: string, rows: readonly InterfaceFacts[], max = 5): string[] {
  const want = name.toLowerCase();
  const scored: { label: string; score: number }[] = [];
  for (const r of rows) {
    const firstWord = r.ifDescr?.trim().split(/\s+/, 1)[0] ?? null;
    for (const n of new Set([r.ifName, r.ifDescr, firstWord, r.ifAlias].filter((x): x is string => !!x))) {
      const have = n.toLowerCase();
      const score = have === want ? 0 : have.includes(want) || want.includes(have) ? 1 : distance(want, have) <= Math.max(2, Math.floor(want.length / 4)) ? 2 + distance(want, have) : Infinity;
      if (score < Infinity) scored.push({ label: `${interfaceLabel(r)}${n !== interfaceLabel(r) ? ` (${n})` : ''} [ifIndex ${r.ifIndex}]`, score });
    }
  }
  return [...new Map(scored.sort((a, b) => a.score - b.score).map((s) => [s.label, s])).keys()].slice(0, max);
}

/**
 * `demarc check-config --probe`: resolves every configured interface against the live
 * devices, by the collector's rules, and lists the near misses with the device's real names.
 */
export async function probeConfig(sites: readonly Site[], profiles: ReadonlyMap<string, SnmpProfile>, logger: Logger, concurrency = 8): Promise<ProbeResult[]> {
  const pool = new SessionPool(profiles, concurrency, logger);
  const targets = deviceTargets(sites);
  const out: ProbeResult[] = [];
  const queue = [...targets];
  const probe = async (t: DeviceTarget) => {
    const d = await discoverDevice(pool, t, null, { maxRepetitions: 50, now: () => Date.now() });
    const endpoint = `${t.endpoint.host}:${t.endpoint.port}`;
    for (const ifName of new Set(t.configuredNames)) {
      if (!d.read.interfaces) {
        out.push({ deviceId: t.id, endpoint, ifName, outcome: { resolved: false, reason: d.gaps.join('; ') || 'no interface table', nearMisses: [] } });
        continue;
      }
      const hit = findInterface(d.facts.interfaces ?? [], ifName);
      out.push({
        deviceId: t.id, endpoint, ifName,
        outcome: hit ? { resolved: true, matchedBy: hit.matchedBy, ifIndex: hit.row.ifIndex } : { resolved: false, reason: 'no interface by that name (ifName, ifDescr, its first word, ifAlias)', nearMisses: nearMisses(ifName, d.facts.interfaces ?? []) },
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await probe(t);
    }));
  } finally {
    pool.close();
  }
  return out.sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.ifName.localeCompare(b.ifName));
}

/** One line per configured name that did not resolve (for the CLI). */
export function formatProbe(results: readonly ProbeResult[]): string {
  const bad = results.filter((r) => !r.outcome.resolved);
  const lines = [`probed ${results.length} configured interfaces: ${results.length - bad.length} resolve, ${bad.length} do not`];
  for (const r of bad) {
    if (r.outcome.resolved) continue;
    lines.push(`  ${r.deviceId} ${r.endpoint}: "${r.ifName}": ${r.outcome.reason}`);
    lines.push(r.outcome.nearMisses.length ? `    near misses: ${r.outcome.nearMisses.join(', ')}` : '    no similar name on the device');
  }
  return lines.join('\n') + '\n';
}
