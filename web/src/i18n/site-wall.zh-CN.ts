/** The site page's chart, state strip and readings, and the wall's capacity badge (zh-CN). */
export const siteWallZhCN = {
  range: {
    label: '时间范围',
    '1h': '1 小时',
    '24h': '24 小时',
    '7d': '7 天',
    '30d': '30 天',
    term: '合同期',
    noTerm: '合同期未知',
    step: '粒度：{step}',
    raw: '每次轮询',
    stepSec: '{n} 秒',
    stepMin: '{n} 分钟',
    stepHour: '{n} 小时',
    stepDay: '{n} 天',
    termDates: '{from} 至 {to}',
  },
  chart: {
    title: '吞吐量',
    p95: '95 百分位 {mbps} Mbit/s',
    p95None: '95 百分位：无数据',
    legend: '图例',
    strip: '状态历史',
    since: '数据自 {at} 起',
  },
  capacity: {
    'policer-ceiling': '限速疑似 {mbps} Mbit/s（额定的 {pct}%）',
    saturated: '持续接近满载（平均 {pct}%）',
    short: { 'policer-ceiling': '限速 {mbps}M', saturated: '满载' },
    title: '容量发现',
    sinceLabel: '自 {at} 起',
  },
  /** The language switch's accessible name. */
  language: '界面语言',
};
export type SiteWallMessages = typeof siteWallZhCN;
