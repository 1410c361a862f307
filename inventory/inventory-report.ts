import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { SiteConfigGap } from './config-gaps.js';
import type { StoredChange, StoredDevice } from './inventory-repository.js';

/**
 * The inventory report: what is installed (each device with vendor, model, serial, software
 * and its last discovery), what changed in the period, and the configuration gaps (configured
 * names the devices do not have, and what discovery could not read). Pure tables, then CSV
 * (one section per file, BOM for Excel) or XLSX (one sheet per section).
 */
export type InventoryReportSection = 'devices' | 'changes' | 'gaps';
export const INVENTORY_REPORT_SECTIONS: readonly InventoryReportSection[] = ['devices', 'changes', 'gaps'];
export type ReportLang = 'zh' | 'en';

export interface InventoryReportInput {
  devices: { id: string; role: string | null; siteId: string | null; endpoint: string | null; stored: StoredDevice | null }[];
  changes: readonly StoredChange[];
  configGaps: readonly SiteConfigGap[];
  /** Shanghai wall-clock text of an instant (the report is read by people). */
  time: (at: number) => string;
}

interface Table {
  key: InventoryReportSection;
  title: string;
  header: string[];
  rows: string[][];
}

const TEXT = {
  zh: {
    devices: ['设备清单', ['设备', '角色', '站点', '地址', '厂商', '型号', '序列号', '软件版本', 'sysName', 'sysObjectID', '最近发现', '缺失项']],
    changes: ['本期变更', ['时间', '设备', '站点', '类型', '对象', '变更前', '变更后', '说明']],
    gaps: ['配置缺口', ['站点', '设备', '位置', '配置的接口名', '自', '说明']],
    never: '从未发现',
  },
  en: {
    devices: ['Devices', ['Device', 'Role', 'Site', 'Endpoint', 'Vendor', 'Model', 'Serial', 'Software', 'sysName', 'sysObjectID', 'Last discovery', 'Gaps']],
    changes: ['Changes in the period', ['Time', 'Device', 'Site', 'Kind', 'Subject', 'Before', 'After', 'Detail']],
    gaps: ['Configuration gaps', ['Site', 'Device', 'Side', 'Configured name', 'Since', 'Detail']],
    never: 'never discovered',
  },
} as const;

const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

export function inventoryReportTables(input: InventoryReportInput, lang: ReportLang): Table[] {
  const t = TEXT[lang];
  const devices = input.devices.map((d) => {
    const f = d.stored?.facts;
    return [
      d.id, d.role ?? '', d.siteId ?? '', d.endpoint ?? '', f?.summary.vendor ?? '', f?.summary.model ?? '', f?.summary.serial ?? '', f?.summary.software ?? '',
      f?.system?.sysName ?? '', f?.system?.sysObjectId ?? '', d.stored?.discoveredAt ? input.time(d.stored.discoveredAt) : t.never, (d.stored?.gaps ?? []).join('; '),
    ];
  });
  const changes = input.changes.map((c) => [input.time(c.at), c.deviceId, c.siteId ?? '', c.kind, c.subject, text(c.before), text(c.after), c.detail]);
  // Discovery's own gaps (a device that answered only part of the walk) are listed with the configured names that do not resolve.
  const gaps = [
    ...input.configGaps.map((g) => [g.siteId, g.device, g.side, g.ifName, input.time(g.since), 'configured name not found (ifName, ifDescr, first word, ifAlias)']),
    ...input.devices.filter((d) => d.stored && d.stored.gaps.length).map((d) => [d.siteId ?? '', d.id, 'discovery', '', d.stored!.attemptedAt ? input.time(d.stored!.attemptedAt) : '', d.stored!.gaps.join('; ')]),
  ];
  return [
    { key: 'devices', title: t.devices[0], header: [...t.devices[1]], rows: devices },
    { key: 'changes', title: t.changes[0], header: [...t.changes[1]], rows: changes },
    { key: 'gaps', title: t.gaps[0], header: [...t.gaps[1]], rows: gaps },
  ];
}

const neutralize = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export function inventoryReportCsv(tables: readonly Table[], key: InventoryReportSection): string {
  const tb = tables.find((x) => x.key === key)!;
  return '\uFEFF' + stringify([tb.header, ...tb.rows.map((r) => r.map(neutralize))], { record_delimiter: '\r\n' });
}

export async function inventoryReportXlsx(tables: readonly Table[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const tb of tables) {
    const ws = wb.addWorksheet(tb.title);
    ws.addRow(tb.header).font = { bold: true };
    for (const r of tb.rows) ws.addRow(r.map(neutralize));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.columns.forEach((c) => {
      c.width = 18;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
