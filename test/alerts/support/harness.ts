import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../../audit/audit-log.js';
import { ManualClock } from '../../../core/clock.js';
import type { MaintenanceWindow } from '../../../core/incident.js';
import { silentLogger } from '../../../core/logger.js';
import type { User } from '../../../core/user.js';
import { openStateDb, type StateDb } from '../../../store/state-db.js';
import { createAlertStage, type AlertStage } from '../../../alerts/alert-stage.js';
import { alertsConfig, type AlertsConfigInput } from '../../../alerts/config-schema.js';
import { SITES, T0 } from '../fixtures.js';
import { parseMime, type MimeMessage } from './mime.js';
import { startDingtalkRobot, startWebhookReceiver, startWecomRobot, type Receiver } from './receivers.js';
import { selfSignedCert, startSmtpServer, type SmtpSink } from './smtp.js';

export const SECRETS = {
  wecomKey: 'wecom-robot-key-0001',
  dingToken: 'ding-access-token-0001',
  dingSecret: 'SEC0123456789abcdef-ding',
  hookSecret: 'hook-secret-0123456789',
  ackSecret: 'ack-secret-0123456789abcdef',
  smtpUser: 'demarc',
  smtpPass: 'smtp-pass-0123',
};

export const USERS: User[] = [
  { id: 'noc.zhang', name: '张工', roles: ['operator'] },
  { id: 'noc.wang', name: '王工', roles: ['operator'] },
  { id: 'mgr.li', name: '李主任', roles: ['approver'] },
  { id: 'guest', name: '访客', roles: ['viewer'] },
  { id: 'root', name: '管理员', roles: ['admin'] },
];

/** The receivers every stage test talks to, started once per test file. */
export interface Receivers {
  clock: ManualClock;
  dir: string;
  caFile: string;
  smtpPort: number;
  smtp: SmtpSink;
  wecom: Receiver;
  ding: Receiver;
  hook: Receiver;
  /** Forget what was received so far. */
  reset(): void;
  mails(): (MimeMessage & { to: string[]; secure: boolean; user: string | null })[];
  close(): Promise<void>;
}

export async function startReceivers(basePort: number): Promise<Receivers> {
  const clock = new ManualClock(T0);
  const dir = mkdtempSync(join(tmpdir(), 'demarc-alerts-'));
  const cert = await selfSignedCert(dir);
  const smtp = await startSmtpServer(basePort, cert, { user: SECRETS.smtpUser, pass: SECRETS.smtpPass });
  const wecom = await startWecomRobot(basePort + 1, SECRETS.wecomKey);
  const ding = await startDingtalkRobot(basePort + 2, SECRETS.dingToken, SECRETS.dingSecret, () => clock.now());
  const hook = await startWebhookReceiver(basePort + 3, SECRETS.hookSecret);
  return {
    clock,
    dir,
    caFile: cert.certFile,
    smtpPort: basePort,
    smtp,
    wecom,
    ding,
    hook,
    reset() {
      for (const r of [wecom, ding, hook]) {
        r.received.length = 0;
        r.rejected.length = 0;
        r.failWith(null);
      }
      smtp.messages.length = 0;
    },
    mails: () => smtp.messages.map((m) => ({ ...parseMime(m.raw), to: m.to, secure: m.secure, user: m.user })),
    async close() {
      await Promise.all([smtp.close(), wecom.close(), ding.close(), hook.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function harnessConfig(r: Receivers, publicUrl: string, over: Partial<AlertsConfigInput> = {}): AlertsConfigInput {
  return {
    publicUrl,
    ackSecret: SECRETS.ackSecret,
    faultReport: { customer: '某省社会保障卡服务中心', callback: 'NOC 值班台' },
    delivery: { attempts: 3, backoffSec: 10, backoffFactor: 2, timeoutSec: 5 },
    timings: { groupingWindowSec: 60, flapDampingSec: 300, escalateAfterMinutes: 15, renotifyMinutes: 30 },
    channels: [
      {
        id: 'mail', type: 'email', host: '127.0.0.1', port: r.smtpPort, security: 'starttls',
        user: SECRETS.smtpUser, password: SECRETS.smtpPass, from: 'demarc <demarc@noc.example>', caFile: r.caFile,
      },
      { id: 'noc-wecom', type: 'wecom', key: SECRETS.wecomKey, url: r.wecom.url },
      { id: 'noc-ding', type: 'dingtalk', accessToken: SECRETS.dingToken, signSecret: SECRETS.dingSecret, url: r.ding.url },
      { id: 'hook', type: 'webhook', url: r.hook.url, secret: SECRETS.hookSecret },
    ],
    contacts: [
      { id: 'noc-a', name: '值班员甲', channels: ['noc-wecom', 'mail'], email: 'noc-a@noc.example', wecomUserId: 'zhang.san' },
      { id: 'noc-b', name: '值班员乙', channels: ['noc-ding', 'mail'], email: 'noc-b@noc.example', phone: '13800000001' },
      { id: 'noc-lead', name: '值班长', channels: ['mail'], email: 'lead@noc.example' },
      { id: 'div1-a', name: '一师网管', channels: ['hook'] },
      { id: 'carrier-desk', name: '运营商故障受理', channels: ['mail'], email: 'fault@carrier.example', carrier: true },
    ],
    rotations: [{ id: 'noc', shifts: [{ days: ['all'], from: '00:00', to: '00:00', chain: ['noc-a', 'noc-b', 'noc-lead'] }], fallback: ['noc-a'] }],
    routes: [
      { match: { responsibility: ['line', 'undetermined', 'monitoring'] }, to: ['noc'] },
      { match: { responsibility: ['line'] }, to: ['carrier-desk'] },
      { match: { responsibility: ['device'] }, to: ['div1-a'] },
      { match: { rule: ['demarc-health', 'carrier-deadline-approaching', 'carrier-deadline-missed'] }, to: ['noc'] },
    ],
    ...over,
  };
}

export interface StageUnderTest {
  stage: AlertStage;
  db: StateDb;
  audit: AuditLog;
  windows: MaintenanceWindow[];
  /** Moves the clock and runs the stage's timer once, waiting for the deliveries. */
  tick(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function newStage(r: Receivers, cfg: AlertsConfigInput, dbName = `state-${Math.random().toString(36).slice(2)}.db`): StageUnderTest {
  const db = openStateDb(join(r.dir, dbName));
  const audit = new AuditLog(db, r.clock);
  const windows: MaintenanceWindow[] = [];
  const stage = createAlertStage({
    db,
    config: alertsConfig(cfg),
    sites: SITES,
    clock: r.clock,
    logger: silentLogger,
    audit,
    users: USERS,
    windows: () => windows,
    carrierLimitHours: 2,
  });
  return {
    stage,
    db,
    audit,
    windows,
    async tick(ms) {
      r.clock.advance(ms);
      await stage.evaluate();
      await stage.idle();
    },
    async close() {
      await stage.stop();
      db.close();
    },
  };
}
