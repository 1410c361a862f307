import type { Site } from '../core/inventory.js';
import type { TrapEvent, TrapKind } from '../core/trap.js';

const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
const STANDARD: Record<string, TrapKind> = {
  '1.3.6.1.6.3.1.1.5.1': 'coldStart',
  '1.3.6.1.6.3.1.1.5.2': 'warmStart',
  '1.3.6.1.6.3.1.1.5.3': 'linkDown',
  '1.3.6.1.6.3.1.1.5.4': 'linkUp',
};
/** SNMPv1 generic-trap numbers (RFC 1157). */
const V1_GENERIC: Record<number, TrapKind> = { 0: 'coldStart', 1: 'warmStart', 2: 'linkDown', 3: 'linkUp' };
const IF_INDEX_PREFIX = '1.3.6.1.2.1.2.2.1.1.';
const IF_DESCR_PREFIX = '1.3.6.1.2.1.2.2.1.2.';
const IF_NAME_PREFIX = '1.3.6.1.2.1.31.1.1.1.1.';

export interface TrapPdu {
  /** 164 = SNMPv1 Trap-PDU; otherwise v2c/v3 TrapV2 or Inform. */
  type: number;
  enterprise?: string;
  agentAddr?: string;
  generic?: number;
  specific?: number;
  varbinds: { oid: string; value: unknown }[];
}

export interface ClassifiedTrap {
  kind: TrapKind;
  /** The interface it names: ifName/ifDescr when sent, else `ifIndex N`. */
  ifName: string | null;
}

/** Which notification this is, or null for one demarc does not act on. Pure. */
export function classifyTrap(pdu: TrapPdu, dyingGaspOids: readonly string[]): ClassifiedTrap | null {
  let kind: TrapKind | undefined;
  if (pdu.type === 164) {
    kind = pdu.generic === 6 ? (dyingGaspOids.includes(`${pdu.enterprise}.0.${pdu.specific}`) || dyingGaspOids.includes(`${pdu.enterprise}.${pdu.specific}`) ? 'dyingGasp' : undefined) : V1_GENERIC[pdu.generic ?? -1];
  } else {
    const trapOid = pdu.varbinds.find((v) => v.oid === SNMP_TRAP_OID)?.value;
    if (typeof trapOid === 'string') kind = STANDARD[trapOid] ?? (dyingGaspOids.includes(trapOid) ? 'dyingGasp' : undefined);
  }
  if (!kind) return null;
  const text = (prefix: string) => {
    const v = pdu.varbinds.find((x) => x.oid.startsWith(prefix))?.value;
    return Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : null;
  };
  const ifIndex = pdu.varbinds.find((x) => x.oid.startsWith(IF_INDEX_PREFIX))?.value;
  const ifName = text(IF_NAME_PREFIX) ?? text(IF_DESCR_PREFIX) ?? (typeof ifIndex === 'number' ? `ifIndex ${ifIndex}` : null);
  return { kind, ifName };
}

/**
 * Maps a sender address to the site it belongs to. A trap's source address can be any of a
 * router's interfaces; SNMPv1 also carries agent-addr, which is tried too.
 */
export class TrapSenders {
  private readonly byAddress = new Map<string, { siteId: string; from: TrapEvent['from'] }>();

  constructor(sites: readonly Site[]) {
    for (const s of sites) {
      this.byAddress.set(s.ce.device.host, { siteId: s.id, from: 'ce' });
      if (s.oob) this.byAddress.set(s.oob.host, { siteId: s.id, from: 'oob' });
      if (s.cpe) this.byAddress.set(s.cpe.device.host, { siteId: s.id, from: 'cpe' });
    }
  }

  lookup(sourceAddress: string, agentAddr?: string): { siteId: string; from: TrapEvent['from'] } | undefined {
    const plain = (a: string) => a.replace(/^::ffff:/, '');
    return this.byAddress.get(plain(sourceAddress)) ?? (agentAddr ? this.byAddress.get(plain(agentAddr)) : undefined);
  }
}
