import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS, keyedHash, verifyChain, type ChainRow } from '../../audit/audit-chain.js';
import { Secret } from '../../core/secret.js';

/** The chain's arithmetic on plain rows: the upgrade path from the unkeyed chain, and resuming at an anchor. */
const KEY = new Secret('k'.repeat(64));

function legacy(seq: number, prevHash: string, detail: Record<string, unknown> = { n: seq }): ChainRow {
  const base = { seq, at: seq * 1000, actor: 'noc.zhang', action: 'alert.ack', target: `A-${seq}`, detailText: JSON.stringify(detail), prevHash };
  const hash = createHash('sha256').update(JSON.stringify([base.seq, base.at, base.actor, base.action, base.target, detail, base.prevHash])).digest('hex');
  return { ...base, hash, alg: 'sha256' };
}
function keyed(seq: number, prevHash: string, key = KEY): ChainRow {
  const base = { seq, at: seq * 1000, actor: 'mgr.li', action: 'incident.verdict.approve', target: `I-${seq}`, detailText: JSON.stringify({ n: seq }), prevHash };
  return { ...base, hash: keyedHash(key, base), alg: 'hmac-sha256' };
}
function chain(legacyRows: number, keyedRows: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS;
  for (let i = 1; i <= legacyRows + keyedRows; i++) {
    const r = i <= legacyRows ? legacy(i, prev) : keyed(i, prev);
    rows.push(r);
    prev = r.hash;
  }
  return rows;
}

describe('verifyChain', () => {
  it('accepts rows written before the key as a prefix, then keyed rows', () => {
    expect(verifyChain(chain(5, 5), KEY)).toEqual({ ok: true, rows: 10, head: { seq: 10, hash: chain(5, 5)[9]!.hash } });
  });

  it('finds legacy rows rewritten consistently (hashes recomputed to the end of the prefix) at the first keyed row', () => {
    const rows = chain(5, 5);
    // The attacker rewrites row 3 and recomputes rows 3..5 the unkeyed way; row 6 carries the old head under the key.
    let prev = rows[1]!.hash;
    for (let i = 2; i < 5; i++) {
      rows[i] = legacy(i + 1, prev, i === 2 ? { n: 'rewritten' } : { n: i + 1 });
      prev = rows[i]!.hash;
    }
    rows[5] = { ...rows[5]!, prevHash: prev };
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, brokenAt: 6, reason: expect.stringMatching(/keyed hash/) });
  });

  it('refuses a chain keyed with another key, at its first keyed row', () => {
    expect(verifyChain(chain(2, 3), new Secret('x'.repeat(64)))).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('resumes at an anchor: checks the anchored row is unchanged and only walks the rows after it', () => {
    const rows = chain(0, 8);
    const from = { seq: 5, hash: rows[4]!.hash };
    expect(verifyChain(rows, KEY, { from })).toEqual({ ok: true, rows: 3, head: { seq: 8, hash: rows[7]!.hash } });
    expect(verifyChain(rows, KEY, { from: { seq: 5, hash: rows[3]!.hash } })).toMatchObject({ ok: false, brokenAt: 5 });
    expect(verifyChain(rows.slice(0, 4), KEY, { from })).toMatchObject({ ok: false, brokenAt: 5, reason: expect.stringMatching(/ends at row 4 .* deleted/) });
  });

  it('an empty table is fine with no anchor, and a deletion with one', () => {
    expect(verifyChain([], KEY)).toEqual({ ok: true, rows: 0, head: null });
    expect(verifyChain([], KEY, { anchors: [{ seq: 3, hash: 'a'.repeat(64) }] })).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
