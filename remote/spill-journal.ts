import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JournalEntry {
  seq: number;
  subject: string;
  msgId: string;
  body: string;
}

/**
 * The collector's spill journal: every message is written here before it is published, and
 * marked sent only when JetStream acknowledged it. A WAN cut, a dead nats-server or a killed
 * collector leaves the unsent rows in the file; they go out again in the order they were
 * written. Acknowledged rows are kept a while (what was sent and when) and then pruned.
 */
export class SpillJournal {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly pendingStmt: Database.Statement;
  private readonly ackStmt: Database.Statement;
  private readonly countStmt: Database.Statement;
  private readonly pruneStmt: Database.Statement;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A sample acknowledged by nobody must survive a SIGKILL: synchronous=NORMAL under WAL keeps
    // committed rows across a process crash (only an OS crash may lose the last ones).
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS journal (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      subject TEXT NOT NULL,
      msg_id TEXT NOT NULL UNIQUE,
      body TEXT NOT NULL,
      written_at INTEGER NOT NULL,
      acked_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS journal_pending ON journal (seq) WHERE acked_at IS NULL;`);
    // The same reading journalled twice (a retried cycle) is one row: the msg id is the sample's key.
    this.insert = this.db.prepare('INSERT OR IGNORE INTO journal (subject, msg_id, body, written_at) VALUES (?, ?, ?, ?)');
    this.pendingStmt = this.db.prepare('SELECT seq, subject, msg_id AS msgId, body FROM journal WHERE acked_at IS NULL ORDER BY seq LIMIT ?');
    this.ackStmt = this.db.prepare('UPDATE journal SET acked_at = ? WHERE seq = ?');
    this.countStmt = this.db.prepare('SELECT count(*) AS n FROM journal WHERE acked_at IS NULL');
    this.pruneStmt = this.db.prepare('DELETE FROM journal WHERE acked_at IS NOT NULL AND acked_at < ?');
  }

  append(entries: readonly { subject: string; msgId: string; body: string }[], at: number): void {
    this.db.transaction(() => {
      for (const e of entries) this.insert.run(e.subject, e.msgId, e.body, at);
    })();
  }

  /** The oldest unsent rows, in the order they were written. */
  pending(limit: number): JournalEntry[] {
    return this.pendingStmt.all(limit) as JournalEntry[];
  }

  ack(seqs: readonly number[], at: number): void {
    this.db.transaction(() => {
      for (const s of seqs) this.ackStmt.run(at, s);
    })();
  }

  backlog(): number {
    return (this.countStmt.get() as { n: number }).n;
  }

  prune(olderThan: number): number {
    return this.pruneStmt.run(olderThan).changes;
  }

  close(): void {
    this.db.close();
  }
}
