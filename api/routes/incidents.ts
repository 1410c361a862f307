import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { RESPONSIBILITIES, type Incident, type IncidentEvent } from '../../core/incident.js';
import type { User } from '../../core/user.js';
import { faultReport, type FaultDesk } from '../../outage/fault-report.js';
import { toIncidentDto } from '../../outage/incident-dto.js';
import { OutageCommandError, type CommandResult, type OutageStage } from '../../outage/outage-stage.js';
import { httpStatus, HttpError, parseWith } from '../http-errors.js';
import { READ, ROLE, route } from '../policy.js';

export interface IncidentRouteDeps {
  outage: OutageStage;
  clock: Clock;
  /** Hands the events a command produced to socket.io, as the pipeline does for its own. */
  publish: (events: IncidentEvent[]) => void;
  /** The carrier's fault hotline and who reports (alerts.faultReport): the pre-filled fault report. */
  faultDesk: FaultDesk;
}

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 instant with a zone, e.g. 2026-03-01T08:00:00Z' });

const listQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  site: z.string().min(1).optional(),
  responsibility: z.enum(RESPONSIBILITIES).optional(),
  open: z.enum(['true', 'false']).optional(),
  /** A mass-outage (group) event id. */
  group: z.string().min(1).optional(),
  division: z.string().min(1).max(100).optional(),
  carrierGroup: z.string().min(1).max(100).optional(),
  kind: z.enum(['outage', 'monitoring-gap']).optional(),
  /** `pending`: only incidents whose latest correction waits for a second person (the approver's queue). */
  correction: z.enum(['pending']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

const carrierBody = z.strictObject({
  /** When the hotline was called / the carrier answered; defaults to now. */
  at: instant.optional(),
  note: z.string().trim().max(500).optional(),
});

const proposeBody = z.strictObject({
  responsibility: z.enum(RESPONSIBILITIES),
  reason: z.string().trim().min(3, 'say why the verdict should change').max(2000),
});

const approveBody = z.strictObject({}).optional();

const rejectBody = z.strictObject({
  reason: z.string().trim().min(3, 'say why the correction is rejected').max(2000),
});

function commandError(e: unknown): never {
  if (e instanceof OutageCommandError) {
    throw new HttpError(httpStatus(e.failure), e.message, e.field ? [{ field: e.field, problem: e.message }] : undefined);
  }
  throw e;
}

/**
 * GET /incidents, GET /incidents/:id, and the operators' commands on one incident: carrier
 * report and response, verdict correction (propose, then a different approver approves or rejects).
 */
export function incidentRoutes(deps: IncidentRouteDeps): Router {
  const r = Router();
  const dto = (i: Incident) => {
    const now = deps.clock.now();
    return { ...toIncidentDto(i, now), carrierResponse: deps.outage.carrierResponse(i, now) };
  };
  const run = (req: Request, command: (by: User) => CommandResult) => {
    let result: CommandResult;
    try {
      result = command(req.actingUser!);
    } catch (e) {
      commandError(e);
    }
    deps.publish(result.events);
    return { incident: dto(result.incident) };
  };

  route(r, 'get', '/incidents', READ, (req, res) => {
    const q = parseWith(listQuery, req.query, 'query');
    const from = q.from ? Date.parse(q.from) : undefined;
    const to = q.to ? Date.parse(q.to) : undefined;
    if (from !== undefined && to !== undefined && from >= to) throw new HttpError(400, 'invalid query: from must be before to', [{ field: 'from', problem: 'must be before to' }]);
    // A division or carrier group is a set of sites in the inventory; one that names no site matches nothing.
    const bySites = q.division !== undefined || q.carrierGroup !== undefined;
    const siteIds = bySites ? deps.outage.siteIdsWhere({ division: q.division, carrierGroup: q.carrierGroup }) : undefined;
    const { incidents, total } = deps.outage.pageIncidents({
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(q.site ? { siteId: q.site } : {}),
      ...(q.responsibility ? { responsibility: q.responsibility } : {}),
      ...(q.open ? { open: q.open === 'true' } : {}),
      ...(q.group ? { groupEventId: q.group } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(siteIds ? { siteIds } : {}),
      ...(q.correction ? { correctionPending: true } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
      ...(q.offset ? { offset: q.offset } : {}),
    });
    res.json({ incidents: incidents.map(dto), total, offset: q.offset ?? 0, limit: q.limit ?? 1000 });
  });

  route(r, 'get', '/incidents/:id', READ, (req, res) => {
    const i = deps.outage.getIncident(String(req.params.id));
    if (!i) throw new HttpError(404, `no incident "${req.params.id}"`);
    res.json({ incident: dto(i) });
  });

  route(r, 'get', '/incidents/:id/fault-report', ROLE('operator'), (req, res) => {
    const i = deps.outage.getIncident(String(req.params.id));
    if (!i) throw new HttpError(404, `no incident "${req.params.id}"`);
    res.json({ faultReport: faultReport(i, deps.outage.site(i.siteId), deps.faultDesk) });
  });

  route(r, 'post', '/incidents/:id/carrier-report', ROLE('operator'), (req, res) => {
    const b = parseWith(carrierBody, req.body ?? {}, 'body');
    const at = b.at ? Date.parse(b.at) : deps.clock.now();
    res.json(run(req, (by) => deps.outage.reportToCarrier(req.params.id as string, by, at, b.note ?? null)));
  });

  route(r, 'post', '/incidents/:id/carrier-response', ROLE('operator'), (req, res) => {
    const b = parseWith(carrierBody, req.body ?? {}, 'body');
    const at = b.at ? Date.parse(b.at) : deps.clock.now();
    res.json(run(req, (by) => deps.outage.recordCarrierResponse(req.params.id as string, by, at, b.note ?? null)));
  });

  route(r, 'post', '/incidents/:id/verdict', ROLE('operator'), (req, res) => {
    const b = parseWith(proposeBody, req.body, 'body');
    res.status(202).json(run(req, (by) => deps.outage.proposeVerdict(req.params.id as string, by, b.responsibility, b.reason)));
  });

  route(r, 'post', '/incidents/:id/verdict/approve', ROLE('approver'), (req, res) => {
    parseWith(approveBody, req.body, 'body');
    res.json(run(req, (by) => deps.outage.approveVerdict(req.params.id as string, by)));
  });

  route(r, 'post', '/incidents/:id/verdict/reject', ROLE('approver'), (req, res) => {
    const b = parseWith(rejectBody, req.body, 'body');
    res.json(run(req, (by) => deps.outage.rejectVerdict(req.params.id as string, by, b.reason)));
  });

  return r;
}
