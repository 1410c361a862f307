import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { Logger } from '../core/logger.js';
import type { NatsConfig } from './config-schema.js';
import { SUBJECT_ROOT } from './messages.js';

export interface NatsLink {
  nc: NatsConnection;
  js: JetStreamClient;
  members: KV;
  /** Connected right now (false during a WAN cut or a nats-server restart). */
  connected(): boolean;
  close(): Promise<void>;
}

const SEC_NS = 1_000_000_000;

/**
 * Connects to NATS and makes sure the stream and the members bucket exist with demarc's
 * settings (whoever comes first creates them; the settings are the same in every config).
 * The connection reconnects forever: a collector outlives any outage of the link.
 */
export async function openNatsLink(cfg: NatsConfig, name: string, logger: Logger): Promise<NatsLink> {
  const nc = await connect({
    servers: cfg.url.split(',').map((s) => s.trim()),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // A WAN link that dies silently (no RST) is noticed within ~20 s, not the default 4 minutes.
    pingInterval: 10_000,
    maxPingOut: 2,
    waitOnFirstConnect: true,
  });
  let up = true;
  (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        up = false;
        logger.warn({ server: 'server' in s ? s.server : undefined }, 'NATS link lost; buffering');
      } else if (s.type === 'reconnect') {
        up = true;
        logger.info({ server: 'server' in s ? s.server : undefined }, 'NATS link back');
      }
    }
  })().catch(() => undefined);
  const jsm = await jetstreamManager(nc);
  const streamConfig = {
    name: cfg.stream,
    subjects: [`${SUBJECT_ROOT}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: Math.round(cfg.maxAgeHours * 3600 * SEC_NS),
    max_bytes: cfg.maxBytes,
    duplicate_window: Math.round(cfg.duplicateWindowSec * SEC_NS),
  };
  try {
    await jsm.streams.info(cfg.stream);
    await jsm.streams.update(cfg.stream, streamConfig);
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) throw err;
    await jsm.streams.add(streamConfig);
  }
  const members = await new Kvm(nc).create(cfg.kvBucket, { ttl: Math.round(cfg.ttlSec * 1000), history: 1 });
  const js = jetstream(nc);
  return {
    nc,
    js,
    members,
    connected: () => up && !nc.isClosed(),
    close: async () => {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

/**
 * The collectors whose heartbeat is in the bucket (entries expire after ttlSec). Bounded in
 * time: listing keys across a reconnect can wait forever, and a membership beat stuck on it
 * would stop the heartbeats themselves.
 */
export async function aliveMembers(kv: KV, timeoutMs: number): Promise<Set<string>> {
  return within(timeoutMs, 'listing the members bucket', async () => {
    const out = new Set<string>();
    for await (const k of await kv.keys()) out.add(k);
    return out;
  });
}

/** The operation's result, or a rejection naming it after `ms`. */
export function within<T>(ms: number, what: string, op: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([op(), timeout]).finally(() => clearTimeout(timer));
}
