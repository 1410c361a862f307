import { z } from 'zod';
import { ROLES } from '../core/user.js';
import { Secret } from '../core/secret.js';
import { secretString } from './secret-string.js';

const minutes = z.number().int().min(1);

/** LDAP/AD directory login: bind as the user, read groups, map them to roles. */
const ldap = z.strictObject({
  /** ldap:// or ldaps:// URL of the directory. */
  url: z.string().regex(/^ldaps?:\/\//, 'must be an ldap:// or ldaps:// URL'),
  /** Bind DN template; {username} is replaced by the escaped login name. */
  userDnTemplate: z.string().includes('{username}', { message: 'must contain {username}' }),
  /** Where groups are searched, and the filter naming the user as a member ({dn} = user DN). */
  groupSearchBase: z.string().min(1),
  groupFilter: z.string().default('(member={dn})'),
  /** Group DN (case-insensitive) → demarc roles. A user with no mapped group cannot log in. */
  groupRoles: z.record(z.string().min(1), z.array(z.enum(ROLES)).min(1)),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
});

export const authConfigSchema = z.strictObject({
  session: z
    .strictObject({
      /** A session unused this long is gone. */
      idleMinutes: minutes.default(30),
      /** Every session ends this long after login, used or not. */
      absoluteHours: z.number().int().min(1).default(12),
    })
    .prefault({}),
  login: z
    .strictObject({
      /** Failed logins per account before it is locked for lockoutMinutes. */
      maxFailuresPerAccount: z.number().int().min(1).default(5),
      /** Failed logins per client address before that address is locked. */
      maxFailuresPerAddress: z.number().int().min(1).default(20),
      lockoutMinutes: minutes.default(15),
    })
    .prefault({}),
  /**
   * Origins (scheme://host:port) browsers may send changes and socket connections from, besides
   * the one the request itself was sent to. A cross-origin change is refused.
   */
  allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'an origin is scheme://host[:port], no path')).default([]),
  /** Signs the CSRF double-submit token. Without one, a random key made once and kept in the state db. */
  csrfSecret: secretString.optional(),
  /**
   * Password of the first admin on first start (\${DEMARC_ADMIN_PASSWORD:-} in the YAML); empty or
   * absent: a one-time password is printed once instead.
   */
  adminPassword: z
    .string()
    .optional()
    .transform((s) => (s ? new Secret(s) : undefined)),
  /** Demo accounts with printed passwords (npm start); never in production. */
  demoUsers: z.boolean().default(false),
  /** Maintenance windows longer than this need a second person's approval. */
  maintenanceMaxHours: z.number().min(1).default(24),
  ldap: ldap.optional(),
});

export type AuthConfig = z.output<typeof authConfigSchema>;
export type LdapConfig = z.output<typeof ldap>;
export const authConfig = (input: z.input<typeof authConfigSchema> = {}): AuthConfig => authConfigSchema.parse(input);
