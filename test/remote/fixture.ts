import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';

/** Writes a role's demarc.yaml beside the fleet's: the same inventory and groups, its own files. */
export function writeRoleConfig(dir: string, name: string, over: (doc: Record<string, any>) => void): string {
  const doc = parse(readFileSync(join(dir, 'demarc.yaml'), 'utf8')) as Record<string, any>;
  over(doc);
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(doc));
  return path;
}

/** Every sample a collector journalled (what it took), as `site@at`; its backlog of unsent rows. */
/** A collector's journal: every sample it took (`site@at`), those the stream acknowledged, and how many wait to be sent. */
export function journalOf(path: string): { taken: Set<string>; acked: Set<string>; backlog: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT msg_id AS id, acked_at AS acked FROM journal WHERE msg_id LIKE 's:%'").all() as { id: string; acked: number | null }[];
    const key = (id: string) => id.slice(2, id.lastIndexOf('@'));
    const taken = new Set(rows.map((r) => key(r.id)));
    const acked = new Set(rows.filter((r) => r.acked !== null).map((r) => key(r.id)));
    return { taken, acked, backlog: rows.filter((r) => r.acked === null).length };
  } finally {
    db.close();
  }
}

/** The first journalled sample instant of these sites at or after `from`. */
export function firstSampleAfter(path: string, siteIds: readonly string[], from: number): number | null {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    let best: number | null = null;
    for (const r of db.prepare("SELECT msg_id AS id FROM journal WHERE msg_id LIKE 's:%'").all() as { id: string }[]) {
      const [site, at] = r.id.slice(2).split('@');
      const t = Number(at);
      if (siteIds.includes(site!) && t >= from && (best === null || t < best)) best = t;
    }
    return best;
  } finally {
    db.close();
  }
}

/** The center's stored readings as `site@at`. */
export function storedOf(metricsDb: string): Set<string> {
  const db = new Database(metricsDb, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare('SELECT site_id AS s, at FROM raw_sample').all() as { s: string; at: number }[]).map((r) => `${r.s}@${r.at}`));
  } finally {
    db.close();
  }
}

/** The collector each stored reading names (`site@at` → collector id, null for the center's own). */
export function vantageOf(metricsDb: string): Map<string, string | null> {
  const db = new Database(metricsDb, { readonly: true, fileMustExist: true });
  try {
    return new Map((db.prepare('SELECT site_id AS s, at, vantage FROM raw_sample').all() as { s: string; at: number; vantage: string | null }[]).map((r) => [`${r.s}@${r.at}`, r.vantage]));
  } finally {
    db.close();
  }
}

export function incidentsOf(stateDb: string): { site: string | null; kind: string; responsibility: string; rule: string }[] {
  const db = new Database(stateDb, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT site_id AS site, kind, responsibility, rule FROM outage_incident').all() as never;
  } finally {
    db.close();
  }
}

/** Sample messages in the stream and how many of them repeat a Nats-Msg-Id (a duplicate that got through). */
export async function streamSamples(url: string, stream: string): Promise<{ messages: number; duplicates: number }> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    // nats-server 2.9 (Debian) has no multi-filter consumers: read everything, keep the samples.
    const c = await jsm.jetstream().consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const ids = new Map<string, number>();
    let messages = 0;
    const last = info.state.last_seq;
    if (info.state.messages > 0) {
      for await (const m of await c.consume()) {
        const id = m.headers?.get('Nats-Msg-Id') ?? '';
        // Samples only; messages without an id are not a collector's (the garbage test publishes some).
        if (id.startsWith('s:')) {
          ids.set(id, (ids.get(id) ?? 0) + 1);
          messages++;
        }
        if (m.seq >= last) break;
      }
    }
    return { messages, duplicates: [...ids.values()].reduce((n, k) => n + k - 1, 0) };
  } finally {
    await nc.close();
  }
}

export async function health(apiPort: number): Promise<any> {
  const r = await fetch(`http://127.0.0.1:${apiPort}/api/health`);
  return r.json();
}
