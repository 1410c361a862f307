import { relative } from 'node:path';
import type { CpuProfile } from './cpu-profile.js';

/** One frame of a sampled stack: V8's function name and script URL (file://…, node:…, or empty). */
export interface StackFrame {
  functionName: string;
  url: string;
}

/**
 * npm packages whose time belongs to a pipeline stage when no demarc frame is above them on
 * the stack (a socket callback, a timer): the stage that uses that package.
 */
const PACKAGE_STAGE: Readonly<Record<string, string>> = {
  'net-snmp': 'collector',
  'asn1-ber': 'collector',
  'better-sqlite3': 'store',
  'socket.io': 'api',
  'socket.io-adapter': 'api',
  'socket.io-parser': 'api',
  'engine.io': 'api',
  'engine.io-parser': 'api',
  ws: 'api',
  express: 'api',
  router: 'api',
  'body-parser': 'api',
  'serve-static': 'api',
  send: 'api',
  helmet: 'api',
  'express-rate-limit': 'api',
  'cookie-parser': 'api',
  'csrf-csrf': 'api',
  pino: 'logging',
  'pino-pretty': 'logging',
  'sonic-boom': 'logging',
  'thread-stream': 'logging',
  'node-cron': 'app',
  tsx: 'runtime',
  esbuild: 'runtime',
};

/**
 * Node's own modules that only one stage uses here: UDP is the collector's (polls and traps),
 * the HTTP server is the API's. Sockets and streams in general (node:net, streams) stay `node`.
 */
const NODE_MODULE_STAGE: Readonly<Record<string, string>> = {
  'node:dgram': 'collector',
  'node:_http_server': 'api',
  'node:_http_common': 'api',
  'node:_http_incoming': 'api',
  'node:_http_outgoing': 'api',
  'node:http': 'api',
};

/** V8's pseudo-frames: what they stand for; `null` is not work (the thread waiting). */
const PSEUDO: Readonly<Record<string, string | null>> = {
  '(idle)': null,
  '(garbage collector)': 'gc',
  '(program)': 'runtime',
  '(root)': 'runtime',
};

/** `node_modules/@scope/name/…` or `node_modules/name/…` (the innermost node_modules) → the package name. */
function packageOf(path: string): string | null {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return null;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? null);
}

/**
 * The stage a CPU sample is charged to, from its stack listed leaf first. The first frame (from
 * the leaf up) in a file of the repo outside node_modules decides: its top folder (collector,
 * outage, store, api, …). A stack with no demarc frame goes by the first package from the leaf
 * that the table knows (net-snmp → collector, better-sqlite3 → store, socket.io → api, pino →
 * logging), then by the first node module only one stage uses (node:dgram → collector, the
 * HTTP server → api), then to `node` (node's other internals) or `other`. V8's pseudo-frames:
 * (garbage collector) → gc, (program) → runtime, (idle) → null (not busy, not counted).
 */
export function stageOfStack(stack: readonly StackFrame[], root: string): string | null {
  const leaf = stack[0];
  if (leaf && leaf.functionName in PSEUDO && !leaf.url) return PSEUDO[leaf.functionName]!;
  const files = stack.map((f) => f.url.replace(/^file:\/\//, ''));
  for (const file of files) {
    if (!file.startsWith(root + '/') || file.includes('/node_modules/')) continue;
    const top = relative(root, file).split('/')[0];
    if (top) return top;
  }
  for (const file of files) {
    const pkg = packageOf(file);
    if (pkg && PACKAGE_STAGE[pkg]) return PACKAGE_STAGE[pkg];
  }
  for (const file of files) if (NODE_MODULE_STAGE[file]) return NODE_MODULE_STAGE[file];
  if (files.some((f) => f.startsWith('node:'))) return 'node';
  return 'other';
}

export interface StageShare {
  stage: string;
  ms: number;
  /** Share of busy samples (idle excluded). */
  pctBusy: number;
}

/**
 * Busy time per stage over a V8 CPU profile, largest first. Samples are weighted by their time
 * deltas; each node's stage is decided once (its stack is the path from the root).
 */
export function cpuByStage(profile: CpuProfile, root: string): { stages: StageShare[]; busyMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string | null>();
  const stageOfNode = (id: number): string | null => {
    if (memo.has(id)) return memo.get(id)!;
    const stack: StackFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n) stack.push({ functionName: n.callFrame.functionName, url: n.callFrame.url });
    }
    const stage = stageOfStack(stack, root);
    memo.set(id, stage);
    return stage;
  };
  const sums = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const stage = stageOfNode(id);
    if (stage === null) {
      idleUs += us;
      return;
    }
    busyUs += us;
    sums.set(stage, (sums.get(stage) ?? 0) + us);
  });
  const stages = [...sums]
    .map(([stage, us]) => ({ stage, ms: us / 1000, pctBusy: busyUs ? (100 * us) / busyUs : 0 }))
    .sort((a, b) => b.ms - a.ms);
  return { stages, busyMs: busyUs / 1000, idleMs: idleUs / 1000 };
}

/** Sampled time (ms) of the stacks that pass through a file whose URL ends with `fileSuffix` (e.g. the rollup job). */
export function msUnderFile(profile: CpuProfile, fileSuffix: string): number {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inFile = new Set(profile.nodes.filter((n) => n.callFrame.url.endsWith(fileSuffix)).map((n) => n.id));
  const memo = new Map<number, boolean>();
  const under = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const p = parent.get(id);
    const r = inFile.has(id) || (p !== undefined && under(p));
    memo.set(id, r);
    return r;
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    if (under(id)) us += profile.timeDeltas[i] ?? 0;
  });
  return us / 1000;
}
