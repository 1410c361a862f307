import { CONTRACT_STATUS_TERMS, RENEWAL_DECISION_TERMS, wordsIn } from '../../../core/terms.js';

/** The inventory pages' words (zh-CN is the shape; inventory.en.ts matches it key for key). */
const inventoryZh = {
  nav: { devices: '设备台账', register: '电路合同', edits: '台账变更' },
  devices: {
    title: '设备台账', id: '设备', role: '角色', site: '站点', endpoint: '地址', vendor: '厂商', model: '型号', serial: '序列号', software: '软件版本',
    lastDiscovery: '最近发现', gaps: '缺失项', never: '从未发现', report: '导出台账报表（XLSX）',
  },
  device: { title: '设备 {id}', facts: '系统信息', entities: '实体（ENTITY-MIB）', interfaces: '接口', history: '变更历史', none: '（无）', back: '返回设备台账' },
  changes: { title: '近 31 天变更', at: '时间', device: '设备', kind: '类型', detail: '说明', none: '近 31 天无变更' },
  gaps: { title: '配置缺口', config: '配置的接口名在设备上不存在（不计为中断）', discovery: '发现未能读取的部分', none: '无配置缺口' },
  register: {
    title: '电路合同台账', asOf: '截至 {day}', circuit: '电路编号', site: '站点', status: '状态', order: '订购日期', required: '应开通日期', activated: '实际开通',
    termEnd: '服务期至', deadline: '不续期通知截止', decision: '续期', lateDays: '延迟工作日', credit: '违约金（元）', warning: '距通知截止 {days} 天',
    statusWords: wordsIn(CONTRACT_STATUS_TERMS, 'zh-CN'), decisionWords: wordsIn(RENEWAL_DECISION_TERMS, 'zh-CN'),
  },
  edits: {
    title: '台账变更（双人审批）', importTitle: '导入 CSV / XLSX', choose: '选择文件', previewBtn: '预览差异', reason: '变更原因', proposeBtn: '提交审批',
    editTitle: '修改站点字段', siteId: '站点编号', column: '字段', value: '新值', removeSite: '删除该站点', proposeEdit: '提交修改',
    diff: '差异', added: '新增 {n}', changed: '修改 {n}', removed: '删除 {n}', noDiff: '与当前台账一致', before: '原值', after: '新值',
    problems: '文件有错误，未做任何变更：', row: '第 {row} 行', proposals: '待审批与历史', approve: '批准', reject: '驳回', rejectNote: '驳回原因',
    state: { proposed: '待审批', applied: '已生效', rejected: '已驳回' }, by: '{who} 提交于 {at}', decided: '{who} 处理', proposed: '已提交，等待另一人审批（编号 {id}）',
    selfNote: '提交人不能审批自己的变更', applied: '已生效；系统正在按新台账重启采集',
  },
};

export type InventoryMessages = typeof inventoryZh;
export default inventoryZh;
