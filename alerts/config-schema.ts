import { z } from 'zod';
import { LOCALES, type Locale } from '../core/terms.js';
import { RESPONSIBILITIES } from '../core/incident.js';
import { secretString } from '../config/secret-string.js';
import { ALERT_RULES, SEVERITIES } from './alert-rules.js';
import { DAY_TOKENS } from './on-call.js';

/**
 * `alerts:` in demarc.yaml: who is told what, through which channel, and when. Every object is
 * strict, cross-references (contact → channel, route → contact or rotation) are checked here so
 * a typo fails at start-up instead of silently paging nobody at 3 a.m.
 */

const id = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'ids are letters, digits, _ . -');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM (24 h, Asia/Shanghai)');
const language = z.enum(LOCALES);

const webhookChannel = z.strictObject({
  id,
  type: z.literal('webhook'),
  url: z.url(),
  /** HMAC-SHA256 key; the body is signed as described in README (X-Demarc-Signature). */
  secret: secretString,
  language: language.optional(),
});

const wecomChannel = z.strictObject({
  id,
  type: z.literal('wecom'),
  /** The robot's key (the `key=` of its webhook address): whoever has it can post to the group. */
  key: secretString,
  url: z.url().default('https://qyapi.weixin.qq.com/cgi-bin/webhook/send'),
  language: language.optional(),
});

const dingtalkChannel = z.strictObject({
  id,
  type: z.literal('dingtalk'),
  accessToken: secretString,
  /** The robot's "加签" secret (SEC...); when set every request is signed. */
  signSecret: secretString.optional(),
  url: z.url().default('https://oapi.dingtalk.com/robot/send'),
  language: language.optional(),
});

