import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChainPoint } from './audit-chain.js';

export interface Anchor extends ChainPoint {
  /** When it was anchored (epoch ms). */
  at: number;
}

/**
 * The chain head written outside the state db, one JSON line per anchor. Deleting rows at the
 * end of the table leaves a chain that verifies on its own; it no longer reaches the anchored
 * head. The same seq and hash also go to the log (and can go to the auditor's mail), so
 * truncating this file too is not enough to hide a deleted tail.
 */
export class AnchorFile {
  constructor(readonly path: string) {}

  /** Every anchor in the file; a damaged line is reported, not skipped. */
  read(): Anchor[] {
    if (!existsSync(this.path)) return [];
    const out: Anchor[] = [];
    readFileSync(this.path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        let a: Partial<Anchor>;
        try {
          a = JSON.parse(line) as Partial<Anchor>;
        } catch {
          throw new Error(`${this.path}:${i + 1}: not a JSON anchor line`);
        }
        if (typeof a.seq !== 'number' || typeof a.hash !== 'string' || typeof a.at !== 'number') throw new Error(`${this.path}:${i + 1}: an anchor needs seq, hash and at`);
        out.push({ seq: a.seq, hash: a.hash, at: a.at });
      });
    return out;
  }

  last(): Anchor | null {
    const all = this.read();
    return all.reduce<Anchor | null>((best, a) => (best && best.seq >= a.seq ? best : a), null);
  }

  append(a: Anchor): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, JSON.stringify({ seq: a.seq, hash: a.hash, at: a.at }) + '\n', { mode: 0o600 });
  }
}
