import { isIP } from 'node:net';
import type { Site } from '../core/inventory.js';
import type { SnmpProfile } from '../core/snmp-profile.js';

/** True for 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * What check-config warns about: an SNMPv1/v2c profile sends its community in clear text, so
 * one that addresses anything beyond loopback exposes that credential on the wire. SNMPv3
 * authPriv is the production default; a carrier CPE that only speaks v2c is a decision to
 * make knowingly, so this is a warning, not an error.
 */
export function communityProfileWarnings(sites: readonly Site[], profiles: ReadonlyMap<string, SnmpProfile>): string[] {
  const hostsByProfile = new Map<string, Set<string>>();
  for (const s of sites) {
    const endpoints = [s.ce.device, s.circuit.headend.device, s.oob, s.cpe?.device].filter((e) => e != null);
    for (const e of endpoints) {
      const p = profiles.get(e.profile);
      if (!p || p.version === '3' || isLoopback(e.host)) continue;
      const set = hostsByProfile.get(p.name) ?? new Set<string>();
      set.add(e.host);
      hostsByProfile.set(p.name, set);
    }
  }
  return [...hostsByProfile].map(([name, hosts]) => {
    const list = [...hosts];
    const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? `, … (${list.length} in all)` : '');
    return `SNMP profile ${name} (v${profiles.get(name)!.version}) sends its community in clear text to ${list.length} non-loopback host(s): ${shown}; use an SNMPv3 authPriv profile`;
  });
}
