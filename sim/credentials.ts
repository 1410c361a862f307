import snmp from 'net-snmp';
import type { SnmpProfile, SnmpV3Profile } from '../core/snmp-profile.js';

/**
 * demarc profile names → net-snmp constants. The poller must use the same mapping as the
 * simulated agents. AES-256 has two key localisations in net-snmp (aes256b "Blumenthal",
 * net-snmp C's AES-256; aes256r "Reeder", Cisco's AES256C); they only differ when the
 * auth hash is shorter than 32 bytes (SHA-1), so SHA-256 + AES-256 works either way.
 * We use Blumenthal.
 */
export const AUTH_PROTOCOL = { SHA: snmp.AuthProtocols.sha, 'SHA-256': snmp.AuthProtocols.sha256 } as const;
export const PRIV_PROTOCOL = { 'AES-128': snmp.PrivProtocols.aes, 'AES-256': snmp.PrivProtocols.aes256b } as const;
const LEVEL = {
  noAuthNoPriv: snmp.SecurityLevel.noAuthNoPriv,
  authNoPriv: snmp.SecurityLevel.authNoPriv,
  authPriv: snmp.SecurityLevel.authPriv,
} as const;

/** The net-snmp user object (for createV3Session or an agent's authorizer) of a v3 profile. */
export function netSnmpUser(p: SnmpV3Profile): snmp.User {
  const user: snmp.User = { name: p.user, level: LEVEL[p.level] };
  if (p.level !== 'noAuthNoPriv' && p.authProtocol && p.authKey) {
    user.authProtocol = AUTH_PROTOCOL[p.authProtocol];
    user.authKey = p.authKey.reveal();
  }
  if (p.level === 'authPriv' && p.privProtocol && p.privKey) {
    user.privProtocol = PRIV_PROTOCOL[p.privProtocol];
    user.privKey = p.privKey.reveal();
  }
  return user;
}

export interface AgentCredentials {
  communities: string[];
  users: snmp.User[];
}

/**
 * What one agent accepts: exactly the credentials of the profiles its devices are polled
 * with. Two profiles that give one v3 user name different keys cannot both be honoured by
 * one agent: that is a configuration error, named here.
 */
export function credentialsFor(profiles: readonly SnmpProfile[], where: string): AgentCredentials {
  const communities = new Set<string>();
  const users = new Map<string, { user: snmp.User; profile: string }>();
  for (const p of profiles) {
    if (p.version !== '3') {
      communities.add(p.community.reveal());
      continue;
    }
    const user = netSnmpUser(p);
    const prior = users.get(user.name);
    if (prior && JSON.stringify(prior.user) !== JSON.stringify(user))
      throw new Error(`${where}: profiles "${prior.profile}" and "${p.name}" define SNMPv3 user "${user.name}" differently; one agent cannot accept both`);
    users.set(user.name, { user, profile: p.name });
  }
  return { communities: [...communities], users: [...users.values()].map((u) => u.user) };
}
