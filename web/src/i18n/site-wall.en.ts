import type { SiteWallMessages } from './site-wall.zh-CN.js';

export const siteWallEn: SiteWallMessages = {
  range: {
    label: 'Range',
    '1h': '1 h',
    '24h': '24 h',
    '7d': '7 d',
    '30d': '30 d',
    term: 'Contract term',
    noTerm: 'Contract term unknown',
    step: 'Step: {step}',
    raw: 'every poll',
    stepSec: '{n} s',
    stepMin: '{n} min',
    stepHour: '{n} h',
    stepDay: '{n} d',
    termDates: '{from} to {to}',
  },
  chart: {
    title: 'Throughput',
    p95: 'p95 {mbps} Mbit/s',
    p95None: 'p95: no data',
    legend: 'Legend',
    strip: 'State history',
    since: 'Data since {at}',
  },
  capacity: {
    'policer-ceiling': 'Rate limit likely at {mbps} Mbit/s ({pct}% of nominal)',
    saturated: 'Sustained near capacity (mean {pct}%)',
    short: { 'policer-ceiling': 'Cap {mbps}M', saturated: 'Saturated' },
    title: 'Capacity finding',
    sinceLabel: 'since {at}',
  },
  /** The language switch's accessible name. */
  language: 'Language',
};
