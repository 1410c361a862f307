import { isIP } from 'node:net';
import { parse } from 'csv-parse/sync';
import type { Inventory, Site, SnmpEndpoint } from '../core/inventory.js';
import type { ConfigProblem } from './config-error.js';
import { CONTRACT_COLUMNS, contractColumns } from './contract-columns.js';

export const REQUIRED_COLUMNS = [
  'site_id', 'name', 'division', 'circuit_id', 'bandwidth_mbps', 'activation_date',
  'ce_host', 'ce_port', 'ce_snmp_profile', 'ce_wan_if',
  'headend_host', 'headend_port', 'headend_if', 'carrier_group',
] as const;

export const OPTIONAL_COLUMNS = [
  'name_en', 'headend_snmp_profile',
  'oob_host', 'oob_port', 'oob_snmp_profile',
  'cpe_host', 'cpe_port', 'cpe_snmp_profile', 'cpe_line_if', 'cpe_customer_if',
  'contact_name', 'contact_phone', 'latitude', 'longitude',
  ...CONTRACT_COLUMNS,
] as const;

const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isValidHost(h: string): boolean {
  return isIP(h) !== 0 || (HOSTNAME.test(h) && !/^[0-9.]+$/.test(h));
}

export function isValidDate(d: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return false;
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, da));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === da;
}

/** One inventory row as the CSV/XLSX carries it: column → text (absent columns are empty). */
export type SiteRow = Record<string, string>;
/** A row with where it came from: its line in a CSV, its row in a sheet, its position in an edit. */
export interface NumberedRow {
  row: number;
  values: SiteRow;
}

/**
 * Checks a table's header (required, unknown and repeated columns) and turns its records into
 * rows; a record with the wrong number of fields is a problem on its row.
 */
export function rowsOfTable(header: readonly string[] | undefined, records: readonly { row: number; cells: readonly string[] }[], file: string): { rows: NumberedRow[] | null; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (row: number | null, where: string, reason: string) => problems.push({ file, row, where, reason });
  if (!header) {
    problem(1, 'header', 'the file is empty: expected a header row');
    return { rows: null, problems };
  }
  for (const col of REQUIRED_COLUMNS) if (!header.includes(col)) problem(1, col, 'missing required column');
  header.forEach((col, i) => {
    if (!KNOWN.has(col)) problem(1, col || `#${i + 1}`, 'unknown column');
    else if (header.indexOf(col) !== i) problem(1, col, 'column appears twice');
  });
  if (problems.length) return { rows: null, problems };
  const rows: NumberedRow[] = [];
  for (const { row, cells } of records) {
    if (cells.length !== header.length) {
      problem(row, '*', `has ${cells.length} fields, the header has ${header.length}`);
      continue;
    }
    rows.push({ row, values: Object.fromEntries(header.map((col, i) => [col, cells[i] ?? ''])) });
  }
  return { rows, problems };
}

/** Reads the inventory CSV into rows (a UTF-8 BOM, as Excel writes it, is dropped). */
export function readCsvRows(text: string, file: string): { rows: NumberedRow[] | null; problems: ConfigProblem[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as never;
  } catch (e) {
    return { rows: null, problems: [{ file, row: null, where: 'csv', reason: `not readable as CSV: ${(e as Error).message}` }] };
  }
  const header = records.shift()?.record;
  return rowsOfTable(header, records.map((r) => ({ row: r.info.lines, cells: r.record })), file);
}

/**
 * Parses and validates the inventory CSV. Every problem is reported with its row and column;
 * the inventory is returned only when there are none, so nothing starts half-configured.
 */
export function parseInventoryCsv(
  text: string,
  file: string,
  knownProfiles: ReadonlySet<string>,
): { inventory: Inventory | null; problems: ConfigProblem[] } {
  const read = readCsvRows(text, file);
  if (!read.rows) return { inventory: null, problems: read.problems };
  const checked = validateSiteRows(read.rows, file, knownProfiles);
  return { inventory: read.problems.length ? null : checked.inventory, problems: [...read.problems, ...checked.problems] };
}

/**
 * The one validation of inventory rows: sites.csv at start-up, `demarc check-config`, an edit
 * proposed through the API and an imported CSV/XLSX all pass through it.
 */
