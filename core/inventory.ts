/**
 * The leased-circuit inventory: what demarc watches. Held in the state db (sites.csv seeds it;
 * validated at the edge by config/inventory.ts, edited by inventory/inventory-edits.ts) and trusted everywhere after.
 */
export type SiteId = string;
export type CircuitId = string;

/** One SNMP agent: where it listens and which named credential profile opens it. */
export interface SnmpEndpoint {
  host: string;
  port: number;
  profile: string;
}

/**
 * The customer edge router's port facing the carrier: the responsibility boundary of
 * contract clause 3.2.6. Named by ifName (or ifDescr), never by ifIndex, because indexes
 * move after a reboot.
 */
export interface HandoffPort {
  device: SnmpEndpoint;
  ifName: string;
}

/** The circuit as it lands on the head-end router at the center. */
export interface HeadendPort {
  device: SnmpEndpoint;
  ifName: string;
}

/** The carrier's own device at the site, where the carrier grants read access. */
export interface CarrierCpe {
  device: SnmpEndpoint;
  /** The CPE's line-side port (towards the carrier network). */
  lineIfName: string | null;
  /** The CPE's port facing the customer's CE. */
  customerIfName: string | null;
}

/** The contract's dates and fees for a circuit (sites.csv optional columns); see inventory/circuit-register.ts. */
export interface ContractDates {
  orderDate: string | null;
  requiredActivationDate: string | null;
  terminationNoticeDate: string | null;
  serviceEndDate: string | null;
  termMonths: number | null;
  oneTimeFeeFen: number | null;
  monthlyFeeFen: number | null;
}

export interface Circuit {
  id: CircuitId;
  /** Nominal rate from the lease (70 Mbit/s): a maximum, not a promise (clause 1.8). */
  bandwidthMbps: number;
  /** Activation date (YYYY-MM-DD, Asia/Shanghai calendar day); the one-year term starts here. */
  activationDate: string;
  headend: HeadendPort;
  /** Carrier aggregation node / POP the circuit hangs off; sites sharing it fail together. */
  carrierGroup: string;
  /** Contract dates beyond activation, where the inventory has them. */
  contract?: ContractDates;
}

export interface Site {
  id: SiteId;
  name: string;
  nameEn: string | null;
  division: string;
  circuit: Circuit;
  /** Customer edge router, device side; reached in-band over the circuit itself. */
  ce: HandoffPort;
  /** Out-of-band path to the same CE (e.g. a 5G backup), when the site has one. */
  oob: SnmpEndpoint | null;
  cpe: CarrierCpe | null;
  /** Personal information (security annex 9.2): never sent to the wall or logged. */
  contact: { name: string; phone: string } | null;
  location: { latitude: number; longitude: number } | null;
}

export interface Inventory {
  sites: Site[];
}
