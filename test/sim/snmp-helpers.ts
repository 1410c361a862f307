import snmp from 'net-snmp';
import type { DemarcConfig } from '../../config/load.js';
import type { SnmpEndpoint, Site } from '../../core/inventory.js';
import type { SnmpProfile } from '../../core/snmp-profile.js';
import { netSnmpUser } from '../../sim/credentials.js';

/** A real net-snmp manager for the simulator tests: sessions, GETs, walks over UDP. */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Manager {
  session: snmp.Session;
  /** Errors the session emitted outside a request (e.g. an unparseable reply). */
  errors: Error[];
  close(): void;
}

export function manager(profile: SnmpProfile, endpoint: { host: string; port: number }, opts: { timeout?: number; retries?: number } = {}): Manager {
  const common = { port: endpoint.port, timeout: opts.timeout ?? 600, retries: opts.retries ?? 0 };
  const session =
    profile.version === '3'
      ? snmp.createV3Session(endpoint.host, netSnmpUser(profile), { ...common, version: snmp.Version3 })
      : snmp.createSession(endpoint.host, profile.community.reveal(), { ...common, version: profile.version === '1' ? snmp.Version1 : snmp.Version2c });
  const errors: Error[] = [];
  session.on('error', (e: Error) => errors.push(e));
  return { session, errors, close: () => session.close() };
}

export function managerFor(config: DemarcConfig, endpoint: SnmpEndpoint, opts: { timeout?: number; retries?: number } = {}): Manager {
  return manager(config.profiles.get(endpoint.profile)!, endpoint, opts);
}

export function site(config: DemarcConfig, id: string): Site {
  const s = config.inventory.sites.find((x) => x.id === id);
  if (!s) throw new Error(`test fleet has no site ${id}`);
  return s;
}

export function get(m: Manager, oids: string[]): Promise<snmp.Varbind[]> {
  return new Promise((resolve, reject) => m.session.get(oids, (e, vbs) => (e ? reject(e) : resolve(vbs as snmp.Varbind[]))));
}

/** GET that reports failure as a value: `null` on timeout/error. */
export async function tryGet(m: Manager, oids: string[]): Promise<snmp.Varbind[] | null> {
  try {
    return await get(m, oids);
  } catch {
    return null;
  }
}

/** Every varbind under `oid` (a subtree walk: stops at the end of the subtree). */
export function walk(m: Manager, oid: string): Promise<snmp.Varbind[]> {
  return new Promise((resolve, reject) => {
    const out: snmp.Varbind[] = [];
    m.session.subtree(oid, 20, (vbs: snmp.Varbind[]) => void out.push(...vbs), (e: Error | null) => (e ? reject(e) : resolve(out)));
  });
}

export function bigintOf(vb: snmp.Varbind | undefined): bigint {
  if (!vb) throw new Error('no varbind');
  if (Buffer.isBuffer(vb.value)) {
    let v = 0n;
    for (const b of vb.value) v = (v << 8n) | BigInt(b);
    return v;
  }
  return BigInt(vb.value as number);
}

export const numberOf = (vb: snmp.Varbind | undefined): number => Number(bigintOf(vb));

export const IF = {
  descr: (i: number) => `1.3.6.1.2.1.2.2.1.2.${i}`,
  admin: (i: number) => `1.3.6.1.2.1.2.2.1.7.${i}`,
  oper: (i: number) => `1.3.6.1.2.1.2.2.1.8.${i}`,
  lastChange: (i: number) => `1.3.6.1.2.1.2.2.1.9.${i}`,
  inOctets: (i: number) => `1.3.6.1.2.1.2.2.1.10.${i}`,
  outOctets: (i: number) => `1.3.6.1.2.1.2.2.1.16.${i}`,
  inErrors: (i: number) => `1.3.6.1.2.1.2.2.1.14.${i}`,
  name: (i: number) => `1.3.6.1.2.1.31.1.1.1.1.${i}`,
  hcIn: (i: number) => `1.3.6.1.2.1.31.1.1.1.6.${i}`,
  hcOut: (i: number) => `1.3.6.1.2.1.31.1.1.1.10.${i}`,
  discontinuity: (i: number) => `1.3.6.1.2.1.31.1.1.1.19.${i}`,
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  hrSystemUptime: '1.3.6.1.2.1.25.1.1.0',
};

/** ifIndex of the interface named `name`, by walking ifXTable ifName (as a poller does). */
export async function ifIndexByName(m: Manager, name: string): Promise<number> {
  const names = await walk(m, '1.3.6.1.2.1.31.1.1.1.1');
  const hit = names.find((vb) => String(vb.value) === name);
  if (!hit) throw new Error(`no interface named ${name}: ${names.map((v) => String(v.value)).join(', ')}`);
  return Number(hit.oid.split('.').pop());
}

/** Polls until `check` holds or the time is up; returns the last value. */
export async function until<T>(probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 5000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await probe();
  while (!check(v) && Date.now() < end) {
    await sleep(everyMs);
    v = await probe();
  }
  return v;
}

/** One GET through a fresh session, closed afterwards; null when the agent does not answer in `timeout` ms. */
export async function probeOnce(config: DemarcConfig, endpoint: SnmpEndpoint, oids: string[], timeout = 300): Promise<snmp.Varbind[] | null> {
  const m = managerFor(config, endpoint, { timeout });
  try {
    return await tryGet(m, oids);
  } finally {
    m.close();
  }
}

/** The ifIndex of a named interface, through a fresh session closed afterwards. */
export async function ifIndexOnce(config: DemarcConfig, endpoint: SnmpEndpoint, name: string): Promise<number> {
  const m = managerFor(config, endpoint);
  try {
    return await ifIndexByName(m, name);
  } finally {
    m.close();
  }
}
