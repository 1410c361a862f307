import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../core/secret.js';

/**
 * The audit chain's arithmetic, kept pure so each way of tampering is a table row in a test.
 *
 * Each entry's hash is HMAC-SHA256, under a key that never enters the state db, over its
 * content and the previous entry's hash. Without the key nobody can recompute a hash after
 * editing a row, so an edit is found at that row. Deleting rows at the end leaves a valid
 * chain; that is caught by the anchors (the head's seq and hash, written outside the db).
 *
 * Rows written before the chain was keyed (alg 'sha256') are accepted only as a prefix: the
 * first keyed row carries the last legacy hash under the key, so rewriting the legacy rows
 * breaks the link there.
 */
export const GENESIS = '0'.repeat(64);

export type ChainAlg = 'sha256' | 'hmac-sha256';

export interface ChainRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  /** The detail exactly as stored (JSON text). */
  detailText: string;
  prevHash: string;
  hash: string;
  alg: ChainAlg;
}

export interface ChainPoint {
  seq: number;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; rows: number; head: ChainPoint | null }
  | { ok: false; rows: number; brokenAt: number; reason: string };

export function keyedHash(key: Secret, r: Omit<ChainRow, 'hash' | 'alg'>): string {
  return createHmac('sha256', key.reveal())
    .update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.target, r.detailText, r.prevHash]))
    .digest('hex');
}

/** The unkeyed hash of rows written before the key existed (kept to verify old databases). */
function legacyHash(r: Omit<ChainRow, 'hash' | 'alg'>): string {
  const detail = JSON.parse(r.detailText) as unknown;
  return createHash('sha256').update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.target, detail, r.prevHash])).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Walks rows in seq order. `from` resumes after a point already verified (an anchor) instead
 * of at the genesis; `anchors` are heads recorded outside the db, each of which must still be
 * in the table with the same hash.
 */
export function verifyChain(rows: Iterable<ChainRow>, key: Secret, opts: { from?: ChainPoint | null; anchors?: readonly ChainPoint[] } = {}): ChainVerdict {
  const from = opts.from ?? null;
  const anchors = new Map([...(opts.anchors ?? []), ...(from ? [from] : [])].map((a) => [a.seq, a.hash]));
  let prev = GENESIS;
  let expectedSeq = from ? from.seq : 1;
  let keyed = false;
  let count = 0;
  let head: ChainPoint | null = null;
  // The last row seen at all, also those before a resume point: where the table ends.
  let lastSeen = 0;
  const broken = (brokenAt: number, reason: string): ChainVerdict => ({ ok: false, rows: count, brokenAt, reason });
  for (const r of rows) {
    lastSeen = Math.max(lastSeen, r.seq);
    if (r.seq < expectedSeq) continue;
    if (r.seq !== expectedSeq) return broken(expectedSeq, `row ${expectedSeq} is missing (the next row is ${r.seq})`);
    if (from && r.seq === from.seq) {
      // The resume point was verified before; it must still be there, unchanged.
      if (!sameHex(r.hash, from.hash)) return broken(r.seq, 'its hash differs from the one anchored outside the database');
      keyed = r.alg === 'hmac-sha256';
      prev = r.hash;
      head = { seq: r.seq, hash: r.hash };
      expectedSeq++;
      continue;
    }
    count++;
    if (!sameHex(r.prevHash, prev)) return broken(r.seq, 'its previous-hash does not match the row before it');
    if (r.alg === 'sha256') {
      if (keyed) return broken(r.seq, 'an unkeyed row after the chain was keyed');
      let h: string;
      try {
        h = legacyHash(r);
      } catch {
        return broken(r.seq, 'its detail is not valid JSON');
      }
      if (!sameHex(h, r.hash)) return broken(r.seq, 'its content does not match its hash');
    } else {
      keyed = true;
      if (!sameHex(keyedHash(key, r), r.hash)) return broken(r.seq, 'its content does not match its keyed hash (edited, or written without the key)');
    }
    const anchored = anchors.get(r.seq);
    if (anchored !== undefined && !sameHex(anchored, r.hash)) return broken(r.seq, 'its hash differs from the one anchored outside the database');
    prev = r.hash;
    head = { seq: r.seq, hash: r.hash };
    expectedSeq++;
  }
  const lastAnchor = Math.max(0, ...anchors.keys());
  const end = head?.seq ?? lastSeen;
  if (lastAnchor > end) {
    return broken(end + 1, `the table ends at row ${end} but row ${lastAnchor} was anchored outside the database: rows were deleted`);
  }
  return { ok: true, rows: count, head };
}
