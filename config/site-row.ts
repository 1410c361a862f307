import type { Site, SnmpEndpoint } from '../core/inventory.js';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS, type SiteRow } from './inventory.js';

/** Every column of the inventory format, in the order sites.csv and the exports write them. */
export const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '' : String(fen / 100));
const num = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
const endpoint = (prefix: string, e: SnmpEndpoint | null): SiteRow => (e ? { [`${prefix}_host`]: e.host, [`${prefix}_port`]: String(e.port) } : {});

/**
 * A validated site back in the inventory's row format: the export, and the normal form the
 * state db stores and diffs compare (so "70" and "70.0" are the same value).
 * validateSiteRows(siteToRow(s)) gives s again (test/inventory/site-edits.test.ts).
 */
export function siteToRow(s: Site): SiteRow {
  const c = s.circuit.contract;
  const row: SiteRow = {
    site_id: s.id,
    name: s.name,
    division: s.division,
    circuit_id: s.circuit.id,
    bandwidth_mbps: String(s.circuit.bandwidthMbps),
    activation_date: s.circuit.activationDate,
    ...endpoint('ce', s.ce.device),
    ce_snmp_profile: s.ce.device.profile,
    ce_wan_if: s.ce.ifName,
    ...endpoint('headend', s.circuit.headend.device),
    headend_if: s.circuit.headend.ifName,
    carrier_group: s.circuit.carrierGroup,
    name_en: s.nameEn ?? '',
    // The CE's profile is the default for the head-end and the OOB path: written only when it differs.
    headend_snmp_profile: s.circuit.headend.device.profile === s.ce.device.profile ? '' : s.circuit.headend.device.profile,
    ...endpoint('oob', s.oob),
    oob_snmp_profile: s.oob && s.oob.profile !== s.ce.device.profile ? s.oob.profile : '',
    ...endpoint('cpe', s.cpe?.device ?? null),
    cpe_snmp_profile: s.cpe?.device.profile ?? '',
    cpe_line_if: s.cpe?.lineIfName ?? '',
    cpe_customer_if: s.cpe?.customerIfName ?? '',
    contact_name: s.contact?.name ?? '',
    contact_phone: s.contact?.phone ?? '',
    latitude: num(s.location?.latitude),
    longitude: num(s.location?.longitude),
    order_date: c?.orderDate ?? '',
    required_activation_date: c?.requiredActivationDate ?? '',
    termination_notice_date: c?.terminationNoticeDate ?? '',
    service_end_date: c?.serviceEndDate ?? '',
    term_months: num(c?.termMonths),
    one_time_fee_yuan: yuan(c?.oneTimeFeeFen),
    monthly_fee_yuan: yuan(c?.monthlyFeeFen),
  };
  return Object.fromEntries(ALL_COLUMNS.map((col) => [col, row[col] ?? '']));
}
