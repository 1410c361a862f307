import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createChannelSender } from '../../alerts/channel-senders.js';
import { ManualClock } from '../../core/clock.js';
import { Secret } from '../../core/secret.js';
import type { CircuitSample } from '../../core/sample.js';
import { signAckToken, verifyAckToken } from '../../alerts/ack-token.js';
import { snapshotOf, type Alert, type Notification } from '../../alerts/alert.js';
import { newAlert } from '../../alerts/alert-book.js';
import { composeMessage, type ComposeContext } from '../../alerts/alert-message.js';
import { ALERT_RULES } from '../../alerts/alert-rules.js';
import { dingtalkBody, emailContent, WECOM_MARKDOWN_MAX_BYTES, wecomBody } from '../../alerts/channel-formats.js';
import { backoffMs, planDeliveries } from '../../alerts/delivery-outbox.js';
import { renderMessage } from '../../alerts/message-text.js';
import { UtilizationWatch } from '../../alerts/utilization-watch.js';
import { config, incident, policyContext, site, T0 } from './fixtures.js';

const secret = new Secret('ack-secret-0123456789abcdef');

describe('ack tokens', () => {
  const claim = { alertId: 'ALR-1', contactId: 'noc-a', expiresAt: T0 + 3_600_000 };
  const token = signAckToken(secret, claim);
  const [body, mac] = token.split('.') as [string, string];
  it.each([
    { name: 'valid', token, now: T0, want: { ok: true, claim } },
    { name: 'expired', token, now: T0 + 3_600_000, want: { ok: false, reason: 'expired' } },
    { name: 'other secret', token: signAckToken(new Secret('another-secret-0123456'), claim), now: T0, want: { ok: false, reason: 'bad-signature' } },
    { name: 'claim edited', token: `${Buffer.from('{"a":"ALR-2","c":"noc-a","e":9999999999999}').toString('base64url')}.${mac}`, now: T0, want: { ok: false, reason: 'bad-signature' } },
    { name: 'no mac', token: body, now: T0, want: { ok: false, reason: 'malformed' } },
    { name: 'garbage', token: '..', now: T0, want: { ok: false, reason: 'malformed' } },
  ])('$name', ({ token: t, now, want }) => {
    expect(verifyAckToken(secret, t, now)).toMatchObject(want);
  });
});

function alertFor(siteIds: string[], over: Partial<Alert> = {}): { alert: Alert; ctx: ComposeContext } {
  const sites = siteIds.map((id) => site(id));
  const pctx = policyContext(config(), T0, { sites });
  const incidents = Object.fromEntries(
    siteIds.map((id, k) => [`I${k}`, snapshotOf(incident(`I${k}`, { siteId: id, responsibility: 'line', rule: 'mass-outage', groupEventId: 'GE-1' }))]),
  );
  const alert = newAlert(pctx, siteIds.length > 1 ? 'mass-outage' : 'site-down', 'k', { siteIds, incidents, carrierGroup: 'POP-A', firedAt: T0, ...over });
  const ctx: ComposeContext = { sites: pctx.sites, parent: null, ack: { secret, publicUrl: 'https://demarc.noc.example/', ttlHours: 12 }, carrierLimitHours: 2, customer: '服务中心', callback: null };
  return { alert, ctx };
}

const note = (alertId: string, over: Partial<Notification> = {}): Notification => ({ alertId, kind: 'firing', contactIds: ['noc-a'], at: T0 + 60_000, avoidChannel: null, ...over });

