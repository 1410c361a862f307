import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { User } from '../core/user.js';
import type { Caller, IdentityService } from '../identity/identity.js';
import { HttpError } from './http-errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The person or token behind the request; other code reads this name. */
    actingUser?: User;
  }
}

export const SESSION_COOKIE = 'demarc_session';
export const CSRF_COOKIE = 'demarc_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthOptions {
  identity: IdentityService;
  /** Origins allowed besides the request's own (auth.allowedOrigins). */
  allowedOrigins: readonly string[];
  /** TLS on: cookies get the Secure flag. */
  secure: boolean;
}

/** One cookie from a raw Cookie header (socket.io's handshake has no cookie-parser). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function callerFrom(identity: IdentityService, headers: IncomingMessage['headers']): { caller: Caller | null; bearerError: string | null; cookie: boolean } {
  const authz = headers.authorization;
  if (authz !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m) return { caller: null, bearerError: 'Authorization must be "Bearer <token>"', cookie: false };
    const r = identity.fromBearer(m[1]!);
    return r.ok ? { caller: r.value, bearerError: null, cookie: false } : { caller: null, bearerError: r.reason, cookie: false };
  }
  const value = cookieValue(headers.cookie, SESSION_COOKIE);
  if (!value) return { caller: null, bearerError: null, cookie: false };
  return { caller: identity.fromSession(value), bearerError: null, cookie: true };
}

/** The origin this request was addressed to, as a browser would write it. */
function ownOrigin(req: IncomingMessage, secure: boolean): string | null {
  const host = req.headers.host;
  return host ? `${secure ? 'https' : 'http'}://${host}` : null;
}

/** True when the request carries no Origin (not a browser, or a same-origin GET) or an allowed one. */
export function originAllowed(req: IncomingMessage, opts: Pick<AuthOptions, 'allowedOrigins' | 'secure'>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === ownOrigin(req, opts.secure) || opts.allowedOrigins.includes(origin);
}

export function sessionCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'strict' as const, secure, path: '/' };
}

/**
 * Authenticates every request (a session cookie or `Authorization: Bearer`) and guards
 * cookie-authenticated changes: the Origin must be ours and the CSRF double-submit token
 * must match. Bearer requests are not sent by browsers on their own, so they need neither.
 */
export function authMiddleware(opts: AuthOptions) {
  const csrfKey = opts.identity.csrfKey().reveal();
  const csrf = doubleCsrf({
    getSecret: () => csrfKey,
    getSessionIdentifier: (req) => (req.caller && req.caller.via !== 'api-token' ? (req.caller.session?.handle ?? '') : ''),
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', secure: opts.secure, path: '/', httpOnly: true },
    getCsrfTokenFromRequest: (req) => req.headers[CSRF_HEADER] as string | undefined,
    errorConfig: { statusCode: 403, message: `missing or wrong CSRF token: send the token from GET /api/auth/me in the ${CSRF_HEADER} header` },
  });

  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    const { caller, bearerError, cookie } = callerFrom(opts.identity, req.headers);
    if (bearerError) {
      next(new HttpError(401, `Authorization: ${bearerError}`));
      return;
    }
    if (caller) {
      req.caller = caller;
      req.actingUser = caller.user;
    } else if (cookie) {
      res.clearCookie(SESSION_COOKIE, sessionCookieOptions(opts.secure));
    }
    if (SAFE.has(req.method)) {
      next();
      return;
    }
    // Changes from a browser: another origin is refused before anything else is looked at.
    if (!originAllowed(req, opts)) {
      next(new HttpError(403, `cross-origin request refused: Origin ${req.headers.origin} is not this server's (add it to auth.allowedOrigins if it should be)`));
      return;
    }
    if (req.caller && req.caller.via !== 'api-token' && req.caller.session) {
      // csrf-csrf reports with its own error type; hand on ours so the answer is a named 403.
      csrf.doubleCsrfProtection(req, res, (err?: unknown) => (err ? next(new HttpError(403, (err as Error).message)) : next()));
    } else next();
  };

  return {
    authenticate,
    /** A token for the X-CSRF-Token header, tied to the caller's session (and its cookie set). */
    csrfToken: (req: Request, res: Response) => csrf.generateCsrfToken(req, res, { overwrite: true }),
    /** For socket.io: the caller behind the handshake's cookie or Authorization header. */
    callerOf: (req: IncomingMessage) => callerFrom(opts.identity, req.headers).caller,
  };
}
