import { IF_STATUS_TERMS, POLL_FAILURE_TERMS, term, type Locale, type Term } from './terms.js';

/**
 * The inventory pages' vocabulary, beside core/terms.ts and in the same shape: device roles,
 * the columns of sites.csv, and what a discovery could not read. The API sends codes (a role,
 * a column name, a gap line); the pages show these words.
 */
const t = (zh: string, en: string): Term => ({ 'zh-CN': zh, en });

export const DEVICE_ROLE_TERMS: Readonly<Record<'headend' | 'ce' | 'oob' | 'cpe', Term>> = {
  headend: t('头端设备', 'Head-end'),
  ce: t('CE 路由器', 'CE router'),
  oob: t('带外管理设备', 'Out-of-band device'),
  cpe: t('运营商 CPE', 'Carrier CPE'),
};

/** What changed on a device (inventory/inventory-diff.ts CHANGE_KINDS). */
export const INVENTORY_CHANGE_TERMS: Readonly<Record<string, Term>> = {
  'device-replaced': t('设备更换', 'Device replaced'), 'software-upgraded': t('软件升级', 'Software upgraded'), 'interface-added': t('新增接口', 'Interface added'),
  'interface-removed': t('接口移除', 'Interface removed'), 'interface-renamed': t('接口改名', 'Interface renamed'), 'alias-changed': t('接口描述变更', 'ifAlias changed'),
  'handoff-unresolved': t('交接端口未解析', 'Handoff port not found'),
};
export const inventoryChangeLabel = (kind: string, l: Locale): string => term(INVENTORY_CHANGE_TERMS, kind, l);

/** Every column of sites.csv (config/inventory.ts); the edit form offers all but site_id, which names the row. */
export const SITE_COLUMN_TERMS = {
  site_id: t('站点编号', 'Site id'),
  name: t('站点名称', 'Site name'),
  name_en: t('英文名称', 'English name'),
  division: t('所属师', 'Division'),
  circuit_id: t('电路编号', 'Circuit id'),
  bandwidth_mbps: t('带宽（Mbit/s）', 'Bandwidth (Mbit/s)'),
  activation_date: t('开通日期', 'Activation date'),
  ce_host: t('CE 地址', 'CE address'),
  ce_port: t('CE SNMP 端口', 'CE SNMP port'),
  ce_snmp_profile: t('CE SNMP 配置', 'CE SNMP profile'),
  ce_wan_if: t('CE WAN 接口', 'CE WAN interface'),
  headend_host: t('头端地址', 'Head-end address'),
  headend_port: t('头端 SNMP 端口', 'Head-end SNMP port'),
  headend_if: t('头端接口', 'Head-end interface'),
  headend_snmp_profile: t('头端 SNMP 配置', 'Head-end SNMP profile'),
  carrier_group: t('运营商汇聚组', 'Carrier group'),
  oob_host: t('带外地址', 'Out-of-band address'),
  oob_port: t('带外 SNMP 端口', 'Out-of-band SNMP port'),
  oob_snmp_profile: t('带外 SNMP 配置', 'Out-of-band SNMP profile'),
  cpe_host: t('CPE 地址', 'CPE address'),
  cpe_port: t('CPE SNMP 端口', 'CPE SNMP port'),
  cpe_snmp_profile: t('CPE SNMP 配置', 'CPE SNMP profile'),
  cpe_line_if: t('CPE 线路侧接口', 'CPE line-side interface'),
  cpe_customer_if: t('CPE 用户侧接口', 'CPE customer-side interface'),
  contact_name: t('联系人', 'Contact name'),
  contact_phone: t('联系电话', 'Contact phone'),
  latitude: t('纬度', 'Latitude'),
  longitude: t('经度', 'Longitude'),
  order_date: t('订购日期', 'Order date'),
  required_activation_date: t('应开通日期', 'Required activation date'),
  termination_notice_date: t('终止通知日期', 'Termination notice date'),
  service_end_date: t('服务终止日期', 'Service end date'),
  term_months: t('服务期（月）', 'Term (months)'),
  one_time_fee_yuan: t('一次性费用（元）', 'One-time fee (CNY)'),
  monthly_fee_yuan: t('月租（元）', 'Monthly fee (CNY)'),
} as const satisfies Record<string, Term>;
export type SiteColumn = keyof typeof SITE_COLUMN_TERMS;
export const SITE_COLUMNS = (Object.keys(SITE_COLUMN_TERMS) as SiteColumn[]).filter((c) => c !== 'site_id');

