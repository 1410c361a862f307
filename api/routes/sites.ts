import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { MetricStore } from '../../store/metric-store.js';
import type { FleetState } from '../fleet-state.js';
import { HttpError, parseWith } from '../http-errors.js';
import { PERSONAL_DATA, READ, route } from '../policy.js';

const DAY_MS = 86_400_000;

const metricsQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    step: z.coerce.number().int().min(1).max(86_400).optional(),
  })
  .transform((q) => ({ from: q.from ? Date.parse(q.from) : undefined, to: q.to ? Date.parse(q.to) : undefined, step: q.step }));

export function siteRoutes(deps: { fleet: FleetState; store: MetricStore; clock: Clock }): Router {
  const r = Router();

  route(r, 'get', '/sites', READ, (_req, res) => {
    res.json({ sites: deps.fleet.sites.map((s) => deps.fleet.dto(s)) });
  });

  route(r, 'get', '/sites/:id', READ, (req, res) => {
    const site = deps.fleet.site(String(req.params.id));
    if (!site) throw new HttpError(404, `no site "${req.params.id}" in the inventory`);
    res.json({ site: deps.fleet.dto(site) });
  });

  // The site's contact person is personal data: for the people who call them about a fault.
  route(r, 'get', '/sites/:id/contact', PERSONAL_DATA, (req, res) => {
    const site = deps.fleet.site(String(req.params.id));
    if (!site) throw new HttpError(404, `no site "${req.params.id}" in the inventory`);
    res.json({ siteId: site.id, contact: site.contact });
  });

  route(r, 'get', '/sites/:id/metrics', READ, async (req, res) => {
    const site = deps.fleet.site(String(req.params.id));
    if (!site) throw new HttpError(404, `no site "${req.params.id}" in the inventory`);
    const q = parseWith(metricsQuery, req.query, 'query');
    const to = q.to ?? deps.clock.now();
    const from = q.from ?? to - DAY_MS;
    if (from >= to) throw new HttpError(400, 'invalid query: from must be before to');
    if (to - from > 800 * DAY_MS) throw new HttpError(400, 'invalid query: at most 800 days per request');
    const points = await deps.store.range({ siteId: site.id, from, to, ...(q.step ? { stepSec: q.step } : {}) });
    res.json({ siteId: site.id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), points });
  });

  return r;
}
