import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { migrate, type StateDb } from '../store/state-db.js';
import type { ArchivedReport } from './archived-report.js';

/**
 * The report archive: every scheduled (or requested) report kept as issued. A file is never
 * overwritten: a second run for the same period becomes version 2 (`-v2`), and each file's
 * SHA-256 goes into the state db, so anyone can later show that a PDF handed to the carrier is
 * the one demarc produced.
 */

export const REPORT_MIGRATIONS = [
  `CREATE TABLE report_archive (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    lang TEXT NOT NULL,
    version INTEGER NOT NULL,
    format TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    generated_at TEXT NOT NULL,
    trigger TEXT NOT NULL,
    UNIQUE (period, lang, version, format)
  )`,
  `CREATE TABLE report_delivery (
    id INTEGER PRIMARY KEY,
    archive_id INTEGER NOT NULL REFERENCES report_archive(id),
    recipients TEXT NOT NULL,
    attempted_at TEXT NOT NULL,
    message_id TEXT,
    error TEXT
  )`,
];

export type { ArchivedReport };

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** 'demarc-uptime-2026-10-zh.pdf', then '...-zh-v2.pdf'; a range label's '..' becomes '_'. */
export function archiveFileName(period: string, lang: string, version: number, ext: string): string {
  const safe = period.replace(/\.\./g, '_').replace(/[^0-9A-Za-z_-]/g, '');
  return `demarc-uptime-${safe}-${lang}${version > 1 ? `-v${version}` : ''}.${ext}`;
}

interface Row {
  id: number;
  period: string;
  lang: string;
  version: number;
  format: string;
  file: string;
  sha256: string;
  bytes: number;
  generated_at: string;
  trigger: string;
}

const fromRow = (r: Row): ArchivedReport => ({
  id: r.id, period: r.period, lang: r.lang, version: r.version, format: r.format, file: r.file, sha256: r.sha256, bytes: r.bytes, generatedAt: r.generated_at, trigger: r.trigger,
});

export class ReportArchive {
  constructor(
    private readonly db: StateDb,
    readonly dir: string,
    private readonly clock: Clock,
  ) {
    migrate(db, 'reports', REPORT_MIGRATIONS);
  }

  /**
   * Writes one version of a report (all its formats) and records each file's hash. The
   * version is one past what the db knows; a file already on disk under that name (say the db
   * was restored from an older backup) is left alone and the next version is taken.
   */
  store(period: string, lang: string, files: readonly { format: string; body: Buffer }[], trigger: 'schedule' | 'manual'): ArchivedReport[] {
    mkdirSync(this.dir, { recursive: true });
    const last = this.db.prepare('SELECT MAX(version) FROM report_archive WHERE period = ? AND lang = ?').pluck().get(period, lang) as number | null;
    let version = (last ?? 0) + 1;
    for (;;) {
      const written = this.#writeAll(period, lang, version, files);
      if (written) break;
      version++;
    }
    const generatedAt = new Date(this.clock.now()).toISOString();
    const insert = this.db.prepare(
      'INSERT INTO report_archive (period, lang, version, format, file, sha256, bytes, generated_at, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    return this.db.transaction(() =>
      files.map((f) => {
        const file = archiveFileName(period, lang, version, f.format);
        const info = insert.run(period, lang, version, f.format, file, sha256(f.body), f.body.length, generatedAt, trigger);
        return { id: Number(info.lastInsertRowid), period, lang, version, format: f.format, file, sha256: sha256(f.body), bytes: f.body.length, generatedAt, trigger };
      }),
    )();
  }

  /**
   * Writes every file of the version, or nothing when one of its names is already taken.
   * The files are created with O_EXCL as well, so even a second demarc writing into the same
   * directory at the same moment fails loudly instead of overwriting.
   */
  #writeAll(period: string, lang: string, version: number, files: readonly { format: string; body: Buffer }[]): boolean {
    const paths = files.map((f) => join(this.dir, archiveFileName(period, lang, version, f.format)));
    if (paths.some((p) => existsSync(p))) return false;
    files.forEach((f, i) => {
      try {
        writeFileSync(paths[i]!, f.body, { flag: 'wx' });
      } catch (e) {
        throw new Error(`report archive: cannot write ${paths[i]}: ${(e as Error).message}`, { cause: e });
      }
    });
    return true;
  }

  list(period?: string): ArchivedReport[] {
    const rows = (period
      ? this.db.prepare('SELECT * FROM report_archive WHERE period = ? ORDER BY id').all(period)
      : this.db.prepare('SELECT * FROM report_archive ORDER BY id').all()) as Row[];
    return rows.map(fromRow);
  }

  /** Recomputes the file's SHA-256 and compares it with the one recorded when it was archived. */
  verify(id: number): { ok: boolean; recorded: string; actual: string | null } {
    const row = this.db.prepare('SELECT * FROM report_archive WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new Error(`report archive: no entry ${id}`);
    let actual: string | null = null;
    try {
      actual = sha256(readFileSync(join(this.dir, row.file)));
    } catch {
      actual = null;
    }
    return { ok: actual === row.sha256, recorded: row.sha256, actual };
  }

  /** The archived file's bytes. */
  read(id: number): Buffer {
    const row = this.db.prepare('SELECT * FROM report_archive WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new Error(`report archive: no entry ${id}`);
    return readFileSync(join(this.dir, row.file));
  }

  recordDelivery(archiveId: number, recipients: readonly string[], result: { messageId: string } | { error: string }): void {
    this.db
      .prepare('INSERT INTO report_delivery (archive_id, recipients, attempted_at, message_id, error) VALUES (?, ?, ?, ?, ?)')
      .run(archiveId, recipients.join(', '), new Date(this.clock.now()).toISOString(), 'messageId' in result ? result.messageId : null, 'error' in result ? result.error : null);
  }

  deliveries(archiveId: number): { recipients: string; attemptedAt: string; messageId: string | null; error: string | null }[] {
    return this.db
      .prepare('SELECT recipients, attempted_at AS attemptedAt, message_id AS messageId, error FROM report_delivery WHERE archive_id = ? ORDER BY id')
      .all(archiveId) as { recipients: string; attemptedAt: string; messageId: string | null; error: string | null }[];
  }
}
