import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import snmp from 'net-snmp';
import type { SnmpEndpoint } from '../core/inventory.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { adoptSession, type SharedUdpTransport } from './shared-udp.js';

/** A decoded varbind: numbers for Integer/Gauge/TimeTicks, bigint for counters, null for noSuch*. */
export interface SnmpValue {
  oid: string;
  value: number | bigint | string | null;
  /** noSuchObject / noSuchInstance / endOfMibView: the agent does not have it (a per-varbind fact, not an error). */
  missing: boolean;
}

/** Why a request failed, in words an operator can act on. */
export type SnmpFailure = 'timeout' | 'malformed-reply' | 'auth-failed' | 'not-in-time-window' | 'agent-error' | 'socket-error';

export class SnmpRequestError extends Error {
  constructor(
    readonly failure: SnmpFailure,
    readonly target: string,
    message: string,
  ) {
    super(`${target}: ${failure}: ${message}`);
    this.name = 'SnmpRequestError';
  }
}

/**
 * The four things demarc asks of an SNMP agent (after snmp_exporter's scraper interface).
 * Everything above this layer is independent of the SNMP library.
 */
export interface SnmpScraper {
  readonly target: string;
  get(oids: readonly string[]): Promise<SnmpValue[]>;
  walk(subtreeOid: string, opts?: WalkOptions): Promise<SnmpValue[]>;
  close(): void;
}

export interface WalkOptions {
  /** GETBULK max-repetitions (SNMPv2c/v3); default 20. Large tables walk in fewer round trips with more. */
  maxRepetitions?: number;
  /** OCTET STRINGs as colon-separated hex (ifPhysAddress), not UTF-8 text. */
  octetsAsHex?: boolean;
}

const T = snmp.ObjectType;

export function decodeVarbind(vb: snmp.Varbind): SnmpValue {
  switch (vb.type) {
    case T.NoSuchObject:
    case T.NoSuchInstance:
    case T.EndOfMibView:
      return { oid: vb.oid, value: null, missing: true };
    case T.Counter64: {
      // net-snmp hands over the BER content bytes: 1 to 9 of them (a leading 0 keeps the value positive).
      const buf = vb.value as Buffer;
      let v = 0n;
      if (buf.length === 8) v = buf.readBigUInt64BE(0);
      else if (buf.length === 9 && buf[0] === 0) v = buf.readBigUInt64BE(1);
      else for (const byte of buf) v = (v << 8n) | BigInt(byte);
      return { oid: vb.oid, value: v, missing: false };
    }
    case T.Counter32:
      return { oid: vb.oid, value: BigInt(vb.value as number), missing: false };
    case T.OctetString:
      return { oid: vb.oid, value: (vb.value as Buffer).toString('utf8'), missing: false };
    case T.Null:
      return { oid: vb.oid, value: null, missing: true };
    default:
      return { oid: vb.oid, value: typeof vb.value === 'number' ? vb.value : String(vb.value), missing: false };
  }
}

/** net-snmp's ResponseInvalidCode.ENotInTimeWindow; missing from @types/net-snmp 3.23. */
const E_NOT_IN_TIME_WINDOW = 14;

function classify(err: Error & { code?: number }): SnmpFailure {
  const name = err.name;
  if (name === 'RequestTimedOutError') return 'timeout';
  if (name === 'ResponseInvalidError') {
    if (err.code === E_NOT_IN_TIME_WINDOW) return 'not-in-time-window';
    if (/auth|digest|decrypt|usm/i.test(err.message)) return 'auth-failed';
    return 'malformed-reply';
  }
  if (name === 'RequestFailedError') return 'agent-error';
  return 'socket-error';
}

/**
 * demarc's own snmpEngineID, one per process as RFC 3411 has it (one SNMP entity, one engine),
 * in net-snmp's format: 0x80, enterprise 0x00B983, 0x80, 12 random bytes. Left to itself net-snmp
 * draws one per session; a manager's engine id is sent only in the traps and informs a session
 * itself originates (demarc's never do: an SNMPv3 request carries the agent's engine id), and
 * 100,000 sessions' worth of crypto.randomBytes and 17-byte buffers cost both time and memory.
 */
