/**
 * Vendor and model from sysObjectID, by numeric OID (no MIB files at run time). Enterprise
 * numbers are IANA's Private Enterprise Numbers; a product OID names a model only where the
 * table lists it. An OID under no known enterprise keeps its raw value: never a guess.
 */

export interface VendorIdentity {
  /** Vendor name, null when the enterprise is not in the table. */
  vendor: string | null;
  /** Model named by the product OID; null when only the enterprise is known. */
  model: string | null;
  /** The sysObjectID as the agent gave it. */
  sysObjectId: string;
  enterprise: number | null;
}

const ENTERPRISES = '1.3.6.1.4.1.';

/** IANA Private Enterprise Numbers of the vendors met on these networks. */
export const ENTERPRISE_VENDORS: Readonly<Record<number, string>> = {
  9: 'Cisco',
  2011: 'Huawei',
  2636: 'Juniper',
  3902: 'ZTE',
  4881: 'Ruijie',
  8072: 'net-snmp',
  14988: 'MikroTik',
  25506: 'H3C',
};

/** Product OIDs (sysObjectID values) with the model they name, from the vendors' product MIBs. */
export const PRODUCT_MODELS: Readonly<Record<string, string>> = {
  // CISCO-PRODUCTS-MIB catalyst37xxStack (Debian snmpsim's cisco_16_switch recording).
  '1.3.6.1.4.1.9.1.516': 'Catalyst 3750 stack',
  // HUAWEI-MIB products: NE40E-X8 (the head-end routers) and AR2220 (the demo CEs).
  '1.3.6.1.4.1.2011.2.62.2.9': 'NE40E-X8',
  '1.3.6.1.4.1.2011.2.224.279': 'AR2220',
  // NET-SNMP-TC netSnmpAgentOIDs: the agent's platform.
  '1.3.6.1.4.1.8072.3.2.3': 'net-snmp agent (Solaris)',
  '1.3.6.1.4.1.8072.3.2.8': 'net-snmp agent (FreeBSD)',
  '1.3.6.1.4.1.8072.3.2.10': 'net-snmp agent (Linux)',
  '1.3.6.1.4.1.8072.3.2.13': 'net-snmp agent (Windows)',
  // MikroTik RouterOS answers its enterprise's .1 for every RouterBOARD.
  '1.3.6.1.4.1.14988.1': 'RouterOS device',
};

export function identifyVendor(sysObjectId: string): VendorIdentity {
  const oid = sysObjectId.replace(/^\./, '');
  if (!oid.startsWith(ENTERPRISES)) return { vendor: null, model: null, sysObjectId, enterprise: null };
  const enterprise = Number(oid.slice(ENTERPRISES.length).split('.', 1)[0]);
  if (!Number.isInteger(enterprise)) return { vendor: null, model: null, sysObjectId, enterprise: null };
  return { vendor: ENTERPRISE_VENDORS[enterprise] ?? null, model: PRODUCT_MODELS[oid] ?? null, sysObjectId, enterprise };
}
