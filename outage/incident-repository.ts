import type { Incident, Responsibility } from '../core/incident.js';
import type { StateDb } from '../store/state-db.js';
import type { IncidentFacts, TrackedIncident } from './incident-facts.js';
import { migrateOutage } from './outage-schema.js';

export interface IncidentQuery {
  /** Incidents overlapping [from, to). */
  from?: number;
  to?: number;
  siteId?: string;
  responsibility?: Responsibility;
  open?: boolean;
  groupEventId?: string;
  kind?: Incident['kind'];
  /** Only these sites (a division's or a carrier group's, resolved by the caller); empty matches none. */
  siteIds?: readonly string[];
  /** Only incidents whose latest correction waits for a second person. */
  correctionPending?: boolean;
  limit?: number;
  /** Rows to skip (paging), in the list's order: newest first. */
  offset?: number;
}

type Row = Record<string, unknown>;

function toIncident(r: Row): Incident {
  return {
    id: r.id as string,
    siteId: (r.site_id as string | null) ?? null,
    circuitId: (r.circuit_id as string | null) ?? null,
    kind: r.kind as Incident['kind'],
    startedAt: r.started_at as number,
    endedAt: (r.ended_at as number | null) ?? null,
    responsibility: r.responsibility as Responsibility,
    verdict: r.verdict as Incident['verdict'],
    rule: r.rule as string,
    evidence: JSON.parse(r.evidence as string) as Incident['evidence'],
    flaps: r.flaps as number,
    groupEventId: (r.group_event_id as string | null) ?? null,
    maintenanceWindowId: (r.maintenance_window_id as string | null) ?? null,
    carrierReportedAt: (r.carrier_reported_at as number | null) ?? null,
    carrierRespondedAt: (r.carrier_responded_at as number | null) ?? null,
    corrections: JSON.parse(r.corrections as string) as Incident['corrections'],
  };
}

function toTracked(r: Row): TrackedIncident {
  const incident = toIncident(r);
  const facts = JSON.parse(r.facts as string) as IncidentFacts;
  // One array, as the tracker keeps it: the observation log is the incident's evidence.
  facts.evidence = incident.evidence;
  return { incident, facts };
}

/** Incidents and the tracker's facts about them, in the SQLite state db. */
export class IncidentRepository {
  constructor(private readonly db: StateDb) {
    migrateOutage(db);
  }

  save(records: readonly TrackedIncident[], at: number): void {
    if (!records.length) return;
    const stmt = this.db.prepare(
      `INSERT INTO outage_incident (id, site_id, circuit_id, kind, started_at, ended_at, responsibility, verdict, rule, flaps,
         group_event_id, maintenance_window_id, carrier_reported_at, carrier_responded_at, evidence, corrections, facts, updated_at)
       VALUES (@id, @siteId, @circuitId, @kind, @startedAt, @endedAt, @responsibility, @verdict, @rule, @flaps,
         @groupEventId, @maintenanceWindowId, @carrierReportedAt, @carrierRespondedAt, @evidence, @corrections, @facts, @updatedAt)
       ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, circuit_id = excluded.circuit_id, kind = excluded.kind,
         started_at = excluded.started_at, ended_at = excluded.ended_at, responsibility = excluded.responsibility,
         verdict = excluded.verdict, rule = excluded.rule, flaps = excluded.flaps, group_event_id = excluded.group_event_id,
         maintenance_window_id = excluded.maintenance_window_id, carrier_reported_at = excluded.carrier_reported_at,
         carrier_responded_at = excluded.carrier_responded_at, evidence = excluded.evidence, corrections = excluded.corrections,
         facts = excluded.facts, updated_at = excluded.updated_at`,
    );
    this.db.transaction(() => {
      for (const { incident: i, facts } of records) {
        const { evidence: _evidence, ...rest } = facts;
        stmt.run({
          id: i.id,
          siteId: i.siteId,
          circuitId: i.circuitId,
          kind: i.kind,
          startedAt: i.startedAt,
          endedAt: i.endedAt,
          responsibility: i.responsibility,
          verdict: i.verdict,
          rule: i.rule,
          flaps: i.flaps,
          groupEventId: i.groupEventId,
          maintenanceWindowId: i.maintenanceWindowId,
          carrierReportedAt: i.carrierReportedAt,
          carrierRespondedAt: i.carrierRespondedAt,
          evidence: JSON.stringify(i.evidence),
          corrections: JSON.stringify(i.corrections),
          facts: JSON.stringify(rest),
          updatedAt: at,
        });
      }
    })();
  }

  get(id: string): TrackedIncident | null {
    const r = this.db.prepare('SELECT * FROM outage_incident WHERE id = ?').get(id) as Row | undefined;
    return r ? toTracked(r) : null;
  }

  /** Incidents still open, with their facts, to resume after a restart. */
  open(): TrackedIncident[] {
    return (this.db.prepare('SELECT * FROM outage_incident WHERE ended_at IS NULL ORDER BY started_at').all() as Row[]).map(toTracked);
  }

  list(q: IncidentQuery = {}): Incident[] {
    const { sql, args } = whereClause(q);
    const page = { ...args, limit: q.limit ?? 1000, offset: q.offset ?? 0 };
    return (this.db.prepare(`SELECT * FROM outage_incident ${sql} ORDER BY started_at DESC, id LIMIT @limit OFFSET @offset`).all(page) as Row[]).map(toIncident);
  }

  /** How many incidents match, ignoring limit and offset: the total a paged list shows. */
  count(q: IncidentQuery = {}): number {
    const { sql, args } = whereClause(q);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM outage_incident ${sql}`).get(args) as { n: number }).n;
  }

  /** When the tracker last ran a cycle: after a restart, the start of the time demarc was blind. */
  lastCycleAt(): number | null {
    const r = this.db.prepare("SELECT value FROM outage_meta WHERE key = 'last_cycle_at'").get() as { value: string } | undefined;
    return r ? Number(r.value) : null;
  }

  setLastCycleAt(at: number): void {
    this.db.prepare("INSERT INTO outage_meta (key, value) VALUES ('last_cycle_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(at));
  }
}

function whereClause(q: IncidentQuery): { sql: string; args: Record<string, unknown> } {
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  const add = (cond: string, name?: string, value?: unknown) => {
    where.push(cond);
    if (name) args[name] = value;
  };
  if (q.to !== undefined) add('started_at < @to', 'to', q.to);
  if (q.from !== undefined) add('(ended_at IS NULL OR ended_at > @from)', 'from', q.from);
  if (q.siteId !== undefined) add('site_id = @siteId', 'siteId', q.siteId);
  if (q.siteIds !== undefined) add('site_id IN (SELECT value FROM json_each(@siteIds))', 'siteIds', JSON.stringify(q.siteIds));
  if (q.responsibility !== undefined) add('responsibility = @responsibility', 'responsibility', q.responsibility);
  if (q.open !== undefined) add(q.open ? 'ended_at IS NULL' : 'ended_at IS NOT NULL');
  if (q.groupEventId !== undefined) add('group_event_id = @groupEventId', 'groupEventId', q.groupEventId);
  if (q.kind !== undefined) add('kind = @kind', 'kind', q.kind);
  if (q.correctionPending !== undefined) {
    const pending = "(json_array_length(corrections) > 0 AND json_extract(corrections, '$[#-1].approvedBy') IS NULL AND json_extract(corrections, '$[#-1].rejected') IS NULL)";
    add(q.correctionPending ? pending : `NOT ${pending}`);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}
