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

interface AttachedStatus {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  message?: unknown;
  limit?: unknown;
  charset?: unknown;
  encoding?: unknown;
}

/**
 * What the client did wrong, for the errors that body-parser and the router raise before any
 * handler runs. They carry their status (http-errors); the message is rewritten to name the
 * header or part of the request at fault.
 */
export function clientError(err: unknown, req: Request): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return new HttpError(httpStatus(err.failure), err.message, err.field ? [{ field: err.field, problem: err.message }] : undefined);
  if (!err || typeof err !== 'object') return null;
  const e = err as AttachedStatus;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : null;
  if (status === null || status < 400 || status > 499) return null;
  const header = (name: string) => JSON.stringify(req.get(name) ?? '');
  switch (e.type) {
    case 'entity.parse.failed':
      return new HttpError(400, `request body is not valid JSON: ${String(e.message)}`, [{ field: 'body', problem: 'not valid JSON' }]);
    case 'entity.too.large':
      return new HttpError(413, `request body is larger than the limit of ${String(e.limit)} bytes`, [{ field: 'body', problem: 'too large' }]);
    case 'charset.unsupported':
      return new HttpError(415, `Content-Type charset ${JSON.stringify(e.charset)} is not supported; send utf-8`, [{ field: 'Content-Type', problem: 'unsupported charset' }]);
    case 'encoding.unsupported':
      return new HttpError(415, `Content-Encoding ${header('content-encoding')} is not supported; send identity, gzip, deflate or br`, [
        { field: 'Content-Encoding', problem: 'unsupported encoding' },
      ]);
    case 'request.size.invalid':
    case 'request.aborted':
      return new HttpError(400, `request body does not match its Content-Length ${header('content-length')}`, [{ field: 'Content-Length', problem: 'does not match the body' }]);
    default:
      break;
  }
  // The router's "Failed to decode param" (a malformed %-escape in the path) and zlib's
  // complaint about a body that is not what its Content-Encoding says.
  if (err instanceof URIError || /decode param/i.test(String(e.message))) {
    return new HttpError(400, `the URL path has a malformed percent-encoding: ${JSON.stringify(req.originalUrl.slice(0, 200))}`, [{ field: 'path', problem: 'malformed percent-encoding' }]);
  }
  return new HttpError(status, String(e.message ?? 'bad request'));
}

/**
 * Last in the chain. A client error is answered with its own status and a JSON body naming
 * the problem, and logged as one line without a stack (it is not demarc's fault); anything
 * else is a 500 with the stack in the log and nothing of it in the answer.
 */
export function errorHandler(logger: Logger, mapError: ErrorMapper = () => null) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const client = clientError(err, req);
    if (res.headersSent) {
      logger.warn({ method: req.method, path: req.path, error: client?.message ?? String((err as Error)?.message ?? err) }, 'request failed after the answer began');
      res.destroy();
      return;
    }
    if (client) {
      if (client.status >= 400 && client.status !== 404) logger.info({ method: req.method, path: req.path, status: client.status, problem: client.message }, 'client error');
      res.locals.problem = client.message;
      res.status(client.status).json({ error: client.message, ...(client.details ? { details: client.details } : {}) });
      return;
    }
    const mapped = mapError(err);
    if (mapped) {
      logger.error({ err, method: req.method, path: req.path }, mapped.message);
      res.status(mapped.status).json({ error: mapped.message });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal error; see the server log' });
  };
}
