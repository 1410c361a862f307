import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { DomainError, type DomainFailure } from '../core/domain-error.js';
import type { Logger } from '../core/logger.js';

/** An error the client caused; the message names what was wrong and where. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The HTTP answer to each reason a stage refuses a command for. */
const STATUS: Readonly<Record<DomainFailure, number>> = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409, expired: 410 };
export const httpStatus = (f: DomainFailure): number => STATUS[f];

/** Validates query or body with a zod schema; a failure is a 400 naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: 'query' | 'body'): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ field: i.path.join('.') || what, problem: i.message }));
  throw new HttpError(400, `invalid ${what}: ` + fields.map((f) => `${f.field}: ${f.problem}`).join('; '), fields);
}

/** Maps an error no route handled to an HttpError (e.g. storage failures to a 503 naming the file), or null. */
export type ErrorMapper = (err: unknown) => HttpError | null;

export function errorHandler(logger: Logger, mapError: ErrorMapper = () => null) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof DomainError) {
      const details = err.field ? { details: [{ field: err.field, problem: err.message }] } : {};
      res.status(httpStatus(err.failure)).json({ error: err.message, ...details });
      return;
    }
    const mapped = err instanceof HttpError ? null : mapError(err);
    if (mapped) {
      logger.error({ err, method: req.method, path: req.path }, mapped.message);
      res.status(mapped.status).json({ error: mapped.message });
      return;
    }
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    // Malformed JSON from express.json(): the client's fault, say so.
    if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: `request body is not valid JSON: ${String((err as unknown as Error).message)}` });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal error; see the server log' });
  };
}
