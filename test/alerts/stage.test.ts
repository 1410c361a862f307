import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../core/incident.js';
import { ev, incident, MIN, T0 } from './fixtures.js';
import { harnessConfig, newStage, startReceivers, type Receivers, type StageUnderTest } from './support/harness.js';

/**
 * The alert stage against real receivers on loopback (ports 24100-24103): a WeCom robot, a
 * DingTalk robot that checks signed requests, a signed webhook, and an SMTP server with STARTTLS.
 * Time is a ManualClock; nothing sleeps.
 */
let r: Receivers;
let s: StageUnderTest;

beforeAll(async () => {
  r = await startReceivers(24100);
});
afterAll(async () => {
  await r?.close();
});
beforeEach(() => {
  r.reset();
  r.clock.set(T0);
  s = newStage(r, harnessConfig(r, 'http://127.0.0.1:24199'));
});
afterEach(async () => {
  await s.close();
});

const line = (id: string, over: Partial<Incident> = {}) =>
  incident(id, {
    responsibility: 'line',
    rule: 'oob-wan-down',
    evidence: [
      { at: T0, kind: 'ce-unreachable', detail: 'the CE did not answer SNMP over the circuit' },
      { at: T0 + 5000, kind: 'oob-wan-down', detail: 'over OOB the CE is up, WAN port admin up, oper down' },
    ],
    ...over,
  });
const mailsTo = (addr: string) => r.mails().filter((m) => m.to.includes(addr));
const wecomText = (i: number) => (r.wecom.received[i]!.body.markdown as { content: string }).content;

