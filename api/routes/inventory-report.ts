import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { describeGap, type SiteConfigGap } from '../../inventory/config-gaps.js';
import { INVENTORY_REPORT_SECTIONS, inventoryReportCsv, inventoryReportTables, inventoryReportXlsx } from '../../inventory/inventory-report.js';
import type { InventoryStage } from '../../inventory/inventory-stage.js';
import { shanghaiMinute } from '../../reports/report-period.js';
import { HttpError, parseWith } from '../http-errors.js';
import { READ, route } from '../policy.js';

const DAY_MS = 86_400_000;
const reportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(['csv', 'xlsx']).prefault('xlsx'),
  section: z.enum(INVENTORY_REPORT_SECTIONS as ['devices', 'changes', 'gaps']).prefault('devices'),
  lang: z.enum(['zh', 'en']).prefault('zh'),
});

export interface InventoryReportRouteDeps {
  inventory: InventoryStage;
  configGaps: () => readonly SiteConfigGap[];
  clock: Clock;
}

/**
 * The inventory report (devices, changes in the period, configuration gaps) as XLSX or one CSV
 * section, and the configuration gaps as JSON for the console. Nothing here is personal data
 * (sysContact is not in it), so readers may have it.
 */
export function inventoryReportRoutes(deps: InventoryReportRouteDeps): Router {
  const r = Router();

  route(r, 'get', '/inventory/config-gaps', READ, (_req, res) => {
    const discovery = deps.inventory.repo.devices().filter((d) => d.gaps.length).map((d) => ({ deviceId: d.id, siteId: d.siteId, gaps: d.gaps, attemptedAt: new Date(d.attemptedAt).toISOString() }));
    res.json({
      configGaps: deps.configGaps().map((g) => ({ ...g, since: new Date(g.since).toISOString(), detail: describeGap(g) })),
      discoveryGaps: discovery,
    });
  });

  route(r, 'get', '/inventory/report', READ, async (req, res) => {
    const q = parseWith(reportQuery, req.query, 'query');
    const to = q.to ? Date.parse(q.to) : deps.clock.now() + 1;
    const from = q.from ? Date.parse(q.from) : to - 31 * DAY_MS;
    if (from >= to) throw new HttpError(400, 'invalid query: from must be before to', [{ field: 'from', problem: 'must be before to' }]);
    const stored = new Map(deps.inventory.repo.devices().map((d) => [d.id, d]));
    const tables = inventoryReportTables(
      {
        devices: deps.inventory.targets.map((t) => ({ id: t.id, role: t.role, siteId: t.siteId, endpoint: `${t.endpoint.host}:${t.endpoint.port}`, stored: stored.get(t.id) ?? null })),
        changes: deps.inventory.repo.changes({ from, to, limit: 100_000 }),
        configGaps: deps.configGaps(),
        time: shanghaiMinute,
      },
      q.lang,
    );
    const stamp = new Date(to).toISOString().slice(0, 10);
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`demarc-inventory-${q.section}-${stamp}.csv`).send(inventoryReportCsv(tables, q.section));
      return;
    }
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`demarc-inventory-${stamp}.xlsx`).send(await inventoryReportXlsx(tables));
  });

  return r;
}
