import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDbInventory } from '../../cli/inventory-truth.js';
import { ManualClock } from '../../core/clock.js';
import { DomainError } from '../../core/domain-error.js';
import { siteToRow } from '../../config/site-row.js';
import { InventoryEdits } from '../../inventory/inventory-edits.js';
import { openStateDb } from '../../store/state-db.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

/** The db as the inventory's truth: the bootstrap, check-config's comparison, and approvals on a stale base. */
const rows = ['A', 'B', 'C'].map((id, i) => siteRow({ site_id: id, ce_host: `127.0.3.${i + 1}`, ce_port: '161' }));
const { config, dir } = writeTempConfig({ snmp: { profiles: { v2c: { version: '2c', community: 'public' } } } }, rows);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The audit log's record(), keeping the actions (the chain itself has its own tests). */
const recorder = (into: { action: string }[]) => ({ record: (actor: string, action: string, target: string) => (into.push({ action }), { seq: into.length, at: 0, actor, action, target, detail: {}, prevHash: '', hash: '' }) });
const users = { op: { id: 'op', name: 'op', roles: ['operator' as const] }, ap: { id: 'ap', name: 'ap', roles: ['approver' as const] } };

describe('the state db holds the inventory; the file is its bootstrap', () => {
  it('check-config says the db does not exist yet, then that it matches, then how the file differs', () => {
    expect(describeDbInventory(config)).toContain('does not exist yet');
    const db = openStateDb(config.state.path);
    const audit: { action: string }[] = [];
    const edits = new InventoryEdits({ db, clock: new ManualClock(Date.UTC(2026, 11, 1)), audit: recorder(audit), profiles: new Set(['v2c']) });
    const boot = edits.bootstrap(config.inventory.sites);
    expect(boot.imported).toBe(true);
    expect(audit.map((a) => a.action)).toEqual(['inventory.bootstrap']);
    expect(describeDbInventory(config)).toContain('the state db holds 3 sites, the same as this file');

    // The db moves on (an approved edit); the file stays: check-config names the difference.
    edits.approve(edits.propose([{ op: 'remove', siteId: 'C' }, { op: 'change', siteId: 'A', fields: { name: '一团' } }], users.op, 'test').id, users.ap);
    const text = describeDbInventory(config);
    expect(text).toContain('differs from this file');
    expect(text).toContain('only in the file: 1 (C)');
    expect(text).toContain('changed in the file: 1 (A)');

    // A second start takes the db, not the file, and says how they differ.
    const again = edits.bootstrap(config.inventory.sites);
    expect(again.imported).toBe(false);
    expect(again.sites.map((s) => s.id)).toEqual(['A', 'B']);
    expect(again.fileDiffers.added.map((r) => r.site_id)).toEqual(['C']);
    db.close();
  });

  it('a proposal made against an inventory that changed since is refused (conflict), not applied over it', () => {
    const db = openStateDb(join(dir, 'second.db'));
    const edits = new InventoryEdits({ db, clock: new ManualClock(0), audit: recorder([]), profiles: new Set(['v2c']) });
    edits.bootstrap(config.inventory.sites);
    const first = edits.propose([{ op: 'change', siteId: 'B', fields: { name: '二团' } }], users.op, 'one');
    const second = edits.propose([{ op: 'change', siteId: 'B', fields: { name: '贰团' } }], users.op, 'two');
    edits.approve(first.id, users.ap);
    expect(() => edits.approve(second.id, users.ap)).toThrow(DomainError);
    try {
      edits.approve(second.id, users.ap);
    } catch (e) {
      expect((e as DomainError).failure).toBe('conflict');
    }
    expect(edits.sites().find((s) => s.id === 'B')!.name).toBe('二团');
    expect(edits.book.rows()).toEqual(edits.sites().map(siteToRow));
    db.close();
  });
});
