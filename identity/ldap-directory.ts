import { Client } from 'ldapts';
import type { LdapConfig } from '../config/auth-schema.js';
import type { Secret } from '../core/secret.js';
import type { Role } from '../core/user.js';

export type DirectoryLogin = { ok: true; name: string; roles: Role[] } | { ok: false; reason: string };

/** RFC 4514 escaping of a value put into a DN, so a login name cannot rewrite the DN. */
export function escapeDnValue(v: string): string {
  return v.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`).replace(/^ /, '\\ ').replace(/ $/, '\\ ');
}

/** RFC 4515 escaping of a value put into a search filter. */
export function escapeFilterValue(v: string): string {
  return v.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * LDAP/AD login: bind as the user (the directory checks the password), then read the groups
 * that name the user as a member and map them to roles. demarc never holds a service
 * account's password for this.
 */
export class LdapDirectory {
  constructor(private readonly cfg: LdapConfig) {}

  async login(username: string, password: Secret): Promise<DirectoryLogin> {
    // An empty password would be an anonymous bind that "succeeds" (RFC 4513 5.1.2).
    if (!password.reveal()) return { ok: false, reason: 'empty password' };
    const dn = this.cfg.userDnTemplate.replace('{username}', escapeDnValue(username));
    const client = new Client({ url: this.cfg.url, timeout: this.cfg.timeoutMs, connectTimeout: this.cfg.timeoutMs });
    try {
      try {
        await client.bind(dn, password.reveal());
      } catch (e) {
        return { ok: false, reason: `directory refused the bind (${(e as Error).name})` };
      }
      const self = await client.search(dn, { scope: 'base', attributes: ['cn', 'displayName'] });
      const entry = self.searchEntries[0];
      // ldapts gives a missing attribute as [], a single value as a string.
      const first = (v: unknown) => (Array.isArray(v) ? v[0] : v)?.toString() || null;
      const name = first(entry?.['displayName']) ?? first(entry?.['cn']) ?? username;
      const filter = this.cfg.groupFilter.replace('{dn}', escapeFilterValue(dn));
      const groups = await client.search(this.cfg.groupSearchBase, { scope: 'sub', filter, attributes: ['dn'] });
      const mapping = new Map(Object.entries(this.cfg.groupRoles).map(([g, r]) => [normalizeDn(g), r]));
      const roles = new Set<Role>();
      for (const g of groups.searchEntries) for (const r of mapping.get(normalizeDn(g.dn)) ?? []) roles.add(r);
      if (roles.size === 0) return { ok: false, reason: 'no directory group of this user maps to a demarc role' };
      return { ok: true, name, roles: [...roles] };
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

const normalizeDn = (dn: string) => dn.replace(/\s*,\s*/g, ',').toLowerCase();
