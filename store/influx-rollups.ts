import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RollupReport } from './metric-store.js';
import { DAY, ROLLUP_LEVELS, bucketStart, type RollupLevel } from './resolution.js';
import { belowWatermark, dayChunks, dirtyChunks, forwardTargets, rawCutoff, type DirtyRange, type Watermarks } from './rollup-plan.js';
import { rollupStatements } from './influx-schema.js';

/**
 * The InfluxDB side of the rollup job. Continuous queries keep recent buckets current; this
 * job runs the same SELECT ... INTO statements over explicit time ranges for what they cannot
 * see: history written with old timestamps (migration), and spill-file replays behind the
 * watermark. Rewriting a bucket writes the same points again, so the job is idempotent; its
 * watermarks and pending late ranges live in a small JSON file beside the spill file, written
 * atomically after every chunk, so a crash resumes where it stopped.
 */

interface StateFile {
  watermarks: Watermarks;
  dirty: DirtyRange[];
}

export class InfluxRollupState {
  readonly #path: string;
  #state: StateFile;

  constructor(path: string) {
    this.#path = path;
    this.#state = existsSync(path) ? parseState(path) : { watermarks: {}, dirty: [] };
  }

  get watermarks(): Watermarks {
    return { ...this.#state.watermarks };
  }

  get dirty(): readonly DirtyRange[] {
    return this.#state.dirty;
  }

  setWatermark(level: RollupLevel, at: number): void {
    this.#state.watermarks[level] = at;
    this.#save();
  }

  /** Recorded before the samples are sent, so a crash in between cannot forget them. */
  addDirty(r: DirtyRange): void {
    this.#state.dirty.push(r);
    this.#save();
  }

  dropDirty(count: number): void {
    this.#state.dirty.splice(0, count);
    this.#save();
  }

  #save(): void {
    mkdirSync(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.#state));
    renameSync(tmp, this.#path);
  }
}

function parseState(path: string): StateFile {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateFile>;
    return { watermarks: s.watermarks ?? {}, dirty: Array.isArray(s.dirty) ? s.dirty : [] };
  } catch (e) {
    throw new Error(`InfluxDB rollup state ${path} is unreadable (${(e as Error).message}); delete it to rebuild the rollups from raw samples`, { cause: e });
  }
}

export interface InfluxRollupDeps {
  database: string;
  state: InfluxRollupState;
  /** Runs InfluxQL statements (one request), throwing on any error; returns each SELECT INTO's points written. */
  exec: (statements: string[]) => Promise<number[]>;
  /** Called after the daily rollup of [from, to) is (re)computed. */
  afterDaily: (range: { from: number; to: number }) => Promise<void>;
  /** Time of the oldest raw sample, or null when there is none. */
  firstRawAt: () => Promise<number | null>;
}

export async function runInfluxRollups(now: number, opts: { rawDays: number; lateMs: number }, deps: InfluxRollupDeps): Promise<RollupReport> {
  let buckets5m = 0;
  const { state, database, exec } = deps;
  // Of the three 5-minute statements (throughput, status, poll), status writes one point per bucket with samples.
  const run = async (l: RollupLevel, range: { from: number; to: number }) => {
    const written = await exec(rollupStatements(database, l, range));
    if (l === '5m') buckets5m += written[1] ?? 0;
    if (l === '1d') await deps.afterDaily(range);
  };
  const wm = state.watermarks;

  const dirty = [...state.dirty];
  if (dirty.length) {
    for (const c of dirtyChunks(dirty, rawCutoff(now, opts.rawDays))) {
      // Level by level: hourly reads the 5-minute rows just rewritten, daily the hourly ones.
      for (const l of ROLLUP_LEVELS) {
        const part = belowWatermark(c, wm[l]);
        if (part) await run(l, part);
      }
    }
    state.dropDirty(dirty.length);
  }

  let start: number | null = null;
  if (ROLLUP_LEVELS.some((l) => wm[l] === undefined)) {
    const first = await deps.firstRawAt();
    start = first === null ? null : bucketStart(first, DAY);
  }
  const targets = forwardTargets(now, opts.lateMs);
  for (const l of ROLLUP_LEVELS) {
    const from = wm[l] ?? start;
    if (from === null) continue;
    for (const c of dayChunks(from, targets[l])) {
      await run(l, c);
      state.setWatermark(l, c.to);
    }
  }
  // InfluxDB expires whole shards by retention policy itself; nothing to delete here.
  return { buckets5m, watermark: state.watermarks['5m'] ?? null, expired: 0 };
}
