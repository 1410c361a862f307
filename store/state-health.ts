import type { HealthIssue } from '../core/health-terms.js';

/**
 * The state database failing at run time (a damaged page found by a query, the disk full or
 * gone): remembered, so /api/health degrades naming the file instead of each request failing
 * alone with a 500 and health saying "ok". Damage does not heal, so the problem stays until
 * demarc is restarted (which checks the file and refuses a damaged one).
 */
export class StateDbHealth {
  private first: { at: number; code: string; message: string } | null = null;
  private count = 0;

  constructor(
    readonly path: string,
    private readonly now: () => number,
  ) {}

  /** Whether an error came from SQLite (better-sqlite3's SqliteError carries SQLITE_* codes). */
  static isSqliteError(err: unknown): err is Error & { code: string } {
    return err instanceof Error && err.name === 'SqliteError' && typeof (err as { code?: unknown }).code === 'string';
  }

  note(err: Error & { code: string }): void {
    this.count++;
    this.first ??= { at: this.now(), code: err.code, message: err.message };
  }

  /** What the API answers instead of a bare 500. */
  describe(err: Error & { code: string }): string {
    return `state database ${this.path} failed (${err.code}: ${err.message}); demarc's health reports it. Stop demarc and restore a backup: demarc state restore <file>`;
  }

  issues(): HealthIssue[] {
    if (!this.first) return [];
    return [{ kind: 'state-db-failing', params: { path: this.path, since: this.first.at, code: this.first.code, message: this.first.message, failed: this.count } }];
  }
}