const emailChannel = z.strictObject({
  id,
  type: z.literal('email'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** The security annex asks for encrypted transfer: STARTTLS (587) or implicit TLS (465), never plain. */
  security: z.enum(['starttls', 'tls']).default('starttls'),
  user: z.string().min(1).optional(),
  password: secretString.optional(),
  from: z.string().min(3),
  /** PEM file of the CA that signed the mail server's certificate (an internal CA). */
  caFile: z.string().min(1).optional(),
  language: language.optional(),
});

const logChannel = z.strictObject({ id, type: z.literal('log'), language: language.optional() });

const channel = z.discriminatedUnion('type', [webhookChannel, wecomChannel, dingtalkChannel, emailChannel, logChannel]);

const contact = z.strictObject({
  id,
  name: z.string().min(1),
  /** Channels that reach this person, by channel id. */
  channels: z.array(id).min(1),
  email: z.email().optional(),
  /** Personal information (security annex 9.2): used only for @-mentions, never logged or served. */
  phone: z.string().regex(/^\+?\d{5,20}$/, 'digits only').optional(),
  wecomUserId: z.string().min(1).optional(),
  language: language.optional(),
  /** The carrier's fault desk: receives fault reports for line-side outages and nothing else. */
  carrier: z.boolean().default(false),
});

const dayList = z.array(z.enum(DAY_TOKENS)).min(1).default(['all']);

const shift = z.strictObject({
  /** Calendar of the shift's start day: workday / restday / holiday / makeup (调休补班) / mon..sun / all. */
  days: dayList,
  from: hhmm,
  /** Earlier than `from` means the shift runs past midnight (17:30 → 08:30). */
  to: hhmm,
  /** Paged in this order: the first at once, the next after each escalation step. */
  chain: z.array(id).min(1),
});

const rotation = z.strictObject({
  id,
  shifts: z.array(shift).min(1),
  /** Who is on call when no shift matches. */
  fallback: z.array(id).min(1),
});

const route = z.strictObject({
  match: z
    .strictObject({
      rule: z.array(z.enum(ALERT_RULES)).min(1).optional(),
      severity: z.array(z.enum(SEVERITIES)).min(1).optional(),
      responsibility: z.array(z.enum(RESPONSIBILITIES)).min(1).optional(),
      division: z.array(z.string().min(1)).min(1).optional(),
      carrierGroup: z.array(z.string().min(1)).min(1).optional(),
      /** Calendar days (chinese-days) and hours in Asia/Shanghai when this route applies. */
      days: z.array(z.enum(DAY_TOKENS)).min(1).optional(),
      hours: z.strictObject({ from: hhmm, to: hhmm }).optional(),
    })
    .prefault({}),
  /** Contact or rotation ids. */
  to: z.array(id).min(1),
  /** No later route is consulted for an alert this one matched. */
  stop: z.boolean().default(false),
});

const ruleSetting = z.strictObject({ enabled: z.boolean().default(true), severity: z.enum(SEVERITIES).optional() });

const timings = z.strictObject({
  /** A site-down alert waits this long for its carrier_group's mass outage, so 10 sites page once. */
  groupingWindowSec: z.number().min(0).max(3600).default(60),
  /** A recovered alert is held this long; a new drop of the same site inside it re-joins the alert. */
  flapDampingSec: z.number().min(0).max(86_400).default(300),
  renotifyMinutes: z.number().gt(0).max(10_080).default(30),
  escalateAfterMinutes: z.number().gt(0).max(10_080).default(15),
  /** Warn this long before the carrier's response limit (contract 7.4.2) runs out. */
  carrierDeadlineLeadMinutes: z.number().min(0).max(1440).default(15),
  ackLinkTtlHours: z.number().gt(0).max(720).default(12),
});

const delivery = z.strictObject({
  attempts: z.number().int().min(1).max(20).default(5),
  backoffSec: z.number().gt(0).max(3600).default(10),
  backoffFactor: z.number().min(1).max(10).default(3),
  maxBackoffSec: z.number().gt(0).max(86_400).default(600),
  timeoutSec: z.number().gt(0).max(120).default(10),
});

const thresholds = z.strictObject({
  utilization: z
    .strictObject({
      /** Either direction at or above this share of the nominal rate (70M), for `minutes`. */
      pct: z.number().gt(0).max(200).default(90),
      minutes: z.number().gt(0).max(10_080).default(30),
    })
    .prefault({}),
  errors: z
    .strictObject({
      /** In+out errors and discards per second on the handoff port, for `minutes`. */
      perSec: z.number().gt(0).default(1),
      minutes: z.number().gt(0).max(10_080).default(10),
    })
    .prefault({}),
});

export const alertsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    language: language.default('zh-CN'),
    /** Base address people reach demarc at, for acknowledgement links (e.g. https://demarc.noc.example). */
    publicUrl: z.url().optional(),
    /** Key for acknowledgement links; without it messages carry no ack link. */
    ackSecret: secretString.optional(),
    faultReport: z
      .strictObject({
        /** 甲方 as the carrier knows it, on every fault report. */
        customer: z.string().min(1).default('社会保障卡服务中心'),
        /** Where the carrier calls back (the NOC desk, not a person's mobile). */
        callback: z.string().min(1).optional(),
        /** The carrier's key-account fault hotline (contract 7.4.1), shown on the console's fault report. */
        hotline: z.string().min(1).max(100).optional(),
      })
      .prefault({}),
    timings: timings.prefault({}),
    delivery: delivery.prefault({}),
    thresholds: thresholds.prefault({}),
    silences: z
      .strictObject({
        /** Security annex 11: a silence proposed by one operator takes effect when a second person approves it. */
        requireApproval: z.boolean().default(true),
        maxHours: z.number().gt(0).max(8760).default(168),
      })
      .prefault({}),
    rules: z.partialRecord(z.enum(ALERT_RULES), ruleSetting).default({}),
    channels: z.array(channel).default([]),
    contacts: z.array(contact).default([]),
    rotations: z.array(rotation).default([]),
    routes: z.array(route).default([]),
  })
  .superRefine((a, ctx) => {
    const dup = (what: string, ids: string[], path: string) => {
      const seen = new Set<string>();
      ids.forEach((x, i) => {
        if (seen.has(x)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} id "${x}"`, path: [path, i, 'id'] });
        seen.add(x);
      });
    };
    dup('channel', a.channels.map((c) => c.id), 'channels');
    dup('contact', a.contacts.map((c) => c.id), 'contacts');
    dup('rotation', a.rotations.map((r) => r.id), 'rotations');
    const channels = new Map(a.channels.map((c) => [c.id, c]));
    const contacts = new Map(a.contacts.map((c) => [c.id, c]));
    for (const r of a.rotations) if (contacts.has(r.id)) ctx.addIssue({ code: 'custom', message: `"${r.id}" is both a contact and a rotation`, path: ['rotations'] });
    a.contacts.forEach((c, i) => {
      c.channels.forEach((ch, j) => {
        const found = channels.get(ch) ?? (ch === 'log' ? { type: 'log' } : undefined);
        if (!found) ctx.addIssue({ code: 'custom', message: `unknown channel "${ch}"`, path: ['contacts', i, 'channels', j] });
        if (found?.type === 'email' && !c.email) ctx.addIssue({ code: 'custom', message: `contact "${c.id}" uses email channel "${ch}" but has no email`, path: ['contacts', i, 'email'] });
      });
    });
    a.rotations.forEach((r, i) => {
      const check = (ids: string[], path: (string | number)[]) =>
        ids.forEach((x, j) => {
          const c = contacts.get(x);
          if (!c) ctx.addIssue({ code: 'custom', message: `unknown contact "${x}"`, path: [...path, j] });
          else if (c.carrier) ctx.addIssue({ code: 'custom', message: `carrier contact "${x}" cannot be on call`, path: [...path, j] });
        });
      r.shifts.forEach((s, k) => check(s.chain, ['rotations', i, 'shifts', k, 'chain']));
      check(r.fallback, ['rotations', i, 'fallback']);
    });
    a.routes.forEach((r, i) => {
      r.to.forEach((t, j) => {
        const c = contacts.get(t);
        if (!c && !a.rotations.some((x) => x.id === t)) ctx.addIssue({ code: 'custom', message: `unknown contact or rotation "${t}"`, path: ['routes', i, 'to', j] });
        // The carrier learns about line-side outages only (monitoring or device faults are not theirs to see).
        if (c?.carrier && !(r.match.responsibility?.length === 1 && r.match.responsibility[0] === 'line'))
          ctx.addIssue({ code: 'custom', message: `carrier contact "${t}" may only be routed with match.responsibility: [line]`, path: ['routes', i, 'to', j] });
      });
    });
    if (a.ackSecret && a.ackSecret.reveal().length < 16) ctx.addIssue({ code: 'custom', message: 'ackSecret must be at least 16 characters', path: ['ackSecret'] });
    if (a.ackSecret && !a.publicUrl) ctx.addIssue({ code: 'custom', message: 'ackSecret needs publicUrl (the address in ack links)', path: ['publicUrl'] });
  });

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
export type AlertsConfigInput = z.input<typeof alertsConfigSchema>;
export type ChannelConfig = AlertsConfig['channels'][number];
export type ContactConfig = AlertsConfig['contacts'][number];
export type RotationConfig = AlertsConfig['rotations'][number];
export type RouteConfig = AlertsConfig['routes'][number];
/** The one locale type of the vocabulary (core/terms.ts). */
export type Language = Locale;

export function alertsConfig(input: AlertsConfigInput = {}): AlertsConfig {
  return alertsConfigSchema.parse(input);
}
