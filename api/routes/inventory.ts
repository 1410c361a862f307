import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { InventoryChangeDto } from '../../core/events.js';
import type { Site } from '../../core/inventory.js';
import { discoveryGapLine } from '../../core/inventory-terms.js';
import { contractOf, registerEntry, type ContractTerms } from '../../inventory/circuit-register.js';
import { shanghaiDay } from '../../reports/report-period.js';
import type { InventoryStage } from '../../inventory/inventory-stage.js';
import type { StoredChange, StoredDevice } from '../../inventory/inventory-repository.js';
import { decide, PERSONAL_DATA, READ, ROLE, route } from '../policy.js';
import { HttpError, parseWith } from '../http-errors.js';

const DAY_MS = 86_400_000;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export const changeDto = (c: StoredChange): InventoryChangeDto => ({
  id: c.id, at: new Date(c.at).toISOString(), deviceId: c.deviceId, siteId: c.siteId, kind: c.kind, subject: c.subject, before: c.before, after: c.after, detail: c.detail,
});

const changesQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

const discoverBody = z.strictObject({ site: z.string().min(1).optional() }).prefault({});

export interface InventoryRouteDeps {
  inventory: InventoryStage;
  sites: readonly Site[];
  terms: ContractTerms;
  clock: Clock;
}

/**
 * The discovered inventory: devices with vendor, model, serial and software, their ENTITY rows
 * and interfaces, and the history of changes. Reads need no identity (like /api/sites);
 * starting a discovery is an operator's action.
 */
export function inventoryRoutes(deps: InventoryRouteDeps): Router {
  const r = Router();

  const d0 = (id: string) => deps.inventory.repo.device(id);
  const summary = (id: string, d: StoredDevice | null) => {
    const t = deps.inventory.target(id);
    return {
      id,
      role: t?.role ?? d?.role ?? null,
      siteId: t?.siteId ?? d?.siteId ?? null,
      siteIds: t?.siteIds ?? (d?.siteId ? [d.siteId] : []),
      endpoint: t ? `${t.endpoint.host}:${t.endpoint.port}` : (d?.endpoint ?? null),
      vendor: d?.facts?.summary.vendor ?? null,
      model: d?.facts?.summary.model ?? null,
      serial: d?.facts?.summary.serial ?? null,
      software: d?.facts?.summary.software ?? null,
      sysName: d?.facts?.system?.sysName ?? null,
      sysObjectId: d?.facts?.system?.sysObjectId ?? null,
      lastDiscoveryAt: iso(d?.discoveredAt ?? null),
      lastAttemptAt: iso(d?.attemptedAt ?? null),
      gaps: d ? d.gaps : [discoveryGapLine({ code: 'never-discovered' })],
    };
  };

  route(r, 'get', '/inventory/devices', READ, (_req, res) => {
    const stored = new Map(deps.inventory.repo.devices().map((d) => [d.id, d]));
    res.json({ devices: deps.inventory.targets.map((t) => summary(t.id, stored.get(t.id) ?? null)) });
  });

  route(r, 'get', '/inventory/devices/:id', READ, (req, res) => {
    const id = String(req.params.id);
    // sysContact often names a person and a phone number: personal data, for those who act on faults.
    const personal = decide(PERSONAL_DATA, req.caller ?? null).ok;
    const system = d0(id)?.facts?.system ?? null;
    const t = deps.inventory.target(id);
    const d = deps.inventory.repo.device(id);
    if (!t && !d) throw new HttpError(404, `no device "${id}" in the inventory (ids look like ce:<site>, oob:<site>, cpe:<site>, headend:<host>:<port>)`);
    res.json({
      device: {
        ...summary(id, d),
        configuredNames: t?.configuredNames ?? [],
        system: system && !personal ? { ...system, sysContact: system.sysContact === null ? null : '(operators only)' } : system,
        identity: d?.facts?.identity ?? null,
        entities: d?.facts?.entities ?? [],
        interfaces: d?.facts?.interfaces ?? [],
        history: deps.inventory.repo.changes({ deviceId: id, limit: 500 }).map(changeDto),
      },
    });
  });

  // The register with its derived dates, renewal decision and late-activation credit (fen), as of today in Asia/Shanghai.
  route(r, 'get', '/inventory/circuits', READ, (_req, res) => {
    const today = shanghaiDay(deps.clock.now());
    res.json({ asOf: today, terms: deps.terms, circuits: deps.sites.map((s) => registerEntry(contractOf(s), deps.terms, today)) });
  });

  route(r, 'get', '/inventory/changes', READ, (req, res) => {
    const q = parseWith(changesQuery, req.query, 'query');
    const to = q.to ? Date.parse(q.to) : deps.clock.now() + 1;
    const from = q.from ? Date.parse(q.from) : to - 31 * DAY_MS;
    if (from >= to) throw new HttpError(400, 'invalid query: from must be before to', [{ field: 'from', problem: 'must be before to' }]);
    res.json({ from: iso(from), to: iso(to), changes: deps.inventory.repo.changes({ from, to, ...(q.limit ? { limit: q.limit } : {}) }).map(changeDto) });
  });

  route(r, 'post', '/inventory/discover', ROLE('operator'), async (req, res) => {
    const body = parseWith(discoverBody, req.body ?? {}, 'body');
    const targets = deps.inventory.targetsOf(body.site);
    if (body.site !== undefined && targets.length === 0) throw new HttpError(404, `no site "${body.site}" in the inventory`, [{ field: 'site', problem: 'unknown site' }]);
    const run = await deps.inventory.discover(targets);
    res.json({ devices: run.devices, complete: run.complete, withGaps: run.withGaps, changes: run.changes.map(changeDto), durationMs: run.durationMs });
  });

  return r;
}
