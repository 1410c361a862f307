import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../core/logger.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The path without the query: query strings carry ack tokens, which stay out of the log. */
const target = (req: Request) => req.originalUrl.split('?')[0]!.slice(0, 500);

/**
 * Records every mutating request once its answer is sent: who (the authenticated user, or
 * 'anonymous'), from where, what and how it ended, refusals (401/403/4xx) included. The
 * commands themselves record what they changed, before and after; this row is the request.
 * Mounted ahead of the body parser so a body refused as too large or badly encoded is
 * recorded too.
 */
export function auditTrail(log: AuditLog, logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!MUTATING.has(req.method)) {
      next();
      return;
    }
    res.once('finish', () => {
      const status = res.statusCode;
      const problem = typeof res.locals.problem === 'string' ? res.locals.problem.slice(0, 500) : undefined;
      try {
        log.record(req.actingUser?.id ?? 'anonymous', `http.${req.method.toLowerCase()}`, target(req), {
          source: req.ip ?? req.socket.remoteAddress ?? null,
          status,
          outcome: status < 400 ? 'done' : 'refused',
          ...(problem ? { problem } : {}),
        });
      } catch (err) {
        // The answer is already sent; the failure must be loud in the log instead.
        logger.error({ err, method: req.method, path: target(req), status }, 'audit: could not record a request');
      }
    });
    next();
  };
}

/**
 * express-rate-limit on mutating requests, per source address. Reads are not limited here
 * (the wall polls them); refusals are logged, not audited, so a flood cannot flood the chain.
 */
export function mutationRateLimit(cfg: { windowSec: number; max: number }, logger: Logger): RequestHandler {
  return rateLimit({
    windowMs: cfg.windowSec * 1000,
    limit: cfg.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => !MUTATING.has(req.method),
    validate: { xForwardedForHeader: false },
    handler: (req: Request, res: Response) => {
      logger.warn({ source: req.ip, method: req.method, path: target(req) }, 'rate limit: mutating request refused');
      res.status(429).json({ error: `too many changes from ${req.ip}: at most ${cfg.max} per ${cfg.windowSec} s; retry after the Retry-After header's seconds` });
    },
  });
}
