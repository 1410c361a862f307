import Influx from 'influx';
import type { Secret } from '../core/secret.js';
import { PermanentWriteError } from './write-journal.js';

/**
 * The connection to one InfluxDB 1.x database: queries and administration through the `influx`
 * package, writes as pre-built line protocol over the same HTTP API (see line-protocol.ts).
 */

export type InfluxValue = number | string | boolean | null;
export type InfluxRow = Record<string, InfluxValue>;
export interface InfluxSeries {
  name: string;
  tags: Record<string, string>;
  rows: InfluxRow[];
}

interface RawResults {
  results?: { statement_id?: number; error?: string; series?: { name: string; tags?: Record<string, string>; columns: string[]; values: InfluxValue[][] }[] }[];
  error?: string;
}

export interface InfluxConnection {
  url: string;
  database: string;
  username?: string;
  password?: Secret;
  requestTimeoutMs?: number;
}

export class InfluxClient {
  readonly influx: Influx.InfluxDB;
  readonly database: string;
  readonly #writeUrl: string;
  readonly #auth: string | null;
  readonly #timeoutMs: number;

  constructor(c: InfluxConnection) {
    const u = new URL(c.url);
    this.database = c.database;
    this.#timeoutMs = c.requestTimeoutMs ?? 10_000;
    this.influx = new Influx.InfluxDB({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'https:' ? 443 : 8086)),
      protocol: u.protocol === 'https:' ? 'https' : 'http',
      database: c.database,
      username: c.username,
      password: c.password?.reveal(),
      // The write queue does the retrying, with backoff and a spill file; the pool must not hide failures.
      pool: { maxRetries: 0, requestTimeout: this.#timeoutMs },
    });
    const base = c.url.replace(/\/+$/, '');
    this.#writeUrl = `${base}/write?db=${encodeURIComponent(c.database)}&precision=ms`;
    this.#auth = c.username ? `Basic ${Buffer.from(`${c.username}:${c.password?.reveal() ?? ''}`).toString('base64')}` : null;
  }

  /** Runs statements in one request; results per statement; any statement error throws with the statement. */
  async query(statements: string | string[], opts: { post?: boolean; placeholders?: Record<string, string | number> } = {}): Promise<InfluxSeries[][]> {
    const list = Array.isArray(statements) ? statements : [statements];
    const raw = (await this.influx.queryRaw(list.join(';\n'), {
      precision: 'ms',
      method: opts.post ? 'POST' : 'GET',
      placeholders: opts.placeholders,
    })) as RawResults;
    if (raw.error) throw new Error(`InfluxDB: ${raw.error}`);
    return list.map((stmt, i) => {
      const r = raw.results?.[i];
      if (r?.error) throw new Error(`InfluxDB refused "${stmt.slice(0, 160)}": ${r.error}`);
      return (r?.series ?? []).map((s) => ({
        name: s.name,
        tags: s.tags ?? {},
        rows: s.values.map((v) => Object.fromEntries(s.columns.map((c, j) => [c, v[j] ?? null]))),
      }));
    });
  }

  /**
   * Posts line protocol (to the raw retention policy unless told otherwise). HTTP 400 (bad point, beyond retention,
   * field type conflict) and 413 are a PermanentWriteError: sending it again cannot succeed.
   * Everything else (401/403 wrong credentials, 404 database missing, 5xx, network) is
   * transient: the samples wait in the spill file until someone fixes it.
   */
  async write(lines: string[], retentionPolicy = 'raw'): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${this.#writeUrl}&rp=${encodeURIComponent(retentionPolicy)}`, {
        method: 'POST',
        body: lines.join('\n'),
        headers: this.#auth ? { authorization: this.#auth } : {},
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new Error(`InfluxDB write to ${this.#writeUrl.split('?')[0]} failed: ${cause ?? (e as Error).message}`, { cause: e });
    }
    if (res.status === 204) return;
    const body = (await res.text()).slice(0, 500);
    if (res.status === 400 || res.status === 413)
      throw new PermanentWriteError(`InfluxDB rejected ${lines.length} points (HTTP ${res.status}): ${body}`);
    throw new Error(`InfluxDB write failed (HTTP ${res.status}): ${body}`);
  }
}
