import { describe, expect, it } from 'vitest';
import { divisionLabel, groupByDivision, parseChineseNumber, shortSiteName, siteName } from '../../web/src/model/division.js';

describe('parseChineseNumber', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十三', 13],
    ['二十', 20],
    ['四十七', 47],
    ['一二一', 121],
    ['二二四', 224],
    ['13', 13],
    ['', null],
    ['师', null],
    ['十十', null],
    ['一百', null],
  ] as const)('%s → %s', (text, want) => {
    expect(parseChineseNumber(text)).toBe(want);
  });
});

describe('divisionLabel', () => {
  it.each([
    ['第一师', 'zh-CN', '第一师'],
    ['第一师', 'en', 'Division 1'],
    ['第十三师', 'en', 'Division 13'],
    ['第十四师', 'en', 'Division 14'],
    ['建工师', 'en', '建工师'],
  ] as const)('%s in %s → %s', (division, locale, want) => {
    expect(divisionLabel(division, locale)).toBe(want);
  });
});

describe('site names', () => {
  const site = { name: '第八师一二一团', nameEn: 'Division 8 Regiment 121', division: '第八师' };
  it.each([
    [site, 'zh-CN', '一二一团', '第八师一二一团'],
    [site, 'en', 'Regt 121', 'Division 8 Regiment 121'],
    [{ ...site, nameEn: null }, 'en', '一二一团', '第八师一二一团'],
    [{ ...site, name: '一二一团' }, 'zh-CN', '一二一团', '一二一团'],
    [{ ...site, nameEn: 'Tumxuk Regiment 121' }, 'en', 'Tumxuk Regt 121', 'Tumxuk Regiment 121'],
    [{ ...site, name: '第八师' }, 'zh-CN', '第八师', '第八师'],
  ] as const)('%o in %s', (s, locale, short, full) => {
    expect(shortSiteName(s, locale)).toBe(short);
    expect(siteName(s, locale)).toBe(full);
  });
});

describe('groupByDivision', () => {
  it('keeps inventory order of divisions and of sites within them', () => {
    const sites = [
      { id: 'a', division: '第二师' },
      { id: 'b', division: '第一师' },
      { id: 'c', division: '第二师' },
    ];
    expect(groupByDivision(sites).map((g) => [g.division, g.sites.map((s) => s.id)])).toEqual([
      ['第二师', ['a', 'c']],
      ['第一师', ['b']],
    ]);
  });
});
