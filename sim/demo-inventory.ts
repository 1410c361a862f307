import { REQUIRED_COLUMNS, OPTIONAL_COLUMNS } from '../config/inventory.js';

/**
 * The demo fleet: 120 regiment-level access points across the divisions of the corps,
 * every address on loopback. Used to write config/sites.csv and, with other ports, by tests
 * that need a fleet of their own.
 */
const DIVISIONS: { no: number; zh: string; city: string; regiments: number[] }[] = [
  { no: 1, zh: '第一师', city: '阿拉尔', regiments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16] },
  { no: 2, zh: '第二师', city: '铁门关', regiments: [21, 22, 24, 25, 26, 27, 29, 30, 31, 33, 34, 36] },
  { no: 3, zh: '第三师', city: '图木舒克', regiments: [41, 42, 44, 45, 46, 48, 49, 50, 51, 53] },
  { no: 4, zh: '第四师', city: '可克达拉', regiments: [61, 62, 63, 64, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79] },
  { no: 5, zh: '第五师', city: '双河', regiments: [81, 83, 84, 86, 87, 88, 89, 90, 91] },
  { no: 6, zh: '第六师', city: '五家渠', regiments: [101, 102, 103, 105, 106] },
  { no: 7, zh: '第七师', city: '胡杨河', regiments: [123, 124, 125, 126, 127, 128, 129, 130, 131, 137] },
  { no: 8, zh: '第八师', city: '石河子', regiments: [121, 132, 133, 134, 136, 141, 142, 143, 144, 147, 148, 149, 150, 152] },
  { no: 9, zh: '第九师', city: '塔城', regiments: [161, 162, 163, 164, 165, 166, 167, 168, 169, 170] },
  { no: 10, zh: '第十师', city: '北屯', regiments: [181, 182, 183, 184, 185, 186, 187, 188] },
  { no: 13, zh: '第十三师', city: '新星', regiments: [221, 222, 223, 224] },
  { no: 14, zh: '第十四师', city: '昆玉', regiments: [224, 225, 47, 228, 229] },
];

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 121 → 一二一团, the way these regiments are usually written. */
function regimentZh(n: number): string {
  if (n <= 10) return n === 10 ? '十团' : `${ZH_DIGITS[n]}团`;
  if (n < 100) {
    const t = Math.floor(n / 10);
    const u = n % 10;
    return `${t === 1 ? '' : ZH_DIGITS[t]}十${u ? ZH_DIGITS[u] : ''}团`;
  }
  return `${[...String(n)].map((d) => ZH_DIGITS[Number(d)]).join('')}团`;
}

export interface DemoInventoryOptions {
  /** How many sites (the first N of the demo fleet); at most 120. */
  sites?: number;
  /** UDP port every simulated agent listens on (each on its own loopback address). */
  agentPort?: number;
  ceProfile?: string;
  headendProfile?: string;
  cpeProfile?: string;
  /** Every how many sites one has an OOB path and a carrier CPE (0 = none). */
  oobEvery?: number;
  cpeEvery?: number;
}

export const DEMO_SITE_COUNT = 120;

/** Loopback address of the simulated CE of site index i (0-based): 127.0.1.(i+1) … */
export const ceAddress = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`;
export const oobAddress = (i: number) => `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
export const cpeAddress = (i: number) => `127.2.${Math.floor(i / 250)}.${(i % 250) + 1}`;
/** Two head-end routers at the center, each terminating half of the circuits. */
export const headendAddress = (i: number) => (i % 2 === 0 ? '127.0.0.11' : '127.0.0.12');

export function demoInventoryRows(opts: DemoInventoryOptions = {}): Record<string, string>[] {
  const count = Math.min(opts.sites ?? DEMO_SITE_COUNT, DEMO_SITE_COUNT);
  const port = String(opts.agentPort ?? 16161);
  const oobEvery = opts.oobEvery ?? 6;
  const cpeEvery = opts.cpeEvery ?? 5;
  const all = DIVISIONS.flatMap((d) => d.regiments.map((r) => ({ d, r })));
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const { d, r } = all[i]!;
    const idx = String(i + 1).padStart(3, '0');
    const month = 1 + (i % 6);
    const day = 1 + ((i * 7) % 28);
    const hasOob = oobEvery > 0 && i % oobEvery === 3;
    const hasCpe = cpeEvery > 0 && i % cpeEvery === 1;
    const indexInDivision = d.regiments.indexOf(r);
    const activation = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    // Ordered 38-50 calendar days before activation: most on time, some late (3.2.3: 30 working days).
    const ordered = new Date(Date.parse(`${activation}T00:00:00Z`) - (38 + (i % 5) * 3) * 86_400_000).toISOString().slice(0, 10);
    rows.push({
      site_id: `D${String(d.no).padStart(2, '0')}-R${String(r).padStart(3, '0')}`,
      name: `${d.zh}${regimentZh(r)}`,
      name_en: `Division ${d.no} Regiment ${r}`,
      division: d.zh,
      circuit_id: `XJ70M-2026-${idx}`,
      bandwidth_mbps: '70',
      activation_date: activation,
      ce_host: ceAddress(i),
      ce_port: port,
      ce_snmp_profile: opts.ceProfile ?? (i % 3 === 0 ? 'ce-v3' : 'ce-v2c'),
      ce_wan_if: 'GigabitEthernet0/0/0',
      headend_host: headendAddress(i),
      headend_port: port,
      headend_snmp_profile: opts.headendProfile ?? 'headend-v3',
      headend_if: `Eth-Trunk1.${1000 + i + 1}`,
      // Sites of a division hang off one or two carrier aggregation nodes of that city.
      carrier_group: `AGG-${d.city}-${indexInDivision < 8 ? 'A' : 'B'}`,
      oob_host: hasOob ? oobAddress(i) : '',
      oob_port: hasOob ? port : '',
      oob_snmp_profile: '',
      cpe_host: hasCpe ? cpeAddress(i) : '',
      cpe_port: hasCpe ? port : '',
      cpe_snmp_profile: hasCpe ? (opts.cpeProfile ?? 'carrier-cpe') : '',
      cpe_line_if: hasCpe ? 'GE0/0/1' : '',
      cpe_customer_if: hasCpe ? 'GE0/0/2' : '',
      contact_name: '',
      contact_phone: '',
      latitude: (44.3 - (i % 17) * 0.35).toFixed(3),
      longitude: (80.1 + (i % 23) * 0.4).toFixed(3),
      order_date: ordered,
      required_activation_date: '',
      termination_notice_date: '',
      service_end_date: '',
      term_months: '',
      one_time_fee_yuan: '5000',
      monthly_fee_yuan: '3000',
    });
  }
  return rows;
}

const COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

export function toInventoryCsv(rows: Record<string, string>[]): string {
  const esc = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => esc(r[c] ?? '')).join(','))].join('\n') + '\n';
}
