import type { Secret } from './secret.js';

export interface SnmpTiming {
  timeoutMs: number;
  retries: number;
}

export interface SnmpCommunityProfile extends SnmpTiming {
  name: string;
  version: '1' | '2c';
  community: Secret;
}

export type SnmpV3Level = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

export interface SnmpV3Profile extends SnmpTiming {
  name: string;
  version: '3';
  user: string;
  level: SnmpV3Level;
  authProtocol: 'SHA' | 'SHA-256' | null;
  authKey: Secret | null;
  privProtocol: 'AES-128' | 'AES-256' | null;
  privKey: Secret | null;
}

/** A named SNMP credential set from demarc.yaml (`snmp.profiles.<name>`). */
export type SnmpProfile = SnmpCommunityProfile | SnmpV3Profile;
