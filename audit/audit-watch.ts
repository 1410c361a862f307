import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AnchorFile, Anchor } from './audit-anchor.js';
import type { AuditLog } from './audit-log.js';

export type AuditChainStatus =
  | { state: 'unchecked' }
  | { state: 'ok'; checkedAt: number; rows: number; head: { seq: number; hash: string } | null }
  | { state: 'broken'; checkedAt: number; brokenAt: number; reason: string };

/**
 * Checks the audit chain and anchors its head outside the db: the whole chain against every
 * anchor at start-up and hourly (`verifyAll`), and the rows since the last anchor every few
 * minutes (`anchorHead`), so a deleted tail is found back to the last anchor. A broken
 * chain is never anchored: the anchors keep pointing at the last head known to be good.
 */
export class AuditWatch {
  private current: AuditChainStatus = { state: 'unchecked' };
  private lastAnchor: Anchor | null = null;

  constructor(
    private readonly deps: {
      log: AuditLog;
      anchors: AnchorFile;
      clock: Clock;
      logger: Logger;
      /** Called after every check: health and alerting follow the status from here. */
      onStatus?: (s: AuditChainStatus) => void;
    },
  ) {}

  get status(): AuditChainStatus {
    return this.current;
  }

  verifyAll(): AuditChainStatus {
    let anchors: Anchor[];
    try {
      anchors = this.deps.anchors.read();
    } catch (e) {
      return this.settle({ state: 'broken', checkedAt: this.deps.clock.now(), brokenAt: 0, reason: `anchor file: ${(e as Error).message}` });
    }
    this.lastAnchor = anchors.reduce<Anchor | null>((b, a) => (b && b.seq >= a.seq ? b : a), null);
    const v = this.deps.log.check({ anchors });
    return this.settle(v.ok ? { state: 'ok', checkedAt: this.deps.clock.now(), rows: v.rows, head: v.head } : { state: 'broken', checkedAt: this.deps.clock.now(), brokenAt: v.brokenAt, reason: v.reason });
  }

  /** Verifies what was added since the last anchor and anchors the new head. */
  anchorHead(): AuditChainStatus {
    if (this.current.state !== 'ok') return this.verifyAll();
    const from = this.lastAnchor;
    const v = this.deps.log.check({ from });
    if (!v.ok) return this.settle({ state: 'broken', checkedAt: this.deps.clock.now(), brokenAt: v.brokenAt, reason: v.reason });
    return this.settle({ state: 'ok', checkedAt: this.deps.clock.now(), rows: from ? this.current.rows + v.rows : v.rows, head: v.head });
  }

  private settle(s: AuditChainStatus): AuditChainStatus {
    const was = this.current.state;
    this.current = s;
    if (s.state === 'broken') {
      if (was !== 'broken') this.deps.logger.error({ brokenAt: s.brokenAt, reason: s.reason }, `audit: the audit chain is broken at row ${s.brokenAt}: ${s.reason}`);
    } else if (s.state === 'ok' && s.head && (this.lastAnchor?.seq !== s.head.seq || this.lastAnchor.hash !== s.head.hash)) {
      const anchor: Anchor = { ...s.head, at: s.checkedAt };
      this.deps.anchors.append(anchor);
      this.lastAnchor = anchor;
      // The log line is the second copy of the anchor, in a file the db's writer does not own.
      this.deps.logger.info({ auditAnchor: { seq: anchor.seq, hash: anchor.hash } }, 'audit: chain head anchored');
    }
    this.deps.onStatus?.(s);
    return s;
  }
}
