import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { Secret } from '../../core/secret.js';
import { ROLES } from '../../core/user.js';
import type { IdentityService } from '../../identity/identity.js';
import type { ApiToken } from '../../identity/tokens.js';
import { publicChange, type UserChangeProposal } from '../../identity/user-changes.js';
import { HttpError, parseWith } from '../http-errors.js';
import { READ, ROLE, route } from '../policy.js';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const roles = z.array(z.enum(ROLES)).min(1);
const userId = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'letters, digits, _ . @ - (at most 64)');

const changeBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('add'), userId, name: z.string().trim().min(1).max(100), roles, password: z.string().min(1).max(1024) }),
  z.strictObject({ kind: z.literal('roles'), userId, roles }),
  z.strictObject({ kind: z.literal('disable'), userId }),
  z.strictObject({ kind: z.literal('enable'), userId }),
]);

const tokenBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['api', 'display']).default('api'),
    roles: roles.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'api' && !b.roles) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'an API token needs roles' });
    if (b.kind === 'display' && b.roles) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'a display token has no roles: it only reads what the wall shows' });
  });

export const tokenDto = (t: ApiToken) => ({
  id: t.id, name: t.name, kind: t.kind, roles: t.roles, createdBy: t.createdBy, createdAt: iso(t.createdAt),
  expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt), lastUsedAt: iso(t.lastUsedAt),
});
const proposalDto = (p: UserChangeProposal) => ({ ...p, change: publicChange(p.change), proposedAt: iso(p.proposedAt), decidedAt: iso(p.decidedAt) });

/**
 * Accounts and tokens, for admins. A user change is a proposal that a second admin approves
 * (never the proposer); a token is shown once, when it is created.
 */
export function userRoutes(deps: { identity: IdentityService; clock: Clock }): Router {
  const r = Router();
  const { identity } = deps;

  route(r, 'get', '/users', ROLE('admin'), (_req, res) => {
    res.json({ users: identity.users.list().map((u) => ({ ...u, createdAt: iso(u.createdAt), disabledAt: iso(u.disabledAt) })) });
  });

  // Who is who, for every reader: the console shows people by name, never by login id.
  route(r, 'get', '/users/names', READ, (_req, res) => {
    res.json({ users: identity.users.list().map((u) => ({ id: u.id, name: u.name })) });
  });

  route(r, 'get', '/user-changes', ROLE('admin'), (_req, res) => {
    res.json({ changes: identity.changes.pending().map(proposalDto) });
  });

  route(r, 'post', '/user-changes', ROLE('admin'), async (req, res) => {
    const b = parseWith(changeBody, req.body, 'body');
    const out = await identity.proposeUserChange(b.kind === 'add' ? { ...b, password: new Secret(b.password) } : b, req.actingUser!.id);
    if (!out.ok) throw new HttpError(out.status, out.reason);
    res.status(202).json({ change: proposalDto(out.value) });
  });

  route(r, 'post', '/user-changes/:id/approve', ROLE('admin'), (req, res) => {
    const out = identity.approveUserChange(String(req.params.id), req.actingUser!.id);
    if (!out.ok) throw new HttpError(out.status, out.reason);
    res.json({ change: proposalDto(out.value) });
  });

  route(r, 'get', '/tokens', ROLE('admin'), (_req, res) => {
    res.json({ tokens: identity.tokens.list().map(tokenDto) });
  });

  route(r, 'post', '/tokens', ROLE('admin'), (req, res) => {
    const b = parseWith(tokenBody, req.body, 'body');
    const expiresAt = b.expiresAt ? Date.parse(b.expiresAt) : null;
    if (expiresAt !== null && expiresAt <= deps.clock.now()) throw new HttpError(400, 'invalid body: expiresAt: must be in the future', [{ field: 'expiresAt', problem: 'must be in the future' }]);
    const out = identity.createToken({ name: b.name, kind: b.kind, roles: b.roles ?? [], expiresAt }, req.actingUser!.id);
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ token: tokenDto(out.token), value: out.value.reveal(), note: 'shown once; demarc keeps only its hash' });
  });

  route(r, 'delete', '/tokens/:id', ROLE('admin'), (req, res) => {
    const out = identity.revokeToken(String(req.params.id), req.actingUser!.id);
    if (!out.ok) throw new HttpError(out.status, out.reason);
    res.json({ token: tokenDto(out.value) });
  });

  return r;
}
