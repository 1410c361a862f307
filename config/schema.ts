import { z } from 'zod';
import { ROLES } from '../core/user.js';
import { secretString } from './secret-string.js';
import { outageConfigSchema } from '../outage/config-schema.js';
import { natsConfigSchema } from '../remote/config-schema.js';

/**
 * demarc.yaml, validated once at start-up. Every object is strict: an unknown key is an
 * error (a typo such as `intervalSecs` must not silently fall back to a default).
 * Sections owned by later pipeline stages live beside their code and are composed here.
 */

const timing = {
  timeoutMs: z.number().int().min(50).max(60_000).default(2000),
  retries: z.number().int().min(0).max(5).default(1),
};

const communityProfile = z.strictObject({
  version: z.enum(['1', '2c']),
  community: secretString,
  ...timing,
});

const v3Profile = z
  .strictObject({
    version: z.literal('3'),
    user: z.string().min(1),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']),
    authProtocol: z.enum(['SHA', 'SHA-256']).optional(),
    authKey: secretString.optional(),
    privProtocol: z.enum(['AES-128', 'AES-256']).optional(),
    privKey: secretString.optional(),
    ...timing,
  })
  .superRefine((p, ctx) => {
    if (p.level !== 'noAuthNoPriv' && (!p.authProtocol || !p.authKey))
      ctx.addIssue({ code: 'custom', message: `level ${p.level} needs authProtocol and authKey`, path: ['authKey'] });
    if (p.level === 'authPriv' && (!p.privProtocol || !p.privKey))
      ctx.addIssue({ code: 'custom', message: 'level authPriv needs privProtocol and privKey', path: ['privKey'] });
    if (p.authKey && p.authKey.reveal().length < 8)
      ctx.addIssue({ code: 'custom', message: 'SNMPv3 keys must be at least 8 characters (RFC 3414)', path: ['authKey'] });
    if (p.privKey && p.privKey.reveal().length < 8)
      ctx.addIssue({ code: 'custom', message: 'SNMPv3 keys must be at least 8 characters (RFC 3414)', path: ['privKey'] });
  });

// zod's discriminated union needs plain objects; v3 carries a refinement, so switch by hand.
const snmpProfile = z.union([communityProfile, v3Profile]);

const collector = z.strictObject({
  /** Seconds between polls of one site. 60 in production; tests use 1. */
  intervalSec: z.number().min(0.2).max(3600).default(60),
  /** Requests in flight at once across all devices. */
  concurrency: z.number().int().min(1).max(100_000).default(500),
  /** Spread site polls across the interval instead of firing them all at once. */
  spreadPolls: z.boolean().default(true),
  /**
   * UDP sockets per address family that all SNMP sessions share, replies matched by request id
   * and source address (collector/shared-udp.ts). 0: one socket per device, as net-snmp does.
   */
  sharedSockets: z.number().int().min(0).max(64).default(4),
});

const traps = z.strictObject({
  enabled: z.boolean().default(true),
  /** Loopback in the demo; the management address in production. */
  host: z.string().min(1).default('127.0.0.1'),
  /** 162 needs root; demarc listens unprivileged and the firewall or compose maps 162 to it. 0: any free port. */
  port: z.number().int().min(0).max(65535).default(1162),
  /** Communities accepted from v1/v2c senders; anything else is counted and dropped. */
  communities: z.array(secretString).default([]),
  /** Vendor dying-gasp notification OIDs (power failing at the site): Cisco, Huawei by default. */
  dyingGaspOids: z
    .array(z.string().regex(/^\d+(\.\d+)+$/, 'a numeric OID'))
    .default(['1.3.6.1.4.1.9.9.41.2.0.1', '1.3.6.1.4.1.2011.5.25.136.1.6.8']),
});

const embeddedStore = z.strictObject({
  /** SQLite file for samples; relative paths are relative to demarc.yaml. */
  path: z.string().min(1).default('../var/metrics.db'),
});

const influxStore = z.strictObject({
  url: z.url(),
  database: z.string().min(1).default('demarc'),
  username: z.string().optional(),
  password: secretString.optional(),
  /** Where samples wait while InfluxDB is unreachable; replayed in order when it is back. */
  spillPath: z.string().min(1).default('../var/influx-spill.ndjson'),
});