export function validateSiteRows(
  records: readonly NumberedRow[],
  file: string,
  knownProfiles: ReadonlySet<string>,
): { inventory: Inventory | null; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (row: number | null, where: string, reason: string) => problems.push({ file, row, where, reason });
  const sites: Site[] = [];
  const siteIds = new Map<string, number>();
  const circuitIds = new Map<string, number>();

  for (const { row, values } of records) {
    const get = (col: string): string => (values[col] ?? '').trim();
    const before = problems.length;

    const required = (col: string): string => {
      const v = get(col);
      if (!v) problem(row, col, 'is empty');
      return v;
    };
    const endpoint = (prefix: string, profileCol: string, fallbackProfile: string): SnmpEndpoint | null => {
      const host = get(`${prefix}_host`);
      const portText = get(`${prefix}_port`);
      if (!host && !portText) return null;
      if (!host) problem(row, `${prefix}_host`, `is empty but ${prefix}_port is set`);
      else if (!isValidHost(host)) problem(row, `${prefix}_host`, `"${host}" is not an IP address or host name`);
      const port = Number(portText || '161');
      if (!Number.isInteger(port) || port < 1 || port > 65535) problem(row, `${prefix}_port`, `"${portText}" is not a port (1-65535)`);
      const profile = get(profileCol) || fallbackProfile;
      if (profile && !knownProfiles.has(profile)) problem(row, profileCol, `unknown SNMP profile "${profile}" (defined: ${[...knownProfiles].join(', ') || 'none'})`);
      return { host, port, profile };
    };

    const siteId = required('site_id');
    const circuitId = required('circuit_id');
    const name = required('name');
    const division = required('division');
    const carrierGroup = required('carrier_group');
    const ceIf = required('ce_wan_if');
    const headendIf = required('headend_if');
    if (siteId) {
      if (siteIds.has(siteId)) problem(row, 'site_id', `duplicate site_id "${siteId}" (first on row ${siteIds.get(siteId)})`);
      else siteIds.set(siteId, row);
    }
    if (circuitId) {
      if (circuitIds.has(circuitId)) problem(row, 'circuit_id', `duplicate circuit_id "${circuitId}" (first on row ${circuitIds.get(circuitId)})`);
      else circuitIds.set(circuitId, row);
    }
    const bwText = get('bandwidth_mbps');
    const bandwidthMbps = Number(bwText);
    if (!bwText || !Number.isFinite(bandwidthMbps) || bandwidthMbps <= 0) problem(row, 'bandwidth_mbps', `"${bwText}" is not a positive number`);
    const activationDate = get('activation_date');
    if (!isValidDate(activationDate)) problem(row, 'activation_date', `"${activationDate}" is not a date (YYYY-MM-DD)`);

    if (!get('ce_host')) problem(row, 'ce_host', 'is empty');
    if (!get('ce_snmp_profile')) problem(row, 'ce_snmp_profile', 'is empty');
    if (!get('headend_host')) problem(row, 'headend_host', 'is empty');
    const ceProfile = get('ce_snmp_profile');
    const ce = endpoint('ce', 'ce_snmp_profile', '');
    const headend = endpoint('headend', 'headend_snmp_profile', ceProfile);
    const oob = endpoint('oob', 'oob_snmp_profile', ceProfile);
    const cpeDevice = endpoint('cpe', 'cpe_snmp_profile', '');
    if (cpeDevice && !get('cpe_snmp_profile')) problem(row, 'cpe_snmp_profile', 'is empty but cpe_host is set');

    let location: Site['location'] = null;
    const lat = get('latitude');
    const lon = get('longitude');
    if (lat || lon) {
      const latitude = Number(lat);
      const longitude = Number(lon);
      if (!lat || !Number.isFinite(latitude) || Math.abs(latitude) > 90) problem(row, 'latitude', `"${lat}" is not a latitude`);
      if (!lon || !Number.isFinite(longitude) || Math.abs(longitude) > 180) problem(row, 'longitude', `"${lon}" is not a longitude`);
      location = { latitude, longitude };
    }
    const contactName = get('contact_name');
    const contactPhone = get('contact_phone');
    if (contactPhone && !/^[0-9+\-() ]{3,32}$/.test(contactPhone)) problem(row, 'contact_phone', 'is not a phone number');

    const contract = contractColumns(get, isValidDate, (col, reason) => problem(row, col, reason));

    if (problems.length !== before || !ce || !headend) continue;
    sites.push({
      id: siteId,
      name,
      nameEn: get('name_en') || null,
      division,
      circuit: {
        id: circuitId,
        bandwidthMbps,
        activationDate,
        headend: { device: headend, ifName: headendIf },
        carrierGroup,
        ...(contract ? { contract } : {}),
      },
      ce: { device: ce, ifName: ceIf },
      oob,
      cpe: cpeDevice ? { device: cpeDevice, lineIfName: get('cpe_line_if') || null, customerIfName: get('cpe_customer_if') || null } : null,
      contact: contactName || contactPhone ? { name: contactName, phone: contactPhone } : null,
      location,
    });
  }
  if (records.length === 0) problem(null, 'rows', 'the inventory has no sites');
  return { inventory: problems.length ? null : { sites }, problems };
}