const LOCAL_ENGINE_ID = Buffer.concat([Buffer.from('8000B98380', 'hex'), randomBytes(12)]);

function timing(profile: SnmpProfile, host: string, port: number, shared: SharedUdpTransport | null) {
  return {
    port, retries: profile.retries, timeout: profile.timeoutMs, backoff: 1, transport: isIP(host) === 6 ? ('udp6' as const) : ('udp4' as const), idBitsSize: 32,
    engineID: LOCAL_ENGINE_ID,
    // net-snmp's hook for its socket (missing from @types/net-snmp): the pool's shared sockets.
    ...(shared ? { dgramModule: shared.dgramModule } : {}),
  };
}

const AUTH = { SHA: snmp.AuthProtocols.sha, 'SHA-256': snmp.AuthProtocols.sha256 } as const;
// AES-256 with Blumenthal key extension, as net-snmp's own agent (snmpd) implements it.
const PRIV = { 'AES-128': snmp.PrivProtocols.aes, 'AES-256': snmp.PrivProtocols.aes256b } as const;
const LEVEL = { noAuthNoPriv: snmp.SecurityLevel.noAuthNoPriv, authNoPriv: snmp.SecurityLevel.authNoPriv, authPriv: snmp.SecurityLevel.authPriv } as const;

/**
 * Opens one net-snmp session for an endpoint with the credentials of its profile: on the
 * `shared` sockets (see shared-udp.ts), or with a socket of its own when null.
 */
export function openScraper(endpoint: SnmpEndpoint, profile: SnmpProfile, onSocketError: (e: Error) => void, shared: SharedUdpTransport | null = null): SnmpScraper {
  const target = `${endpoint.host}:${endpoint.port}`;
  const session =
    profile.version === '3'
      ? snmp.createV3Session(endpoint.host, {
          name: profile.user,
          level: LEVEL[profile.level],
          ...(profile.authProtocol && profile.authKey ? { authProtocol: AUTH[profile.authProtocol], authKey: profile.authKey.reveal() } : {}),
          ...(profile.privProtocol && profile.privKey ? { privProtocol: PRIV[profile.privProtocol], privKey: profile.privKey.reveal() } : {}),
        }, { ...timing(profile, endpoint.host, endpoint.port, shared), version: snmp.Version3 })
      : snmp.createSession(endpoint.host, profile.community.reveal(), {
          ...timing(profile, endpoint.host, endpoint.port, shared),
          version: profile.version === '1' ? snmp.Version1 : snmp.Version2c,
        });
  // A reply that does not decode is emitted as 'error' on the session; without a listener it
  // would crash the process. The request it belonged to then times out on its own.
  session.on('error', onSocketError);
  if (shared) adoptSession(session, shared);

  const fail = (err: Error) => new SnmpRequestError(classify(err), target, err.message);
  return {
    target,
    get(oids) {
      return new Promise((resolve, reject) => {
        session.get([...oids], (err, varbinds) => {
          if (err) reject(fail(err));
          else resolve((varbinds ?? []).map(decodeVarbind));
        });
      });
    },
    walk(subtreeOid, opts) {
      return new Promise((resolve, reject) => {
        const out: SnmpValue[] = [];
        const hex = opts?.octetsAsHex === true;
        const feed = (varbinds: snmp.Varbind[]) => {
          for (const vb of varbinds) {
            if (snmp.isVarbindError(vb)) continue;
            if (hex && vb.type === T.OctetString) out.push({ oid: vb.oid, value: [...(vb.value as Buffer)].map((b) => b.toString(16).padStart(2, '0')).join(':'), missing: false });
            else out.push(decodeVarbind(vb));
          }
        };
        const done = (err: Error | null) => (err ? reject(fail(err)) : resolve(out));
        if (profile.version === '1') session.walk(subtreeOid, feed, done);
        else session.subtree(subtreeOid, opts?.maxRepetitions ?? 20, feed, done);
      });
    },
    close() {
      try {
        session.close();
      } catch {
        // already closed
      }
    },
  };
}
