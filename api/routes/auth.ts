import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { AuthConfig } from '../../config/auth-schema.js';
import type { Logger } from '../../core/logger.js';
import { Secret } from '../../core/secret.js';
import { ROLES } from '../../core/user.js';
import type { Caller, IdentityService } from '../../identity/identity.js';
import type { Session } from '../../identity/sessions.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../auth.js';
import { HttpError, parseWith } from '../http-errors.js';
import { PUBLIC, ROLE, route, SIGNED_IN } from '../policy.js';

const loginBody = z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) });
const displayBody = z.strictObject({ token: z.string().min(1).max(200) });
const passwordBody = z.strictObject({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) });

export interface AuthRouteDeps {
  identity: IdentityService;
  config: AuthConfig;
  secure: boolean;
  logger: Logger;
  csrfToken: (req: Request, res: Response) => string;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
export const sessionDto = (s: Session) => ({ handle: s.handle, owner: s.owner, createdAt: iso(s.createdAt), lastSeenAt: iso(s.lastSeenAt), expiresAt: iso(s.expiresAt), source: s.source });

function callerDto(c: Caller) {
  return { id: c.user.id, name: c.user.name, roles: c.user.roles, via: c.via };
}

const source = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Login, logout, who-am-I, the wall's display session, own password, and an admin's view of sessions. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const r = Router();
  const { identity, config } = deps;
  const windowMs = config.login.lockoutMinutes * 60_000;

  // Two limits count only failed logins: one per account (someone guessing one password),
  // one per client address (someone trying many accounts). The answer says until when.
  const lockout = (what: 'account' | 'address', limit: number, key: (req: Request) => string) =>
    rateLimit({
      windowMs,
      limit,
      skipSuccessfulRequests: true,
      // Only a refused credential counts; a malformed request (400) is not a guess.
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: key,
      handler: (req, res) => {
        const unlocksAt = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime ?? new Date(Date.now() + windowMs);
        const name = what === 'account' ? `account "${String(req.body?.username)}"` : `address ${source(req)}`;
        identity.recordLockout(what, what === 'account' ? String(req.body?.username) : source(req), source(req), unlocksAt.getTime());
        deps.logger.warn({ lockout: what, username: String(req.body?.username), source: source(req), unlocksAt: unlocksAt.toISOString() }, 'login locked out');
        res.status(429).json({ error: `${name} is locked after ${limit} failed logins until ${unlocksAt.toISOString()}`, lockedOut: what, unlocksAt: unlocksAt.toISOString() });
      },
    });
  const perAddress = lockout('address', config.login.maxFailuresPerAddress, (req) => ipKeyGenerator(source(req)));
  const perAccount = lockout('account', config.login.maxFailuresPerAccount, (req) => `account:${String(req.body?.username ?? '').trim().toLowerCase()}`);

  route(r, 'post', '/auth/login', PUBLIC('the login itself; rate-limited per account and address'), perAddress, perAccount, async (req, res) => {
    const b = parseWith(loginBody, req.body, 'body');
    const out = await identity.login(b.username, new Secret(b.password), source(req));
    if (!out.ok) throw new HttpError(out.status, out.reason);
    res.cookie(SESSION_COOKIE, out.value.cookie.reveal(), sessionCookieOptions(deps.secure));
    const caller: Caller = { via: 'session', user: { id: out.value.user.id, name: out.value.user.name, roles: out.value.user.roles }, session: out.value.session };
    req.caller = caller;
    res.json({ user: callerDto(caller), csrfToken: deps.csrfToken(req, res), expiresAt: iso(out.value.session.expiresAt) });
  });

  route(r, 'post', '/auth/display', PUBLIC('the display token in the body is the credential'), perAddress, (req, res) => {
    const b = parseWith(displayBody, req.body, 'body');
    const out = identity.displaySession(b.token, source(req));
    if (!out.ok) throw new HttpError(out.status, out.reason);
    res.cookie(SESSION_COOKIE, out.value.cookie.reveal(), sessionCookieOptions(deps.secure));
    res.json({ display: { name: out.value.token.name }, expiresAt: iso(out.value.session.expiresAt) });
  });

  route(r, 'get', '/auth/me', SIGNED_IN, (req, res) => {
    const c = req.caller!;
    res.json({ user: callerDto(c), ...(c.via !== 'api-token' && c.session ? { csrfToken: deps.csrfToken(req, res), expiresAt: iso(c.session.expiresAt) } : {}) });
  });

  route(r, 'post', '/auth/logout', SIGNED_IN, (req, res) => {
    identity.logout(req.caller!, source(req));
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps.secure));
    res.json({ loggedOut: true });
  });

  route(r, 'post', '/auth/password', SIGNED_IN, async (req, res) => {
    const c = req.caller!;
    if (c.via !== 'session') throw new HttpError(403, 'only a logged-in person changes their password');
    const b = parseWith(passwordBody, req.body, 'body');
    const out = await identity.changeOwnPassword(c.user.id, new Secret(b.current), new Secret(b.next));
    if (!out.ok) throw new HttpError(out.status, out.reason);
    res.json({ changed: true });
  });

  route(r, 'get', '/auth/sessions', ROLE('admin'), (_req, res) => {
    res.json({ sessions: identity.sessions.listLive().map(sessionDto) });
  });

  route(r, 'delete', '/auth/sessions/:handle', ROLE('admin'), (req, res) => {
    const out = identity.revokeSession(String(req.params.handle), req.actingUser!.id);
    if (!out.ok) throw new HttpError(out.status, out.reason);
    res.json({ revoked: sessionDto(out.value) });
  });

  return r;
}

export const roleList = z.array(z.enum(ROLES)).min(1);
