import {
  appendFileSync, closeSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, writeFileSync, writeSync,
  readFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { StoredSample } from './stored-sample.js';

/**
 * The bounded write queue in front of InfluxDB, with its spill file. Every accepted batch is
 * first appended to an append-only NDJSON file and fsynced: write() resolves then, so a crash
 * (SIGKILL, power) loses only the call still in progress. A single sender delivers the file in
 * order; `<spill>.cursor` records how far InfluxDB has confirmed. While InfluxDB is down, slow or
 * refusing, the file simply grows and is replayed when it answers again; writes are idempotent
 * (same site and instant = same point) so a batch sent twice after a crash is stored once.
 * Recent batches are also kept in memory (up to maxQueued samples) so normal operation never
 * reads the file back. A batch InfluxDB rejects as invalid (HTTP 4xx) goes to `<spill>.rejected`:
 * kept for a human, never retried forever.
 */

export class PermanentWriteError extends Error {
  override name = 'PermanentWriteError';
}

export interface WriteQueueOptions {
  spillPath: string;
  /** Samples per request to the sink. */
  batchSize?: number;
  /** Samples kept in memory for sending; beyond this the sender reads them back from the file. */
  maxQueued?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface WriteQueueDeps {
  logger: Logger;
  clock: Clock;
  send: (rows: StoredSample[]) => Promise<void>;
}

interface Segment {
  start: number;
  end: number;
  rows: StoredSample[];
}

const READ_CHUNK = 4 << 20;

export class SpillingWriteQueue {
  readonly #opts: Required<WriteQueueOptions>;
  readonly #deps: WriteQueueDeps;
  readonly #cursorPath: string;
  #fd: number;
  #size: number;
  #cursor = 0;
  #backlog = 0;
  #segments: Segment[] = [];
  #inMemory = 0;
  #closed = false;
  #wake: (() => void) | null = null;
  #interrupt: (() => void) | null = null;
  #idle: (() => void)[] = [];
  #loop: Promise<void>;
  lastError: string | null = null;
  lastSentAt: number | null = null;

  constructor(opts: WriteQueueOptions, deps: WriteQueueDeps) {
    this.#opts = {
      spillPath: opts.spillPath,
      batchSize: opts.batchSize ?? 5000,
      maxQueued: opts.maxQueued ?? 50_000,
      retryMinMs: opts.retryMinMs ?? 200,
      retryMaxMs: opts.retryMaxMs ?? 5000,
    };
    this.#deps = deps;
    this.#cursorPath = `${opts.spillPath}.cursor`;
    mkdirSync(dirname(opts.spillPath), { recursive: true });
    this.#fd = openSync(opts.spillPath, 'a+');
    this.#size = this.#dropTornTail();
    const saved = existsSync(this.#cursorPath) ? Number(readFileSync(this.#cursorPath, 'utf8')) : 0;
    this.#cursor = Number.isSafeInteger(saved) && saved >= 0 && saved <= this.#size ? saved : 0;
    this.#backlog = this.#countLines(this.#cursor, this.#size);
    if (this.#backlog) deps.logger.warn({ spillPath: opts.spillPath, backlog: this.#backlog }, 'metric spill file holds samples not yet in InfluxDB; replaying');
    this.#loop = this.#run();
  }

  /** Samples accepted but not yet confirmed by the sink. */
  get backlog(): number {
    return this.#backlog;
  }

  /** Appends a batch to the spill file (fsynced) and queues it for sending. */
  append(rows: readonly StoredSample[]): void {
    if (this.#closed) throw new Error(`write queue ${this.#opts.spillPath} is closed`);
    if (!rows.length) return;
    const buf = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeSync(this.#fd, buf);
    fdatasyncSync(this.#fd);
    const start = this.#size;
    this.#size += buf.length;
    this.#backlog += rows.length;
    if (this.#inMemory + rows.length <= this.#opts.maxQueued) {
      this.#segments.push({ start, end: this.#size, rows: [...rows] });
      this.#inMemory += rows.length;
    }
    this.#wake?.();
  }

  /** Waits until everything accepted is confirmed, or `timeoutMs` passes; true when drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.#backlog === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => this.#idle.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([drained, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the sender after its current request; what is not sent stays in the file for next time. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.();
    this.#interrupt?.();
    await this.#loop;
    closeSync(this.#fd);
  }

  async #run(): Promise<void> {
    let retryMs = this.#opts.retryMinMs;
    while (!this.#closed) {
      if (this.#backlog === 0) {
        for (const f of this.#idle.splice(0)) f();
        await new Promise<void>((r) => (this.#wake = r));
        this.#wake = null;
        continue;
      }
      const batch = this.#nextBatch();
      try {
        if (batch.rows.length) await this.#deps.send(batch.rows);
        this.#confirm(batch.end, batch.rows.length + batch.unreadable);
        this.lastError = null;
        this.lastSentAt = this.#deps.clock.now();
        retryMs = this.#opts.retryMinMs;
      } catch (e) {
        if (e instanceof PermanentWriteError) {
          this.#reject(batch.rows, e.message);
          this.#confirm(batch.end, batch.rows.length + batch.unreadable);
          continue;
        }
        this.lastError = (e as Error).message;
        this.#deps.logger.warn({ err: this.lastError, backlog: this.#backlog, retryMs }, 'InfluxDB write failed; samples stay in the spill file');
        // Only close() cuts the pause short: new samples must not turn a dead server into a busy loop.
        await new Promise<void>((r) => {
          const t = setTimeout(r, retryMs);
          this.#interrupt = () => (clearTimeout(t), r());
        });
        this.#interrupt = null;
        retryMs = Math.min(retryMs * 2, this.#opts.retryMaxMs);
      }
    }
  }

  /** The next run of samples from the cursor: from memory when it holds them, else from the file. */
  #nextBatch(): { rows: StoredSample[]; end: number; unreadable: number } {
    while (this.#segments.length && this.#segments[0]!.end <= this.#cursor) this.#inMemory -= this.#segments.shift()!.rows.length;
    const first = this.#segments[0];
    if (first && first.start === this.#cursor) {
      const rows: StoredSample[] = [];
      let end = this.#cursor;
      for (const s of this.#segments) {
        if (s.start !== end || (rows.length && rows.length + s.rows.length > this.#opts.batchSize)) break;
        rows.push(...s.rows);
        end = s.end;
      }
      return { rows, end, unreadable: 0 };
    }
    return this.#readFile(this.#cursor, first ? first.start : this.#size);
  }

  #readFile(from: number, limit: number): { rows: StoredSample[]; end: number; unreadable: number } {
    const buf = Buffer.alloc(Math.min(READ_CHUNK, limit - from));
    const n = readSync(this.#fd, buf, 0, buf.length, from);
    const rows: StoredSample[] = [];
    let unreadable = 0;
    let pos = 0;
    while (rows.length < this.#opts.batchSize) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= n) break;
      const line = buf.toString('utf8', pos, nl);
      try {
        rows.push(JSON.parse(line) as StoredSample);
      } catch {
        unreadable++;
        this.#reject([], `unreadable line at byte ${from + pos} of ${this.#opts.spillPath}: ${line.slice(0, 200)}`);
      }
      pos = nl + 1;
    }
    if (pos === 0) throw new Error(`spill file ${this.#opts.spillPath}: a line at byte ${from} is longer than ${READ_CHUNK} bytes`);
    return { rows, end: from + pos, unreadable };
  }

  #confirm(end: number, count: number): void {
    this.#cursor = end;
    this.#backlog -= count;
    if (this.#cursor === this.#size) {
      // Everything is delivered: start the file afresh instead of letting it grow forever.
      ftruncateSync(this.#fd, 0);
      this.#size = 0;
      this.#cursor = 0;
      this.#segments = [];
      this.#inMemory = 0;
      this.#backlog = 0;
    }
    const tmp = `${this.#cursorPath}.tmp`;
    writeFileSync(tmp, String(this.#cursor));
    renameSync(tmp, this.#cursorPath);
  }

  #reject(rows: StoredSample[], reason: string): void {
    const path = `${this.#opts.spillPath}.rejected`;
    this.#deps.logger.error({ reason, samples: rows.length, path }, 'InfluxDB refused a batch; kept in the rejected file');
    const lines = rows.map((r) => JSON.stringify({ reason, sample: r }));
    appendFileSync(path, (lines.length ? lines : [JSON.stringify({ reason })]).join('\n') + '\n');
  }

  /** A crash mid-append can leave half a line at the end: it was never acknowledged, so drop it. */
  #dropTornTail(): number {
    const size = fstatSync(this.#fd).size;
    if (size === 0) return 0;
    const tailLen = Math.min(size, READ_CHUNK);
    const buf = Buffer.alloc(tailLen);
    readSync(this.#fd, buf, 0, tailLen, size - tailLen);
    if (buf[tailLen - 1] === 10) return size;
    const nl = buf.lastIndexOf(10);
    const keep = nl < 0 ? (tailLen === size ? 0 : size - tailLen) : size - tailLen + nl + 1;
    this.#deps.logger.warn({ spillPath: this.#opts.spillPath, dropped: size - keep }, 'spill file ended in a torn line (crash during append); dropped it');
    ftruncateSync(this.#fd, keep);
    return keep;
  }

  #countLines(from: number, to: number): number {
    let count = 0;
    const buf = Buffer.alloc(READ_CHUNK);
    for (let pos = from; pos < to; ) {
      const n = readSync(this.#fd, buf, 0, Math.min(buf.length, to - pos), pos);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) if (buf[i] === 10) count++;
      pos += n;
    }
    return count;
  }
}