describe('a line outage, end to end', () => {
  it('pages the NOC on WeCom and by email, sends the carrier a fault report, escalates on DingTalk', async () => {
    s.stage.onIncidentEvents([ev('opened', line('I1'))]);
    await s.tick(59_000);
    expect(r.wecom.received).toHaveLength(0);
    await s.tick(1000);

    expect(r.wecom.rejected).toEqual([]);
    expect(r.wecom.received).toHaveLength(1);
    const md = wecomText(0);
    expect(md).toMatch(/^## 【故障】S01 团场 电路中断/);
    for (const want of ['XJ70M-S01', '线路侧（运营商）（初判）', 'WAN 口无链路（带外可见）', '2026-03-10 02:00:05 WAN 口无链路（带外）', '<@zhang.san>', '确认告警（值班员甲）'])
      expect(md).toContain(want);
    expect(md).toMatch(/\(http:\/\/127\.0\.0\.1:24199\/api\/alerts\/ack\?token=[\w%.-]+\)/);

    const [nocMail] = mailsTo('noc-a@noc.example');
    expect(mailsTo('noc-a@noc.example')).toHaveLength(1);
    expect(nocMail).toMatchObject({ secure: true, user: 'demarc', subject: '【故障】S01 团场 电路中断' });
    expect(nocMail!.text).toContain('责任判定: 线路侧（运营商）（初判）');
    expect(nocMail!.html).toContain('<th align="left" style="white-space:nowrap">电路编号</th><td>XJ70M-S01</td>');
    expect(nocMail!.text).toMatch(/确认告警（值班员甲）: http:\/\/127\.0\.0\.1:24199\/api\/alerts\/ack\?token=/);

    const carrier = mailsTo('fault@carrier.example');
    expect(carrier).toHaveLength(1);
    expect(carrier[0]!.subject).toBe('故障申告：某省社会保障卡服务中心 专线 XJ70M-S01 中断');
    for (const want of ['申告单位: 某省社会保障卡服务中心', '电路编号: XJ70M-S01', '位置: 44.3, 86.05', '开始时间: 2026-03-10 02:00:00（北京时间）', '第 7.4.2 条', '2 小时内响应', '第 3.2.6 条', '回电: NOC 值班台'])
      expect(carrier[0]!.text).toContain(want);
    expect(carrier[0]!.text).not.toContain('/api/alerts/ack');

    await s.tick(15 * MIN);
    expect(r.ding.rejected).toEqual([]);
    expect(r.ding.received).toHaveLength(1);
    const ding = r.ding.received[0]!.body as { markdown: { title: string; text: string }; at: { atMobiles: string[] } };
    expect(ding.markdown.title).toMatch(/^【升级】【故障】S01 团场 电路中断/);
    expect(ding.markdown.text).toContain('已 15 分钟无人确认，升级至第 2 级值班人员。');
    expect(ding.at.atMobiles).toEqual(['13800000001']);
    expect(r.ding.received[0]!.query.get('sign')).toBeTruthy();
    expect(mailsTo('noc-b@noc.example')).toHaveLength(1);
    expect(mailsTo('fault@carrier.example')).toHaveLength(1);
  });

  it('a device-side outage goes to the division’s webhook as signed JSON', async () => {
    s.stage.onIncidentEvents([ev('opened', incident('I2', { siteId: 'S03', responsibility: 'device', rule: 'ce-silent-on-all-paths' }))]);
    await s.tick(60_000);
    expect(r.hook.rejected).toEqual([]);
    expect(r.hook.received).toHaveLength(1);
    const got = r.hook.received[0]!;
    expect(got.headers['x-demarc-delivery']).toMatch(/^DLV-/);
    expect(got.body).toMatchObject({
      version: 1,
      kind: 'firing',
      alert: { rule: 'site-down', severity: 'critical', verdict: { responsibility: 'device', verdict: 'provisional', rule: 'ce-silent-on-all-paths' }, startedAt: new Date(T0).toISOString() },
      sites: [{ id: 'S03', circuitId: 'XJ70M-S03', division: '第一师', carrierGroup: 'POP-A' }],
      recipients: [{ id: 'div1-a', name: '一师网管' }],
      message: { language: 'zh-CN', title: '【故障】S03 团场 电路中断' },
    });
    expect(r.mails()).toHaveLength(0);
  });
});

describe('the outcomes the issue requires', () => {
  const sites = Array.from({ length: 10 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
  const member = (id: string) => line(`INC-${id}`, { siteId: id, rule: 'mass-outage', groupEventId: 'GE-7' });

  it('a carrier_group outage of 10 sites → exactly one page per recipient, listing the sites', async () => {
    s.stage.onIncidentEvents(sites.slice(0, 3).map((id) => ev('opened', incident(`INC-${id}`, { siteId: id }))));
    await s.tick(10_000);
    s.stage.onIncidentEvents([...sites.slice(3).map((id) => ev('opened', member(id))), ...sites.slice(0, 3).map((id) => ev('updated', member(id)))]);
    for (let t = 0; t < 13; t++) {
      s.stage.onIncidentEvents(sites.map((id) => ev('updated', member(id))));
      await s.tick(MIN);
    }
    expect(r.wecom.received).toHaveLength(1);
    expect(mailsTo('noc-a@noc.example')).toHaveLength(1);
    expect(mailsTo('fault@carrier.example')).toHaveLength(1);
    expect(r.mails()).toHaveLength(2);
    expect(r.ding.received).toHaveLength(0);
    expect(r.hook.received).toHaveLength(0);
    const md = wecomText(0);
    expect(md).toContain('【群障】承载节点 POP-A 下 10 个站点同时中断');
    for (const id of sites) expect(md).toContain(`XJ70M-${id}`);
    const report = mailsTo('fault@carrier.example')[0]!;
    expect(report.subject).toBe('故障申告：某省社会保障卡服务中心 专线 10 条 中断');
    for (const id of sites) expect(report.text).toContain(`XJ70M-${id}`);
    const alerts = s.stage.history({ from: T0 - MIN, to: T0 + 60 * MIN, limit: 100 }).map((x) => x.alert);
    expect(alerts.filter((a) => a.rule === 'mass-outage')).toHaveLength(1);
    expect(alerts.filter((a) => a.rule === 'site-down').every((a) => a.mergedInto !== null && a.firedAt === null)).toBe(true);
  });

  it('a 30-flap storm → one incident alert (one page each), one recovery message', async () => {
    for (let k = 0; k < 30; k++) {
      const inc = line(`F${k}`, { startedAt: r.clock.now() });
      s.stage.onIncidentEvents([ev('opened', inc)]);
      await s.tick(10_000);
      s.stage.onIncidentEvents([ev('closed', { ...inc, endedAt: r.clock.now(), verdict: 'final', rule: 'line-cut' })]);
      await s.tick(10_000);
    }
    expect(r.wecom.received).toHaveLength(1);
    expect(mailsTo('noc-a@noc.example')).toHaveLength(1);
    expect(mailsTo('fault@carrier.example')).toHaveLength(1);
    await s.tick(300_000);
    expect(r.wecom.received).toHaveLength(2);
    expect(wecomText(1)).toMatch(/^## 【已恢复】【故障】S01 团场 电路中断/);
    expect(wecomText(1)).toContain('闪断/反复次数：**29**');
    const alerts = s.stage.history({ from: T0, to: r.clock.now() + 1, limit: 100 }).map((x) => x.alert);
    expect(alerts).toHaveLength(1);
    expect(Object.keys(alerts[0]!.incidents)).toHaveLength(30);
  });

  it('a maintenance window → no message at all, and the history says why', async () => {
    s.windows.push({
      id: 'MW-1', scope: { kind: 'carrier-group', carrierGroup: 'POP-A' }, startsAt: T0 - MIN, endsAt: T0 + 120 * MIN,
      carrierNoticeRef: 'CUT-2026-031', registeredAt: T0 - 86_400_000, registeredBy: 'noc.zhang',
    });
    const planned = (id: string) => incident(`P-${id}`, { siteId: id, responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' });
    s.stage.onIncidentEvents(sites.map((id) => ev('opened', planned(id))));
    s.stage.onFinding({ siteId: 'S02', kind: 'high-utilization', at: r.clock.now(), active: true, detail: 'after the cutover' });
    for (let t = 0; t < 90; t += 5) await s.tick(5 * MIN);
    s.stage.onIncidentEvents(sites.map((id) => ev('closed', { ...planned(id), endedAt: r.clock.now(), verdict: 'final' })));
    await s.tick(10 * MIN);
    expect(r.wecom.received.length + r.ding.received.length + r.hook.received.length + r.mails().length).toBe(0);
    const alerts = s.stage.history({ from: T0 - MIN, to: r.clock.now() + 1, limit: 100 }).map((x) => x.alert);
    expect(alerts).toHaveLength(11);
    expect(alerts.every((a) => a.firedAt === null)).toBe(true);
    expect(new Set(alerts.map((a) => a.suppressedBy))).toEqual(new Set(['planned:MW-1', 'maintenance:MW-1']));
  });

  it('a failing receiver → retries with backoff, a dead letter, and a health alert on another channel', async () => {
    r.hook.failWith(500);
    s.stage.onIncidentEvents([ev('opened', incident('I3', { siteId: 'S04', responsibility: 'device', rule: 'ce-rebooted' }))]);
    await s.tick(60_000);
    expect(r.hook.rejected).toHaveLength(1);
    await s.tick(9_000);
    expect(r.hook.rejected).toHaveLength(1);
    await s.tick(1_000);
    expect(r.hook.rejected).toHaveLength(2);
    await s.tick(20_000);
    expect(r.hook.rejected).toHaveLength(3);
    expect(new Set(r.hook.rejected.map((x) => x.headers['x-demarc-delivery'])).size).toBe(1);

    const dead = s.stage.outbox.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ channelId: 'hook', attempts: 3, status: 'dead' });
    expect(dead[0]!.lastError).toMatch(/HTTP 500/);
    // The health alert reaches the NOC through WeCom and email, never through the failing webhook.
    expect(r.wecom.received).toHaveLength(1);
    expect(wecomText(0)).toMatch(/^## 【系统】demarc 自身异常/);
    expect(wecomText(0)).toContain('to channel hook failed 3 times');
    expect(mailsTo('noc-a@noc.example')).toHaveLength(1);
    await s.tick(10 * MIN);
    expect(r.hook.rejected).toHaveLength(3);

    r.hook.failWith(null);
    expect(s.stage.retryDeadLetter(dead[0]!.id, 'noc.zhang')).toBe(true);
    await s.stage.idle();
    expect(r.hook.received).toHaveLength(1);
    await s.tick(300_000);
    expect(wecomText(r.wecom.received.length - 1)).toMatch(/^## 【已恢复】【系统】demarc 自身异常/);
    expect(s.audit.list().map((e) => e.action)).toContain('alert.delivery.retry');
  });

  it('an alert open when demarc stops is continued after a restart, not paged again', async () => {
    const cfg = harnessConfig(r, 'http://127.0.0.1:24199');
    const first = newStage(r, cfg, 'restart.db');
    first.stage.onIncidentEvents([ev('opened', line('I10'))]);
    await first.tick(60_000);
    expect(r.wecom.received).toHaveLength(1);
    await first.close();

    const second = newStage(r, cfg, 'restart.db');
    try {
      expect(second.stage.book.all().map((a) => a.status)).toEqual(['firing']);
      second.stage.onIncidentEvents([ev('updated', line('I10', { flaps: 2 }))]);
      await second.tick(60_000);
      expect(r.wecom.received).toHaveLength(1);
      second.stage.onIncidentEvents([ev('closed', { ...line('I10'), endedAt: r.clock.now(), verdict: 'final' })]);
      await second.tick(300_000);
      expect(r.wecom.received).toHaveLength(2);
      expect(wecomText(1)).toMatch(/^## 【已恢复】/);
    } finally {
      await second.close();
    }
  });
});
