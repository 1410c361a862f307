import type { NextFunction, Request, Response } from 'express';
import type { Role, User } from '../core/user.js';

declare module 'express-serve-static-core' {
  interface Request {
    actingUser?: User;
  }
}

export const ACTING_USER_HEADER = 'x-demarc-user';

/**
 * Names the person behind a mutating request. Today the caller states it in a header and the
 * user must exist in demarc.yaml; the login work replaces this middleware, not its callers,
 * which read `req.actingUser`.
 */
export function actingUser(users: readonly User[]) {
  const byId = new Map(users.map((u) => [u.id, u]));
  return (req: Request, res: Response, next: NextFunction): void => {
    const id = req.header(ACTING_USER_HEADER);
    if (!id) {
      res.status(401).json({ error: `name the acting user in the ${ACTING_USER_HEADER} header` });
      return;
    }
    const user = byId.get(id);
    if (!user) {
      res.status(401).json({ error: `unknown user "${id}" (users are listed in demarc.yaml)` });
      return;
    }
    req.actingUser = user;
    next();
  };
}

export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = req.actingUser;
    if (!user || !user.roles.some((r) => roles.includes(r) || r === 'admin')) {
      res.status(403).json({ error: `needs role ${roles.join(' or ')}; ${user?.id ?? 'nobody'} has ${user?.roles.join(', ') ?? 'none'}` });
      return;
    }
    next();
  };
}
