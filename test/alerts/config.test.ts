import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { substituteEnv } from '../../config/env-substitution.js';
import { configSchema } from '../../config/schema.js';
import { alertsConfigSchema, type AlertsConfigInput } from '../../alerts/config-schema.js';
import { recipientsFor } from '../../alerts/routing.js';
import { newAlert } from '../../alerts/alert-book.js';
import { snapshotOf } from '../../alerts/alert.js';
import { incident, policyContext, ROUTING, T0 } from './fixtures.js';

const EXAMPLE = fileURLToPath(new URL('../../alerts/alerts.example.yaml', import.meta.url));
const ENV = {
  DEMARC_ACK_SECRET: 'ack-secret-of-at-least-16',
  DEMARC_WECOM_KEY: 'wk',
  DEMARC_DINGTALK_TOKEN: 'dt',
  DEMARC_DINGTALK_SECRET: 'SECds',
  DEMARC_SMTP_PASSWORD: 'smtp-secret-password',
  DEMARC_WEBHOOK_SECRET: 'whs',
};

function problems(input: AlertsConfigInput): string[] {
  const r = alertsConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}${'keys' in i ? ` ${String(i.keys)}` : ''}`);
}

describe('alerts config', () => {
  it('has working defaults: nothing configured means everything goes to the log', () => {
    const cfg = alertsConfigSchema.parse({});
    expect(cfg).toMatchObject({ enabled: true, language: 'zh-CN', channels: [], routes: [], timings: { groupingWindowSec: 60, escalateAfterMinutes: 15, carrierDeadlineLeadMinutes: 15 } });
    expect(cfg.delivery).toEqual({ attempts: 5, backoffSec: 10, backoffFactor: 3, maxBackoffSec: 600, timeoutSec: 10 });
  });

  it('the worked example in README parses, keeps its secrets secret, and routes as it says', () => {
    const { value, missing } = substituteEnv(parseYaml(readFileSync(EXAMPLE, 'utf8')), ENV);
    expect(missing).toEqual([]);
    const whole = configSchema.safeParse({ inventory: 'sites.csv', snmp: { profiles: {} }, ...(value as object) });
    expect(whole.success ? [] : whole.error.issues).toEqual([]);
    const cfg = whole.data!.alerts;
    expect(JSON.stringify(cfg)).not.toMatch(/smtp-secret-password|ack-secret-of/);
    expect(cfg.channels.find((c) => c.id === 'noc-dingtalk')).toMatchObject({ url: 'https://oapi.dingtalk.com/robot/send' });

    const sites = [{ ...(policyContext(cfg, T0).sites.get('S01')!) }];
    const at = (local: string) => Date.parse(`${local}+08:00`);
    const route = (resp: 'line' | 'device', local: string) => {
      const ctx = policyContext(cfg, at(local), { sites });
      const a = newAlert(ctx, 'site-down', 'k', { siteIds: ['S01'], incidents: { I: snapshotOf(incident('I', { responsibility: resp })) } });
      return recipientsFor(a, 0, ctx.now, cfg, ctx.sites);
    };
    expect(route('line', '2026-03-10T03:00:00')).toEqual({ oncall: ['noc-night'], carrier: ['carrier-desk'] });
    expect(route('line', '2026-03-10T10:00:00')).toEqual({ oncall: ['noc-day'], carrier: ['carrier-desk'] });
    expect(route('line', '2026-10-02T10:00:00')).toEqual({ oncall: ['noc-night'], carrier: ['carrier-desk'] });
    expect(route('device', '2026-03-10T03:00:00')).toEqual({ oncall: ['div1-oncall'], carrier: [] });
  });

  it.each<{ name: string; input: AlertsConfigInput; want: RegExp }>([
    { name: 'unknown key', input: { timings: { groupingWindowSecs: 5 } as never }, want: /^timings: .*groupingWindowSecs/ },
    { name: 'plain SMTP', input: { channels: [{ id: 'm', type: 'email', host: 'h', from: 'a@b.c', security: 'none' as never }] }, want: /^channels\.0\.security/ },
    { name: 'contact on an unknown channel', input: { contacts: [{ id: 'a', name: 'A', channels: ['nope'] }] }, want: /^contacts\.0\.channels\.0: unknown channel "nope"/ },
    {
      name: 'email channel without an address',
      input: { channels: [{ id: 'm', type: 'email', host: 'h', from: 'a@b.c' }], contacts: [{ id: 'a', name: 'A', channels: ['m'] }] },
      want: /^contacts\.0\.email: contact "a" uses email channel "m"/,
    },
    {
      name: 'the carrier routed for more than line-side outages',
      input: { ...ROUTING, routes: [{ match: { responsibility: ['line', 'monitoring'] }, to: ['carrier-desk'] }] },
      want: /^routes\.0\.to\.0: carrier contact "carrier-desk" may only be routed with match\.responsibility: \[line\]/,
    },
    {
      name: 'the carrier put on call',
      input: { ...ROUTING, rotations: [{ id: 'r', shifts: [{ from: '00:00', to: '00:00', chain: ['carrier-desk'] }], fallback: ['noc-a'] }] },
      want: /^rotations\.0\.shifts\.0\.chain\.0: carrier contact "carrier-desk" cannot be on call/,
    },
    { name: 'route to nobody known', input: { routes: [{ match: {}, to: ['ghost'] }] }, want: /^routes\.0\.to\.0: unknown contact or rotation "ghost"/ },
    { name: 'bad time of day', input: { ...ROUTING, rotations: [{ id: 'r', shifts: [{ from: '8:30', to: '17:30', chain: ['noc-a'] }], fallback: ['noc-a'] }] }, want: /^rotations\.0\.shifts\.0\.from: a time of day is HH:MM/ },
    { name: 'ack secret without public address', input: { ackSecret: 'long-enough-secret-123' }, want: /^publicUrl: ackSecret needs publicUrl/ },
    { name: 'short ack secret', input: { ackSecret: 'short', publicUrl: 'https://x.example' }, want: /^ackSecret: ackSecret must be at least 16/ },
    { name: 'duplicate channel ids', input: { channels: [{ id: 'log', type: 'log' }, { id: 'log', type: 'log' }] }, want: /^channels\.1\.id: duplicate channel id "log"/ },
    { name: 'unknown rule', input: { rules: { 'site-up': { enabled: false } } as never }, want: /^rules/ },
  ])('rejects $name, naming where', ({ input, want }) => {
    const found = problems(input);
    expect(found.some((p) => want.test(p)), found.join('\n')).toBe(true);
  });
});
