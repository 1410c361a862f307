import { Router } from 'express';
import { z } from 'zod';
import type { IncidentEvent } from '../../core/incident.js';
import type { User } from '../../core/user.js';
import type { Clock } from '../../core/clock.js';
import { toIncidentDto, toMaintenanceWindowDto } from '../../outage/incident-dto.js';
import { OutageCommandError, type OutageStage } from '../../outage/outage-stage.js';
import { httpStatus, HttpError, parseWith } from '../http-errors.js';
import type { WindowApprovals, WindowProposal } from '../../outage/window-approvals.js';
import { READ, ROLE, route } from '../policy.js';

export interface MaintenanceRouteDeps {
  outage: OutageStage;
  /** The two-person rule for long, group-wide and begun windows. */
  approvals: WindowApprovals;
  publish: (events: IncidentEvent[]) => void;
  clock: Clock;
}

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 instant with a zone, e.g. 2026-03-01T08:00:00Z' });

const listQuery = z.strictObject({ from: instant.optional(), to: instant.optional() });

const createBody = z
  .strictObject({
    siteId: z.string().trim().min(1).optional(),
    carrierGroup: z.string().trim().min(1).optional(),
    startsAt: instant,
    endsAt: instant,
    /** The carrier's notice (letter, ticket): clause 7.6 asks for notice in advance. */
    carrierNoticeRef: z.string().trim().min(1, 'name the carrier notice (letter or ticket number)').max(200),
  })
  .superRefine((b, ctx) => {
    if (!!b.siteId === !!b.carrierGroup) ctx.addIssue({ code: 'custom', path: ['siteId'], message: 'give exactly one of siteId or carrierGroup' });
  });

const deleteBody = z.strictObject({ reason: z.string().trim().min(3, 'say why the window is withdrawn').max(2000) });

function commandError(e: unknown): never {
  if (e instanceof OutageCommandError) throw new HttpError(httpStatus(e.failure), e.message, e.field ? [{ field: e.field, problem: e.message }] : undefined);
  throw e;
}

const proposalDto = (p: WindowProposal) => ({
  ...p,
  proposedAt: new Date(p.proposedAt).toISOString(),
  approvedAt: p.approvedAt === null ? null : new Date(p.approvedAt).toISOString(),
});

/**
 * Carrier maintenance windows: GET /maintenance, POST /maintenance, DELETE /maintenance/:id.
 * A change one person may not make alone answers 202 with a proposal; an approver (not the
 * proposer) applies it with POST /maintenance/proposals/:id/approve.
 */
export function maintenanceRoutes(deps: MaintenanceRouteDeps): Router {
  const r = Router();

  route(r, 'get', '/maintenance', READ, (req, res) => {
    const q = parseWith(listQuery, req.query, 'query');
    const windows = deps.outage.listWindows({ ...(q.from ? { from: Date.parse(q.from) } : {}), ...(q.to ? { to: Date.parse(q.to) } : {}) });
    const coverage = new Map(deps.outage.windowCoverage(windows).map((c) => [c.windowId, c]));
    res.json({ windows: windows.map((w) => ({ ...toMaintenanceWindowDto(w), coveredIncidentIds: coverage.get(w.id)?.covered ?? [] })) });
  });

  route(r, 'post', '/maintenance', ROLE('operator'), (req, res) => {
    const b = parseWith(createBody, req.body, 'body');
    const by: User = req.actingUser!;
    let out;
    try {
      out = deps.approvals.request(
        {
          kind: 'create',
          window: {
            scope: b.siteId ? { kind: 'site', siteId: b.siteId } : { kind: 'carrier-group', carrierGroup: b.carrierGroup! },
            startsAt: Date.parse(b.startsAt),
            endsAt: Date.parse(b.endsAt),
            carrierNoticeRef: b.carrierNoticeRef,
          },
        },
        by,
      );
    } catch (e) {
      commandError(e);
    }
    if (!out.applied) {
      res.status(202).json({ proposal: proposalDto(out.proposal), needsApproval: `a second person must approve: ${out.proposal.why}` });
      return;
    }
    deps.publish(out.events);
    res.status(201).json({ window: toMaintenanceWindowDto(out.window) });
  });

  route(r, 'get', '/maintenance/proposals', READ, (_req, res) => {
    res.json({ proposals: deps.approvals.pending().map(proposalDto) });
  });

  // Which incidents the window made planned, and the overlapping outages of its sites it does not excuse (with why).
  route(r, 'get', '/maintenance/:id/incidents', READ, (req, res) => {
    const w = deps.outage.getWindow(String(req.params.id));
    if (!w) throw new HttpError(404, `no maintenance window "${req.params.id}"`);
    const now = deps.clock.now();
    const c = deps.outage.windowCoverage([w])[0]!;
    const dto = (id: string) => toIncidentDto(deps.outage.getIncident(id)!, now);
    res.json({
      window: { ...toMaintenanceWindowDto(w), deletedAt: w.deletedAt === null ? null : new Date(w.deletedAt).toISOString() },
      covered: c.covered.map(dto),
      overlapping: c.overlapping.map((o) => ({ reason: o.reason, incident: dto(o.incidentId) })),
    });
  });

  route(r, 'post', '/maintenance/proposals/:id/approve', ROLE('approver'), (req, res) => {
    let out;
    try {
      out = deps.approvals.approve(String(req.params.id), req.actingUser!);
    } catch (e) {
      commandError(e);
    }
    deps.publish(out.events);
    res.json({ proposal: proposalDto(out.proposal), window: toMaintenanceWindowDto(out.window) });
  });

  route(r, 'delete', '/maintenance/:id', ROLE('operator'), (req, res) => {
    const b = parseWith(deleteBody, req.body ?? {}, 'body');
    let out;
    try {
      out = deps.approvals.request({ kind: 'delete', windowId: String(req.params.id), reason: b.reason }, req.actingUser!);
    } catch (e) {
      commandError(e);
    }
    if (!out.applied) {
      res.status(202).json({ proposal: proposalDto(out.proposal), needsApproval: `a second person must approve: ${out.proposal.why}` });
      return;
    }
    deps.publish(out.events);
    res.json({ window: toMaintenanceWindowDto(out.window), deleted: true });
  });

  return r;
}