const store = z.strictObject({
  backend: z.enum(['embedded', 'influx']).default('embedded'),
  embedded: embeddedStore.prefault({}),
  influx: influxStore.optional(),
  retention: z
    .strictObject({
      rawDays: z.number().int().min(1).default(35),
      rollupDays: z.number().int().min(1).default(730),
    })
    .prefault({}),
}).superRefine((s, ctx) => {
  if (s.backend === 'influx' && !s.influx)
    ctx.addIssue({ code: 'custom', message: 'backend influx needs an influx section (url, database)', path: ['influx'] });
});

const state = z.strictObject({
  /** SQLite file for incidents, maintenance windows, alerts, audit log. */
  path: z.string().min(1).default('../var/state.db'),
  /** Online backups of the state file (SQLite's backup API), run from the jobs table. */
  backup: z
    .strictObject({
      /** Where the copies go; default: `backups/` beside the state file. */
      dir: z.string().min(1).optional(),
      /** Copies kept; each backup deletes the older ones. 0: no backups. */
      keep: z.number().int().min(0).max(3650).default(14),
      /** When (node-cron with seconds, Asia/Shanghai); default daily at 03:30. */
      cron: z.string().min(1).default('0 30 3 * * *'),
    })
    .prefault({}),
});

const api = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Built-in HTTPS: PEM files, relative to demarc.yaml, re-read on SIGHUP. */
  tls: z
    .strictObject({
      cert: z.string().min(1),
      key: z.string().min(1),
      /** A plain-HTTP listener that redirects to HTTPS; omit for none. */
      redirectPort: z.number().int().min(0).max(65535).optional(),
    })
    .optional(),
  /** Mutating requests per source address and window (express-rate-limit). */
  rateLimit: z
    .strictObject({
      windowSec: z.number().int().min(1).max(86_400).default(60),
      max: z.number().int().min(1).max(1_000_000).default(120),
    })
    .prefault({}),
});

const audit = z.strictObject({
  /** The HMAC key of the audit chain, e.g. ${DEMARC_AUDIT_KEY}; never stored in the state db. */
  key: secretString.optional(),
  /** Without `key`: a key file (0600), made on first start; relative to demarc.yaml, default beside the state db. */
  keyFile: z.string().min(1).optional(),
  /** Where the chain head is anchored outside the database (JSON lines); default beside the state db. */
  anchorFile: z.string().min(1).optional(),
});

const sim = z.strictObject({
  /** Port of the simulator's fault-injection HTTP API (loopback only). */
  controlPort: z.number().int().min(0).max(65535).default(8161),
  /** Fault schedule for the demo; relative to demarc.yaml. */
  scenario: z.string().optional(),
  /** Random seed for traffic curves, so a demo run can be replayed. */
  seed: z.number().int().default(20260101),
});

/**
 * Bootstrap only: on start, a listed user missing from the state database is created there
 * (without a password: set one with `demarc user passwd`). The database is the truth after that.
 */
const user = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.@-]+$/, 'user ids are letters, digits, _ . @ -'),
  name: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
});

import { alertsConfigSchema } from '../alerts/config-schema.js';
import { reportsConfigSchema } from '../reports/config-schema.js';
import { authConfigSchema } from './auth-schema.js';
import { discoveryConfigSchema, registerConfigSchema } from '../inventory/config-schema.js';

export const configSchema = z.strictObject({
  /** CSV inventory of sites and circuits; relative to demarc.yaml. */
  inventory: z.string().min(1),
  timezone: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
  snmp: z.strictObject({
    profiles: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'profile names are letters, digits, _ . -'), snmpProfile),
  }),
  collector: collector.prefault({}),
  traps: traps.prefault({}),
  store: store.prefault({}),
  state: state.prefault({}),
  api: api.prefault({}),
  audit: audit.prefault({}),
  sim: sim.prefault({}),
  outage: outageConfigSchema.prefault({}),
  alerts: alertsConfigSchema.prefault({}),
  reports: reportsConfigSchema.prefault({}),
  auth: authConfigSchema.prefault({}),
  discovery: discoveryConfigSchema.prefault({}),
  register: registerConfigSchema.prefault({}),
  /** Remote collectors over NATS JetStream; absent = one process, no NATS (remote/). */
  nats: natsConfigSchema.optional(),
  users: z
    .array(user)
    .default([])
    .superRefine((users, ctx) => {
      const seen = new Set<string>();
      users.forEach((u, i) => {
        if (seen.has(u.id)) ctx.addIssue({ code: 'custom', message: `duplicate user id "${u.id}"`, path: [i, 'id'] });
        seen.add(u.id);
      });
    }),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