/** A column's label; a column this table does not know (a newer file) shows as itself. */
export const siteColumnLabel = (column: string, l: Locale): string => term(SITE_COLUMN_TERMS, column, l);
export const deviceRoleLabel = (role: string | null, l: Locale): string => (role === null ? '' : term(DEVICE_ROLE_TERMS, role, l));

/** The fields of a device page (inventory/device-facts.ts: SystemFacts, EntityRow, InterfaceFacts). */
export const DEVICE_FACT_TERMS: Readonly<Record<string, Term>> = {
  sysDescr: t('系统描述（sysDescr）', 'sysDescr'), sysObjectId: t('设备类型标识（OID）', 'sysObjectID'), sysName: t('设备名（sysName）', 'sysName'),
  sysLocation: t('位置（sysLocation）', 'sysLocation'), sysContact: t('联系人（sysContact）', 'sysContact'), uptimeSec: t('运行时长（秒）', 'Uptime (s)'),
  index: t('序号', 'Index'), descr: t('描述', 'Description'), class: t('类别', 'Class'), name: t('名称', 'Name'), hardwareRev: t('硬件版本', 'Hardware'),
  firmwareRev: t('固件版本', 'Firmware'), softwareRev: t('软件版本', 'Software'), serial: t('序列号', 'Serial'), mfgName: t('制造商', 'Manufacturer'), modelName: t('型号', 'Model'),
  ifIndex: t('ifIndex', 'ifIndex'), ifName: t('ifName', 'ifName'), ifDescr: t('ifDescr', 'ifDescr'), ifAlias: t('ifAlias', 'ifAlias'), ifType: t('接口类型', 'Type'),
  speedBps: t('速率（bit/s）', 'Speed (bit/s)'), highSpeedMbps: t('速率（Mbit/s）', 'Speed (Mbit/s)'), physAddress: t('MAC 地址', 'MAC address'),
  admin: t('管理状态', 'Admin status'), oper: t('运行状态', 'Oper status'),
};

/** ENTITY-MIB entPhysicalClass (inventory/device-facts.ts PHYSICAL_CLASS). */
export const PHYSICAL_CLASS_TERMS: Readonly<Record<string, Term>> = {
  other: t('其他', 'other'), unknown: t('未知', 'unknown'), chassis: t('机框', 'chassis'), backplane: t('背板', 'backplane'), container: t('槽位', 'container'),
  powerSupply: t('电源', 'power supply'), fan: t('风扇', 'fan'), sensor: t('传感器', 'sensor'), module: t('模块', 'module'), port: t('端口', 'port'), stack: t('堆叠', 'stack'), cpu: t('CPU', 'CPU'),
};

export const deviceFactLabel = (field: string, l: Locale): string => term(DEVICE_FACT_TERMS, field, l);

/** A fact's value in words where demarc coded it (interface status, entity class); anything else is the device's own text. */
export function deviceFactValue(field: string, v: unknown, l: Locale): { text: string; coded: boolean } {
  if (v === null || v === undefined) return { text: '', coded: true };
  if ((field === 'admin' || field === 'oper') && typeof v === 'string') return { text: term(IF_STATUS_TERMS, v, l), coded: true };
  if (field === 'class' && typeof v === 'string') return { text: term(PHYSICAL_CLASS_TERMS, v, l), coded: true };
  return { text: typeof v === 'object' ? JSON.stringify(v) : String(v), coded: false };
}

/**
 * What one discovery could not read. Discovery stores each gap as its English line (logs and
 * old databases hold the same lines); `discoveryGap` reads a line back into its code and
 * parameters, so the pages can say it in zh-CN. A line it does not know stays as written.
 */
export type DiscoverySection = 'system' | 'entities' | 'interfaces';
export type DiscoveryGap =
  | { code: 'no-answer'; section: 'system'; failure: string }
  | { code: 'walk-failed'; section: 'entities' | 'interfaces'; failure: string; column: string }
  | { code: 'bad-object-id'; value: string }
  | { code: 'no-object-id' }
  | { code: 'empty-table'; section: 'entities' | 'interfaces' }
  | { code: 'wrong-type'; section: DiscoverySection; count: number; columns: string }
  | { code: 'never-discovered' }
  | { code: 'unknown'; text: string };