describe('message rendering', () => {
  it('every rule and kind renders in both languages with a title', () => {
    for (const rule of ALERT_RULES) {
      for (const kind of ['firing', 'renotify', 'escalation', 'verdict-changed', 'resolved', 'fault-report', 'fault-report-update'] as const) {
        const { alert, ctx } = alertFor(['S01'], { rule, detail: 'detail' });
        const m = composeMessage(alert, note(alert.id, { kind }), ctx);
        for (const lang of ['zh-CN', 'en'] as const) expect(renderMessage(m, lang, new Map()).title.length, `${rule}/${kind}/${lang}`).toBeGreaterThan(5);
      }
    }
  });

  it('English on request, times still in Asia/Shanghai', () => {
    const { alert, ctx } = alertFor(['S01']);
    const r = renderMessage(composeMessage(alert, note(alert.id), ctx), 'en', new Map([['noc-a', 'Duty A']]));
    expect(r.title).toBe('[DOWN] S01 farm: circuit down');
    expect(r.blocks).toContainEqual({ type: 'field', label: 'Responsibility', value: 'Line side (carrier) (Provisional)' });
    expect(r.blocks).toContainEqual({ type: 'field', label: 'Started', value: '2026-03-10 02:00:00 (Asia/Shanghai)' });
    const link = r.blocks.find((b) => b.type === 'link');
    expect(link).toMatchObject({ label: 'Acknowledge (Duty A)', url: expect.stringMatching(/^https:\/\/demarc\.noc\.example\/api\/alerts\/ack\?token=/) });
  });

  it('a fault report carries no ack link; an acknowledged alert’s reminder none either', () => {
    const { alert, ctx } = alertFor(['S01']);
    expect(composeMessage(alert, note(alert.id, { kind: 'fault-report', contactIds: ['carrier-desk'] }), ctx).ackLinks).toEqual([]);
    expect(composeMessage({ ...alert, ackedAt: T0, ackedBy: 'x' }, note(alert.id, { kind: 'renotify' }), ctx).ackLinks).toEqual([]);
  });

  it('a 120-site mass outage still fits WeCom’s 4096 bytes, saying how many entries were left out', () => {
    const ids = Array.from({ length: 120 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);
    const { alert, ctx } = alertFor(ids);
    const r = renderMessage(composeMessage(alert, note(alert.id), ctx), 'zh-CN', new Map());
    const w = wecomBody(r, ['noc.a']);
    expect(Buffer.byteLength(w.markdown.content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(w.markdown.content).toMatch(/- … \(\+\d+\)/);
    expect(w.markdown.content.endsWith('<@noc.a>')).toBe(true);
    expect(r.title).toBe('【群障】承载节点 POP-A 下 120 个站点同时中断');
  });

  it('DingTalk @-mentions are in the text as well as in at.atMobiles; email HTML is escaped', () => {
    const { alert, ctx } = alertFor(['S01'], { detail: '<script>alert(1)</script>' });
    const r = renderMessage(composeMessage(alert, note(alert.id), ctx), 'zh-CN', new Map());
    const d = dingtalkBody(r, ['13800000001']);
    expect(d.at).toEqual({ atMobiles: ['13800000001'], isAtAll: false });
    expect(d.markdown.text).toContain('@13800000001');
    const e = emailContent(r);
    expect(e.html).not.toContain('<script>');
    expect(e.html).toContain('&lt;script&gt;');
  });
});

describe('delivery plan', () => {
  const cfg = config({
    channels: [
      { id: 'mail', type: 'email', host: '127.0.0.1', from: 'd@x.example' },
      { id: 'noc-robot', type: 'wecom', key: 'k' },
      { id: 'log', type: 'log' },
    ],
  });
  it.each([
    { name: 'one email per person, one robot message for the group', n: { contactIds: ['noc-a', 'noc-b'] }, want: ['mail:noc-a', 'mail:noc-b', 'noc-robot:noc-a'] },
    { name: 'a failing channel is avoided', n: { contactIds: ['noc-a'], avoidChannel: 'noc-robot' }, want: ['mail:noc-a'] },
    { name: 'the only channel failing → the log', n: { contactIds: ['noc-b'], avoidChannel: 'mail' }, want: ['log:noc-b'] },
    { name: 'nobody routed → the log', n: { contactIds: [] }, want: ['log:'] },
  ])('$name', ({ n, want }) => {
    const plan = planDeliveries(note('A', n), cfg);
    expect(plan.map((p) => `${p.channelId}:${p.contactIds.join(',')}`).sort()).toEqual(want);
  });

  it.each([
    { attempts: 1, ms: 10_000 },
    { attempts: 2, ms: 30_000 },
    { attempts: 3, ms: 90_000 },
    { attempts: 5, ms: 600_000 },
  ])('backoff after attempt $attempts is $ms ms', ({ attempts, ms }) => {
    expect(backoffMs(attempts, cfg.delivery)).toBe(ms);
  });
});

describe('utilization and error watch', () => {
  const sample = (minute: number, util: number | null, errors: number | null = 0): CircuitSample =>
    ({ siteId: 'S01', at: T0 + minute * 60_000, inUtilPct: util, outUtilPct: util === null ? null : util / 2, inErrorsPerSec: errors, outErrorsPerSec: null, inDiscardsPerSec: null, outDiscardsPerSec: null }) as CircuitSample;
  it.each([
    { name: '30 min at 95% → one finding', utils: [95, 95, 95, 95], mins: [0, 10, 20, 30], want: ['30 high-utilization on'] },
    { name: 'a dip resets the run', utils: [95, 95, 80, 95, 95], mins: [0, 20, 25, 30, 50], want: [] },
    { name: 'a gap neither breaks nor continues', utils: [95, null, 95], mins: [0, 15, 30], want: ['30 high-utilization on'] },
    { name: 'back below clears', utils: [95, 95, 50], mins: [0, 30, 40], want: ['30 high-utilization on', '40 high-utilization off'] },
  ])('$name', ({ utils, mins, want }) => {
    const w = new UtilizationWatch(config().thresholds);
    const got = utils.flatMap((u, i) => w.observe([sample(mins[i]!, u)])).filter((f) => f.kind === 'high-utilization');
    expect(got.map((f) => `${(f.at - T0) / 60_000} ${f.kind} ${f.active ? 'on' : 'off'}`)).toEqual(want);
  });

  it('errors at or above 1/s for 10 min', () => {
    const w = new UtilizationWatch(config().thresholds);
    const got = [0, 5, 10].flatMap((m) => w.observe([sample(m, 10, 2)]));
    expect(got).toMatchObject([{ kind: 'errors', active: true, at: T0 + 600_000 }]);
  });
});

describe('the log channel', () => {
  it('prints each alert as one line with the responsibility, the evidence and the ack link', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) });
    const { alert, ctx } = alertFor(['S01'], {
      incidents: { I0: snapshotOf(incident('I0', { siteId: 'S01', responsibility: 'device', rule: 'ce-rebooted', evidence: [{ at: T0, kind: 'ce-rebooted', params: { uptimeSec: 40, outageSec: 300 } }] })) },
    });
    const sender = createChannelSender(config(), { clock: new ManualClock(T0), logger });
    await sender.send({ id: 'D1', channelId: 'log', contactIds: ['noc-a'], message: composeMessage(alert, note(alert.id), ctx) });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.msg).toContain('S01');
    expect(line.responsibility).toBe('设备侧（甲方）');
    expect((line.evidence as string[]).join('\n')).toContain('CE 已运行 40 秒');
    expect((line.ack as string[])[0]).toMatch(/^https:\/\/demarc\.noc\.example\/api\/alerts\/ack\?token=/);
  });
});
