import { describe, expect, it } from 'vitest';
import { CONFIG_GAP_SIDE_TERMS, HEALTH_ISSUE_TERMS, healthIssueLine, healthIssueParts, healthIssueText, type HealthIssue, type HealthIssueKind } from '../../core/health-terms.js';
import { describeGap } from '../../inventory/config-gaps.js';
import { englishInZh } from '../support/zh-text.js';

const HAN = /\p{Script=Han}/u;
const SINCE = Date.UTC(2026, 0, 5, 1, 2, 3);

/** One issue per kind, with the English problem line /api/health has always sent. */
const CASES: Record<HealthIssueKind, { issue: HealthIssue; line: string }> = {
  'cycle-stale': { issue: { kind: 'cycle-stale', params: {} }, line: 'no poll cycle finished for more than two intervals' },
  'cycle-overran': { issue: { kind: 'cycle-overran', params: {} }, line: 'the last poll cycle overran its interval' },
  'store-failing': { issue: { kind: 'store-failing', params: { error: 'connect ECONNREFUSED 127.0.0.1:8086' } }, line: 'metric store: connect ECONNREFUSED 127.0.0.1:8086' },
  'store-backlog': { issue: { kind: 'store-backlog', params: { samples: 42 } }, line: 'metric store backlog: 42 samples waiting' },
  'state-db-failing': {
    issue: { kind: 'state-db-failing', params: { path: '/var/lib/demarc/state.db', since: SINCE, code: 'SQLITE_CORRUPT', message: 'database disk image is malformed', failed: 3 } },
    line: 'state database /var/lib/demarc/state.db failing since 2026-01-05T01:02:03.000Z (SQLITE_CORRUPT: database disk image is malformed; 3 failed requests): restore a backup with demarc state restore <file>',
  },
  'audit-broken': { issue: { kind: 'audit-broken', params: { row: 17, reason: 'hash mismatch' } }, line: 'audit chain broken at row 17: hash mismatch' },
  'config-gap': {
    issue: { kind: 'config-gap', params: { siteId: 'D01-R005', side: 'headend', ifName: 'Eth-Trunk9', device: '127.0.0.1:16100' } },
    line: 'configuration gap: site D01-R005: head-end port "Eth-Trunk9" not found on 127.0.0.1:16100 (checked ifName, ifDescr, its first word, ifAlias)',
  },
  'remote-no-link': { issue: { kind: 'remote-no-link', params: { url: 'nats://127.0.0.1:4222' } }, line: 'remote collectors: no link to NATS (nats://127.0.0.1:4222)' },
  'remote-unowned': { issue: { kind: 'remote-unowned', params: { sites: 'D01-R005, D02-R001' } }, line: 'remote collectors: no live collector polls D01-R005, D02-R001' },
  'remote-rejected': { issue: { kind: 'remote-rejected', params: { counts: 'not-json 2, unknown-site 1' } }, line: 'remote collectors: messages rejected (not-json 2, unknown-site 1)' },
};

describe('the health vocabulary', () => {
  it('has a case for every kind, and every kind has both languages', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(HEALTH_ISSUE_TERMS).sort());
    for (const [kind, term] of Object.entries(HEALTH_ISSUE_TERMS)) {
      expect(term['zh-CN'], kind).toMatch(HAN);
      expect(term.en, kind).not.toMatch(HAN);
    }
    for (const [side, term] of Object.entries(CONFIG_GAP_SIDE_TERMS)) {
      expect(englishInZh(term['zh-CN']), side).toEqual([]);
      expect(term.en, side).not.toMatch(HAN);
    }
  });

  it.each(Object.entries(CASES))('%s: the problem line is unchanged, zh-CN has no English outside the data parts', (kind, { issue, line }) => {
    expect(healthIssueLine(issue)).toBe(line);
    const zh = healthIssueParts(issue, 'zh-CN');
    const words = zh.filter((p) => !p.data).map((p) => p.text).join('');
    expect(englishInZh(words), kind).toEqual([]);
    expect(words, kind).toMatch(HAN);
    // Every parameter reaches the sentence (the data as sent), in both languages.
    const en = healthIssueText(issue, 'en');
    expect(en, kind).not.toMatch(HAN);
    for (const p of zh.filter((x) => x.data)) expect(en, kind).toContain(p.text);
  });

  it('renders the parameters: times in Asia/Shanghai, sides and numbers in words', () => {
    expect(healthIssueText(CASES['store-backlog'].issue, 'zh-CN')).toBe('指标库积压：42 条采样待写入');
    expect(healthIssueText(CASES['state-db-failing'].issue, 'zh-CN')).toContain('自 2026-01-05 09:02:03 起出错（SQLITE_CORRUPT：database disk image is malformed；失败请求 3 次）');
    expect(healthIssueText(CASES['config-gap'].issue, 'zh-CN')).toBe('配置缺口：站点 D01-R005 的头端端口 Eth-Trunk9 在 127.0.0.1:16100 上找不到');
    expect(healthIssueText(CASES['config-gap'].issue, 'en')).toBe('Configuration gap: site D01-R005: head-end port Eth-Trunk9 not found on 127.0.0.1:16100');
    expect(healthIssueParts(CASES['store-failing'].issue, 'zh-CN')).toEqual([{ text: '指标库写入失败：' }, { text: 'connect ECONNREFUSED 127.0.0.1:8086', data: true }]);
  });

  it('says a configuration gap the same way in the health line and the log line', () => {
    const { issue } = CASES['config-gap'];
    if (issue.kind !== 'config-gap') throw new Error('case');
    expect(healthIssueLine(issue)).toBe(`configuration gap: ${describeGap({ ...issue.params, since: 0 })}`);
  });
});
