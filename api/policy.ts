import type { Application, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Caller } from '../identity/identity.js';
import type { Role } from '../core/user.js';
import { HttpError } from './http-errors.js';

/**
 * Who may call a route or send a socket event. Declared next to each handler; a route or
 * event without one does not exist (test/api/policy-coverage.test.ts enumerates the app).
 * - public: anyone, with the reason written down (health probes, login, the signed ack link);
 * - signed-in: any authenticated caller (who am I, logout);
 * - read: viewer and above, API tokens with a role, and the wall's display token;
 * - roles: one of these roles (admin passes every role check except where a rule says
 *   otherwise, e.g. nobody approves their own proposal).
 */
export type Policy =
  | { kind: 'public'; why: string }
  | { kind: 'signed-in' }
  | { kind: 'read' }
  | { kind: 'roles'; roles: readonly Role[] };

export const PUBLIC = (why: string): Policy => ({ kind: 'public', why });
export const SIGNED_IN: Policy = { kind: 'signed-in' };
export const READ: Policy = { kind: 'read' };
export const ROLE = (...roles: Role[]): Policy => ({ kind: 'roles', roles });
/** Contact names and phone numbers: people who act on a fault, not the wall or a viewer. */
export const PERSONAL_DATA: Policy = ROLE('operator', 'approver');

export function policyLabel(p: Policy): string {
  if (p.kind === 'public') return 'public';
  if (p.kind === 'roles') return p.roles.join('|');
  return p.kind;
}

export type Decision = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The pure decision: may this caller (null = anonymous) use something guarded by this policy? */
export function decide(policy: Policy, caller: Caller | null): Decision {
  if (policy.kind === 'public') return { ok: true };
  if (!caller) return { ok: false, status: 401, reason: 'log in first (or send Authorization: Bearer <token>)' };
  if (policy.kind === 'signed-in') return { ok: true };
  if (caller.via === 'display') return policy.kind === 'read' ? { ok: true } : { ok: false, status: 403, reason: 'a display token may only read what the wall shows' };
  const roles = caller.user.roles;
  if (policy.kind === 'read') return roles.length ? { ok: true } : { ok: false, status: 403, reason: `${caller.user.id} has no role` };
  if (roles.includes('admin') || roles.some((r) => policy.roles.includes(r))) return { ok: true };
  return { ok: false, status: 403, reason: `needs role ${policy.roles.join(' or ')}; ${caller.user.id} has ${roles.join(', ') || 'none'}` };
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by api/auth.ts when the request carries a valid session cookie or bearer token. */
    caller?: Caller;
  }
}

type Guard = RequestHandler & { policy: Policy };

/** The middleware that enforces a policy; it carries the policy so the app can be enumerated. */
export function guard(policy: Policy): Guard {
  const g = ((req: Request, _res: Response, next: NextFunction) => {
    const d = decide(policy, req.caller ?? null);
    if (d.ok) next();
    else next(new HttpError(d.status, d.reason));
  }) as Guard;
  g.policy = policy;
  return g;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** `route(r, 'post', '/x', ROLE('operator'), handler)`: the route and its policy in one line. */
export function route(r: Router | Application, method: Method, path: string | RegExp, policy: Policy, ...handlers: RequestHandler[]): void {
  (r[method] as (p: string | RegExp, ...h: RequestHandler[]) => unknown).call(r, path, guard(policy), ...handlers);
}

export interface RouteEntry {
  method: string;
  path: string;
  policy: Policy | null;
}

interface LayerLike {
  route?: { path: string | RegExp; methods: Record<string, boolean>; stack: { handle: RequestHandler & { policy?: Policy } }[] };
  handle: RequestHandler & { stack?: LayerLike[] };
  rawPath?: string | RegExp;
}

/** Every route of an express app with the policy its first handler enforces (null = none). */
export function routeTable(app: Application): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = prefix + String(layer.route.path);
        const policy = layer.route.stack[0]?.handle.policy ?? null;
        for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path, policy });
      } else if (layer.handle.stack) {
        const p = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + p);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return out;
}
