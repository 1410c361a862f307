import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { AuditLog } from '../audit/audit-log.js';
import { loadAuditKey } from '../audit/audit-key.js';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { Secret } from '../core/secret.js';
import { ROLES, type Role } from '../core/user.js';
import { hashPassword, IdentityService, passwordProblem } from '../identity/identity.js';
import { openStateDb } from '../store/state-db.js';
import { loadOrExit } from './lifecycle.js';

const roleList = (v: string): Role[] => {
  const roles = v.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length || roles.length === 0) throw new InvalidArgumentError(`roles are a comma-separated list of ${ROLES.join(', ')} (got ${bad.join(', ') || 'none'})`);
  return roles as Role[];
};

interface Ctx {
  identity: IdentityService;
  audit: AuditLog;
  actor: string;
}

/**
 * `demarc user …` and `demarc token …` work on the state database directly: they are the
 * host operator's tools (first setup, a locked-out admin), audited as cli:<os user>. Through the
 * API the same user changes take a second admin's approval.
 */
async function withIdentity(configPath: string, run: (c: Ctx) => Promise<void> | void): Promise<void> {
  const config = loadOrExit(configPath);
  const db = openStateDb(config.state.path);
  try {
    const logger = createLogger();
    // The chain's key, as serve loads it (made here if this is the first command on a fresh install):
    // a row hashed with any other key breaks the chain at the next verification.
    const audit = new AuditLog(db, systemClock, loadAuditKey(config.audit, { logger, create: true }));
    const identity = new IdentityService({ db, clock: systemClock, logger, audit, config: config.auth });
    await run({ identity, audit, actor: `cli:${userInfo().username}` });
  } finally {
    db.close();
  }
}

/** A generated password, printed once: nobody types a new account's password into a shell history. */
async function newPassword(userId: string): Promise<{ shown: string; hash: string }> {
  for (;;) {
    const pw = new Secret(randomBytes(12).toString('base64url'));
    if (!passwordProblem(userId, pw)) return { shown: pw.reveal(), hash: await hashPassword(pw) };
  }
}

const iso = (t: number | null) => (t === null ? '-' : new Date(t).toISOString());

