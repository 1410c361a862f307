import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authConfig } from '../../config/auth-schema.js';
import { ManualClock } from '../../core/clock.js';
import { Secret } from '../../core/secret.js';
import { escapeDnValue, escapeFilterValue } from '../../identity/ldap-directory.js';
import { openStateDb } from '../../store/state-db.js';
import { newIdentity } from '../support/auth.js';
import { startSlapd, type Slapd } from '../support/slapd.js';

/** Directory login against a real slapd on loopback: bind as the user, groups → roles. */
const PORT = 24070;
const BASE = 'dc=demarc,dc=test';
const LDIF = `dn: ${BASE}
objectClass: dcObject
objectClass: organization
o: demarc
dc: demarc

dn: ou=people,${BASE}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${BASE}
objectClass: organizationalUnit
ou: groups

dn: uid=noc.liu,ou=people,${BASE}
objectClass: inetOrgPerson
uid: noc.liu
cn:: ${Buffer.from('刘工').toString('base64')}
sn: Liu
userPassword: liu-directory-pass

dn: uid=mgr.zhao,ou=people,${BASE}
objectClass: inetOrgPerson
uid: mgr.zhao
cn:: ${Buffer.from('赵主任').toString('base64')}
sn: Zhao
userPassword: zhao-directory-pass

dn: uid=temp.staff,ou=people,${BASE}
objectClass: inetOrgPerson
uid: temp.staff
cn: Temp
sn: Staff
userPassword: temp-directory-pass

dn: cn=noc-operators,ou=groups,${BASE}
objectClass: groupOfNames
cn: noc-operators
member: uid=noc.liu,ou=people,${BASE}
member: uid=mgr.zhao,ou=people,${BASE}

dn: cn=approvers,ou=groups,${BASE}
objectClass: groupOfNames
cn: approvers
member: uid=mgr.zhao,ou=people,${BASE}

dn: cn=canteen,ou=groups,${BASE}
objectClass: groupOfNames
cn: canteen
member: uid=temp.staff,ou=people,${BASE}
`;

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd(PORT, LDIF);
}, 30_000);
afterAll(async () => {
  await slapd?.stop();
});

function identityWithDirectory() {
  const audit: { actor: string; action: string; detail: Record<string, unknown> }[] = [];
  const config = authConfig({
    ldap: {
      url: slapd.url,
      userDnTemplate: `uid={username},ou=people,${BASE}`,
      groupSearchBase: `ou=groups,${BASE}`,
      groupRoles: { [`cn=noc-operators,ou=groups,${BASE}`]: ['operator'], [`CN=Approvers, OU=groups, ${BASE}`]: ['approver'] },
    },
  });
  const identity = newIdentity(openStateDb(':memory:'), new ManualClock(Date.parse('2026-03-01T00:00:00Z')), {
    audit: { record: (actor, action, _t, detail = {}) => audit.push({ actor, action, detail }) },
    config,
  });
  return { identity, audit };
}

describe('LDAP directory login', () => {
  it('binds as the user and maps groups to roles; the account is mirrored for sessions and audit', async () => {
    const { identity, audit } = identityWithDirectory();
    const liu = await identity.login('noc.liu', new Secret('liu-directory-pass'), '127.0.0.1');
    expect(liu).toMatchObject({ ok: true, value: { user: { id: 'noc.liu', name: '刘工', roles: ['operator'], source: 'ldap' } } });
    const zhao = await identity.login('mgr.zhao', new Secret('zhao-directory-pass'), '127.0.0.1');
    if (!zhao.ok) throw new Error(zhao.reason);
    expect([...zhao.value.user.roles].sort()).toEqual(['approver', 'operator']);
    expect(identity.fromSession(zhao.value.cookie.reveal())?.user.id).toBe('mgr.zhao');
    expect(audit.filter((a) => a.action === 'auth.login').map((a) => [a.actor, a.detail.outcome, a.detail.via])).toEqual([
      ['noc.liu', 'success', 'ldap'],
      ['mgr.zhao', 'success', 'ldap'],
    ]);
  });

  it('refuses a wrong password, an empty one (no anonymous bind), and a user whose groups map to no role', async () => {
    const { identity, audit } = identityWithDirectory();
    expect(await identity.login('noc.liu', new Secret('wrong'), '127.0.0.1')).toMatchObject({ ok: false, status: 401 });
    expect(await identity.login('noc.liu', new Secret(''), '127.0.0.1')).toMatchObject({ ok: false, status: 401 });
    expect(await identity.login('temp.staff', new Secret('temp-directory-pass'), '127.0.0.1')).toMatchObject({ ok: false, status: 401 });
    expect(await identity.login('nobody', new Secret('x'), '127.0.0.1')).toMatchObject({ ok: false, status: 401 });
    expect(audit.map((a) => a.detail.reason)).toEqual([
      expect.stringMatching(/directory refused the bind/),
      'empty password',
      'no directory group of this user maps to a demarc role',
      expect.stringMatching(/directory refused the bind/),
    ]);
    expect(identity.users.get('temp.staff')).toBeNull();
  });

  it('escapes the user name in DNs and filters', () => {
    expect(escapeDnValue('a,b=c+d')).toBe('a\\,b\\=c\\+d');
    expect(escapeFilterValue('x*)(uid=*')).toBe('x\\2a\\29\\28uid=\\2a');
  });
});
