import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

/**
 * Self time per function (idle excluded; shares are of busy time) (name + file:line) from a V8 .cpuprofile, largest first. Sample
 * weights are the time deltas, so a profile with an irregular sampling rate still adds up.
 */
export function hotFunctions(profile: CpuProfile, root: string, top = 20): HotFunction[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    // Idle time is the process waiting on the network, not work.
    if (!node || node.callFrame.functionName === '(idle)') return;
    total += us;
    const f = node.callFrame;
    const file = f.url.replace(/^file:\/\//, '');
    const where = file ? `${file.startsWith(root) ? relative(root, file) : file}:${f.lineNumber + 1}` : '(native)';
    const key = `${f.functionName}@${where}`;
    const entry = self.get(key) ?? { name: f.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    self.set(key, entry);
  });
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, selfPct: total ? (100 * e.us) / total : 0 }));
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

/** Busy time grouped by where the code lives: collector/, net-snmp, node internals, GC … */
export function busyByArea(profile: CpuProfile, root: string): { area: string; pct: number }[] {
  const all = hotFunctions(profile, root, Number.MAX_SAFE_INTEGER);
  const area = (h: HotFunction) => {
    if (h.where === '(native)') return h.name.startsWith('(') ? h.name : 'native';
    if (h.where.startsWith('node_modules/')) return h.where.split('/').slice(0, h.where.startsWith('node_modules/@') ? 3 : 2).join('/');
    if (h.where.startsWith('node:')) return 'node internals';
    return h.where.split('/')[0] ?? h.where;
  };
  const sums = new Map<string, number>();
  for (const h of all) sums.set(area(h), (sums.get(area(h)) ?? 0) + h.selfPct);
  return [...sums].map(([a, pct]) => ({ area: a, pct })).sort((x, y) => y.pct - x.pct);
}
