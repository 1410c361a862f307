import { describe, expect, it } from 'vitest';
import { cpuByStage, msUnderFile, stageOfStack, type StackFrame } from '../../bench/support/cpu-stages.js';
import type { CpuProfile } from '../../bench/support/cpu-profile.js';

const ROOT = '/srv/demarc';
const f = (url: string, functionName = 'fn'): StackFrame => ({ functionName, url });
const repo = (path: string) => f(`file://${ROOT}/${path}`);
const pkg = (path: string) => f(`file://${ROOT}/node_modules/${path}`);

describe('stageOfStack (leaf first)', () => {
  const cases: { name: string; stack: StackFrame[]; stage: string | null }[] = [
    { name: 'idle is not work', stack: [f('', '(idle)'), f('', '(root)')], stage: null },
    { name: 'garbage collector', stack: [f('', '(garbage collector)'), f('', '(root)')], stage: 'gc' },
    { name: 'V8 (program)', stack: [f('', '(program)'), f('', '(root)')], stage: 'runtime' },
    { name: 'a repo leaf names its top folder', stack: [repo('outage/state-machine.ts'), repo('app/pipeline.ts')], stage: 'outage' },
    { name: 'a package under a repo frame goes to that frame', stack: [pkg('better-sqlite3/lib/methods/wrappers.js'), repo('store/sqlite-rollups.ts'), repo('app/jobs.ts')], stage: 'store' },
    { name: 'a native leaf under a repo frame', stack: [f('', 'run'), repo('store/sqlite-metric-store.ts')], stage: 'store' },
    { name: 'node internals under the collector', stack: [f('node:dgram', 'send'), pkg('net-snmp/index.js'), repo('collector/shared-udp.ts')], stage: 'collector' },
    { name: 'pino under api code is api', stack: [pkg('pino/lib/proto.js'), repo('api/audit-trail.ts')], stage: 'api' },
    { name: 'net-snmp reply on a socket callback', stack: [pkg('asn1-ber/lib/ber/reader.js'), pkg('net-snmp/index.js'), f('node:dgram', 'onMessage')], stage: 'collector' },
    { name: 'socket.io emit from a timer', stack: [pkg('ws/lib/sender.js'), pkg('engine.io/build/socket.js'), pkg('socket.io/dist/socket.js')], stage: 'api' },
    { name: 'scoped package not in the table, then node', stack: [pkg('@nats-io/nats-core/lib/x.js'), f('node:internal/timers', 'listOnTimeout')], stage: 'node' },
    { name: 'pino flushing on its own', stack: [pkg('sonic-boom/index.js'), f('node:fs', 'writeSync')], stage: 'logging' },
    { name: 'a UDP send after its address lookup is the collector\'s', stack: [f('node:internal/process/task_queues', 'nextTick'), f('node:dgram', 'doSend'), f('node:async_hooks'), f('node:dgram', 'afterDns')], stage: 'collector' },
    { name: 'the HTTP server parsing a request is the api\'s', stack: [f('node:_http_incoming', '_addHeaderLine'), f('node:_http_server', 'parserOnIncoming')], stage: 'api' },
    { name: 'a stream read with nothing above stays node', stack: [f('node:internal/stream_base_commons', 'onStreamRead'), f('', '(root)')], stage: 'node' },
    { name: 'node-cron timer', stack: [pkg('node-cron/dist/esm/scheduler.js')], stage: 'app' },
    { name: 'a file outside the repo and unknown', stack: [f('file:///usr/lib/other.js')], stage: 'other' },
    { name: 'a sibling folder that only starts with the root path', stack: [f(`file://${ROOT}-old/collector/x.ts`), repo('api/server.ts')], stage: 'api' },
    { name: 'a nested node_modules inside a package', stack: [pkg('engine.io-client/node_modules/ws/lib/receiver.js')], stage: 'api' },
  ];
  for (const c of cases) it(c.name, () => expect(stageOfStack(c.stack, ROOT)).toBe(c.stage));
});

describe('cpuByStage', () => {
  it('weights samples by their time deltas, leaves idle out of the busy share, and walks parents', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3, 4] },
        { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 3, callFrame: { functionName: 'onCycle', url: `file://${ROOT}/app/pipeline.ts`, lineNumber: 1 }, children: [5] },
        { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
        { id: 5, callFrame: { functionName: 'write', url: `file://${ROOT}/node_modules/better-sqlite3/lib/x.js`, lineNumber: 1 } },
      ],
      samples: [2, 3, 5, 5, 4, 2],
      timeDeltas: [9000, 1000, 2000, 3000, 4000, 1000],
    };
    const r = cpuByStage(profile, ROOT);
    expect(r.idleMs).toBe(10);
    expect(r.busyMs).toBe(10);
    // 5 (better-sqlite3) sits under app/pipeline.ts: the repo frame decides.
    expect(r.stages).toEqual([
      { stage: 'app', ms: 6, pctBusy: 60 },
      { stage: 'gc', ms: 4, pctBusy: 40 },
    ]);
    // Time under app/pipeline.ts: its own sample and its child's two.
    expect(msUnderFile(profile, 'app/pipeline.ts')).toBe(6);
    expect(msUnderFile(profile, 'better-sqlite3/lib/x.js')).toBe(5);
    expect(msUnderFile(profile, 'store/sqlite-rollups.ts')).toBe(0);
  });
});
