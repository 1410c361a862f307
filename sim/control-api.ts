import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../core/logger.js';
import type { FleetSimulator } from './fleet.js';
import { FaultError, type Fault } from './faults.js';

/**
 * The simulator's fault-injection API, on 127.0.0.1 only (it can take the whole fleet down):
 *   GET    /health                         liveness and counts
 *   GET    /faults                         active faults
 *   POST   /faults                         inject {kind, target, durationSec?, params?}
 *   DELETE /faults/:id                     clear one
 *   DELETE /faults                         clear all
 *   GET    /sites/:id/state                what the devices would answer now
 *   GET    /sites/:id/true-rate?from&to    exact average rate over an interval (ISO-8601)
 * Bad input gets 400 with the field named; unknown faults and sites get 404.
 */

export interface ControlApi {
  url: string;
  close(): Promise<void>;
}

/** The wire form of a fault: ISO-8601 UTC instants. */
export function faultDto(f: Fault) {
  return {
    id: f.id,
    kind: f.kind,
    target: f.target,
    params: f.params,
    durationSec: 'durationSec' in f ? (f.durationSec ?? null) : null,
    startsAt: new Date(f.startsAt).toISOString(),
    endsAt: f.endsAt === null ? null : new Date(f.endsAt).toISOString(),
  };
}

function instant(value: unknown, name: string): number {
  if (typeof value !== 'string' || !value) throw new FaultError(name, 'is required (ISO-8601, e.g. 2026-03-01T08:00:00Z)');
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new FaultError(name, `"${value}" is not an ISO-8601 instant`);
  return t;
}

export function controlApp(sim: FleetSimulator, logger: Logger): express.Express {
  const app = express();
  app.use(express.json({ limit: '64kb' }));

  app.get('/health', (_req, res) => {
    res.json({ ok: true, sites: sim.config.inventory.sites.length, agents: sim.agentCount, activeFaults: sim.faults().length });
  });
  app.get('/faults', (_req, res) => {
    res.json(sim.faults().map(faultDto));
  });
  app.post('/faults', (req, res) => {
    const handle = sim.inject(req.body);
    res.status(201).json(faultDto(handle.fault));
  });
  app.delete('/faults/:id', (req, res) => {
    if (!sim.fault(req.params.id)) {
      res.status(404).json({ error: `no fault "${req.params.id}"` });
      return;
    }
    res.json(faultDto(sim.clear(req.params.id)));
  });
  app.delete('/faults', (_req, res) => {
    res.json(sim.clearAll().map(faultDto));
  });
  app.get('/sites/:id/state', (req, res) => {
    if (!siteExists(sim, req.params.id)) return void res.status(404).json({ error: `unknown site "${req.params.id}"` });
    res.json(sim.siteState(req.params.id));
  });
  app.get('/sites/:id/true-rate', (req, res) => {
    if (!siteExists(sim, req.params.id)) return void res.status(404).json({ error: `unknown site "${req.params.id}"` });
    const from = instant(req.query.from, 'from');
    const to = instant(req.query.to, 'to');
    if (to <= from) throw new FaultError('to', 'must be after from');
    res.json({ siteId: req.params.id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...sim.trueRate(req.params.id, from, to) });
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'no such endpoint' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof FaultError) return void res.status(400).json({ error: err.message, field: err.field });
    const e = err as { type?: string; message?: string; status?: number };
    if (e.type === 'entity.parse.failed') return void res.status(400).json({ error: `body: not valid JSON (${e.message})`, field: 'body' });
    if (e.status && e.status < 500) return void res.status(e.status).json({ error: e.message });
    logger.error({ err: e.message }, 'control API request failed');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}

const siteExists = (sim: FleetSimulator, id: string) => sim.config.inventory.sites.some((s) => s.id === id);

export function startControlApi(sim: FleetSimulator, port: number, logger: Logger): Promise<ControlApi> {
  const app = controlApp(sim, logger);
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, '127.0.0.1');
    server.once('error', (e) => reject(new Error(`simulator control API cannot listen on 127.0.0.1:${port}: ${e.message}`)));
    server.once('listening', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}