const SECTION_LINE: Record<DiscoverySection, string> = { system: 'system group', entities: 'ENTITY-MIB', interfaces: 'interfaces' };
const SECTION_TERMS: Record<DiscoverySection, Term> = { system: t('系统组', 'system group'), entities: t('ENTITY-MIB 实体表', 'ENTITY-MIB'), interfaces: t('接口表', 'interfaces') };
const sectionOf = (line: string): DiscoverySection | undefined => (Object.keys(SECTION_LINE) as DiscoverySection[]).find((s) => SECTION_LINE[s] === line);

/** The stored (English) line of a gap. */
export function discoveryGapLine(g: DiscoveryGap): string {
  switch (g.code) {
    case 'no-answer': return `system group: ${g.failure}`;
    case 'walk-failed': return g.section === 'entities' ? `ENTITY-MIB: ${g.failure} while walking entPhysical ${g.column}` : `interfaces: ${g.failure} while walking ${g.column}`;
    case 'bad-object-id': return `system group: sysObjectID is not an OID (${g.value})`;
    case 'no-object-id': return 'system group: no sysObjectID';
    case 'empty-table': return g.section === 'entities' ? 'ENTITY-MIB: not implemented by the agent (entPhysicalTable is empty)' : 'interfaces: the agent returned no interface table';
    case 'wrong-type': return `${SECTION_LINE[g.section]}: ${g.count} values of the wrong type (${g.columns}), left out`;
    case 'never-discovered': return 'never discovered';
    case 'unknown': return g.text;
  }
}

/** A stored line back into its gap (the inverse of discoveryGapLine). */
export function discoveryGap(line: string): DiscoveryGap {
  if (line === 'never discovered') return { code: 'never-discovered' };
  const m = /^(system group|ENTITY-MIB|interfaces): (.*)$/s.exec(line);
  const section = m ? sectionOf(m[1]!) : undefined;
  if (!m || !section) return { code: 'unknown', text: line };
  const rest = m[2]!;
  const wrong = /^(\d+) values of the wrong type \((.*)\), left out$/.exec(rest);
  if (wrong) return { code: 'wrong-type', section, count: Number(wrong[1]), columns: wrong[2]! };
  if (section === 'system') {
    if (rest === 'no sysObjectID') return { code: 'no-object-id' };
    const bad = /^sysObjectID is not an OID \((.*)\)$/s.exec(rest);
    if (bad) return { code: 'bad-object-id', value: bad[1]! };
    return { code: 'no-answer', section, failure: rest };
  }
  if (rest === 'not implemented by the agent (entPhysicalTable is empty)' || rest === 'the agent returned no interface table') return { code: 'empty-table', section };
  const walk = (section === 'entities' ? /^(.*) while walking entPhysical (\w+)$/ : /^(.*) while walking (\w+)$/).exec(rest);
  if (walk) return { code: 'walk-failed', section, failure: walk[1]!, column: walk[2]! };
  return { code: 'unknown', text: line };
}

const failure = (f: string, l: Locale) => term(POLL_FAILURE_TERMS, f, l);

/** A gap in words; columns, values and unknown lines are device data and stay as the device sent them. */
export function discoveryGapText(g: DiscoveryGap, l: Locale): string {
  const zh = l === 'zh-CN';
  switch (g.code) {
    case 'no-answer': return zh ? `系统组无应答：${failure(g.failure, l)}` : discoveryGapLine({ ...g, failure: failure(g.failure, l) });
    case 'walk-failed': return zh ? `${term(SECTION_TERMS, g.section, l)}读取失败：${failure(g.failure, l)}` : discoveryGapLine({ ...g, failure: failure(g.failure, l) });
    case 'bad-object-id': return zh ? '系统组：设备类型标识不是 OID' : 'system group: sysObjectID is not an OID';
    case 'no-object-id': return zh ? '系统组：未返回设备类型标识' : discoveryGapLine(g);
    case 'empty-table': return zh ? (g.section === 'entities' ? '设备未实现 ENTITY-MIB（实体表为空）' : '设备未返回接口表') : discoveryGapLine(g);
    case 'wrong-type': return zh ? `${term(SECTION_TERMS, g.section, l)}：${g.count} 个值类型不符，已略去` : `${SECTION_LINE[g.section]}: ${g.count} values of the wrong type, left out`;
    case 'never-discovered': return zh ? '从未发现' : 'never discovered';
    case 'unknown': return g.text;
  }
}

/** What a page shows for one stored gap line. */
export const discoveryGapLabel = (line: string, l: Locale): string => discoveryGapText(discoveryGap(line), l);