export function registerUserCommands(program: Command, defaultConfig: string): void {
  const user = program.command('user').description('accounts in the state database (list, add, passwd, roles, disable)');
  const opt = (c: Command) => c.option('-c, --config <file>', 'demarc.yaml', defaultConfig);

  opt(user.command('list')).action((o: { config: string }) =>
    withIdentity(o.config, ({ identity }) => {
      for (const u of identity.users.list()) {
        const flags = [u.disabledAt !== null ? 'disabled' : '', !u.hasPassword && u.source === 'local' ? 'no password' : ''].filter(Boolean).join(', ');
        process.stdout.write(`${u.id}\t${u.name}\t${u.roles.join(',')}\t${u.source}${flags ? `\t${flags}` : ''}\n`);
      }
    }),
  );

  opt(user.command('add <id>').requiredOption('--roles <list>', `comma-separated: ${ROLES.join(', ')}`, roleList).option('--name <name>', 'display name')).action(
    (id: string, o: { config: string; roles: Role[]; name?: string }) =>
      withIdentity(o.config, async ({ identity, audit, actor }) => {
        if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(id)) throw new Error('user id: letters, digits, _ . @ - (at most 64)');
        if (identity.users.get(id)) throw new Error(`user "${id}" exists already`);
        const pw = await newPassword(id);
        identity.users.add({ id, name: o.name ?? id, roles: o.roles, passwordHash: pw.hash });
        audit.record(actor, 'user.add', `user:${id}`, { roles: o.roles, via: 'cli' });
        process.stdout.write(`${id} added (${o.roles.join(', ')}); one-time password: ${pw.shown}\n`);
      }),
  );

  opt(user.command('passwd <id>').description('set a new generated password, printed once; ends the user\'s sessions')).action((id: string, o: { config: string }) =>
    withIdentity(o.config, async ({ identity, audit, actor }) => {
      if (!identity.users.get(id)) throw new Error(`no user "${id}"`);
      const pw = await newPassword(id);
      identity.users.setPassword(id, pw.hash);
      identity.sessions.revokeOwner({ kind: 'user', userId: id }, actor);
      audit.record(actor, 'user.password', `user:${id}`, { via: 'cli' });
      process.stdout.write(`${id}: new password ${pw.shown}\n`);
    }),
  );

  opt(user.command('roles <id> <roles>').description('replace the roles; ends the user\'s sessions')).action((id: string, roles: string, o: { config: string }) =>
    withIdentity(o.config, ({ identity, audit, actor }) => {
      const list = roleList(roles);
      if (!identity.users.setRoles(id, list)) throw new Error(`no user "${id}"`);
      identity.sessions.revokeOwner({ kind: 'user', userId: id }, actor);
      audit.record(actor, 'user.roles', `user:${id}`, { roles: list, via: 'cli' });
      process.stdout.write(`${id}: ${list.join(', ')}\n`);
    }),
  );

  opt(user.command('disable <id>').option('--enable', 'enable it again')).action((id: string, o: { config: string; enable?: boolean }) =>
    withIdentity(o.config, ({ identity, audit, actor }) => {
      if (!identity.users.setDisabled(id, !o.enable)) throw new Error(`no user "${id}"`);
      identity.sessions.revokeOwner({ kind: 'user', userId: id }, actor);
      audit.record(actor, o.enable ? 'user.enable' : 'user.disable', `user:${id}`, { via: 'cli' });
      process.stdout.write(`${id}: ${o.enable ? 'enabled' : 'disabled'}\n`);
    }),
  );

  const token = program.command('token').description('API and display tokens (create, list, revoke)');
  opt(
    token
      .command('create <name>')
      .option('--roles <list>', 'roles of an API token', roleList)
      .option('--display', 'a read-only display token for the wall')
      .option('--expires <iso>', 'expiry instant, e.g. 2027-01-01T00:00:00Z'),
  ).action((name: string, o: { config: string; roles?: Role[]; display?: boolean; expires?: string }) =>
    withIdentity(o.config, ({ identity, actor }) => {
      if (!o.display && !o.roles) throw new Error('give --roles for an API token, or --display for the wall');
      const expiresAt = o.expires ? Date.parse(o.expires) : null;
      if (expiresAt !== null && !(expiresAt > Date.now())) throw new Error(`--expires: ${o.expires} is not a future ISO-8601 instant`);
      const { token: t, value } = identity.createToken({ name, kind: o.display ? 'display' : 'api', roles: o.roles ?? [], expiresAt }, actor);
      process.stdout.write(`${t.id}\t${t.kind}\t${t.roles.join(',') || '-'}\texpires ${iso(t.expiresAt)}\n${value.reveal()}\n(shown once; demarc keeps only its hash${o.display ? '; the wall opens /wall#token=<value>' : ''})\n`);
    }),
  );
  opt(token.command('list')).action((o: { config: string }) =>
    withIdentity(o.config, ({ identity }) => {
      for (const t of identity.tokens.list())
        process.stdout.write(`${t.id}\t${t.name}\t${t.kind}\t${t.roles.join(',') || '-'}\texpires ${iso(t.expiresAt)}\tlast used ${iso(t.lastUsedAt)}${t.revokedAt !== null ? '\trevoked' : ''}\n`);
    }),
  );
  opt(token.command('revoke <id>')).action((id: string, o: { config: string }) =>
    withIdentity(o.config, ({ identity, actor }) => {
      const r = identity.revokeToken(id, actor);
      if (!r.ok) throw new Error(r.reason);
      process.stdout.write(`${id} revoked\n`);
    }),
  );
}
