import type { Locale } from '../../../core/terms.js';

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * Reads the Chinese numbers used in unit names: 十三 → 13, 二十 → 20, 一二一 → 121 (regiment
 * numbers are written digit by digit). null when the text is not such a number.
 */
export function parseChineseNumber(text: string): number | null {
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  const chars = [...text];
  if (!chars.includes('十')) {
    if (!chars.every((c) => c in DIGITS)) return null;
    return Number(chars.map((c) => DIGITS[c]).join(''));
  }
  const m = /^(.?)十(.?)$/u.exec(text);
  if (!m) return null;
  const tens = m[1] ? DIGITS[m[1]] : 1;
  const units = m[2] ? DIGITS[m[2]] : 0;
  if (tens === undefined || units === undefined) return null;
  return tens * 10 + units;
}

/** 第十三师 → "Division 13" in English; the name as written otherwise. */
export function divisionLabel(division: string, locale: Locale): string {
  if (locale !== 'en') return division;
  const m = /^第(.+)师$/u.exec(division);
  const n = m?.[1] ? parseChineseNumber(m[1]) : null;
  return n === null ? division : `Division ${n}`;
}

/**
 * A tile sits inside its division's panel, so repeating the division in every tile only
 * costs width on the wall: 第一师一团 → 一团, "Division 1 Regiment 1" → "Regt 1".
 */
export function shortSiteName(site: { name: string; nameEn: string | null; division: string }, locale: Locale): string {
  if (locale === 'en' && site.nameEn) {
    const div = divisionLabel(site.division, 'en');
    const rest = site.nameEn.startsWith(`${div} `) ? site.nameEn.slice(div.length + 1).trim() : '';
    return (rest || site.nameEn).replace(/\bRegiment\b/, 'Regt');
  }
  const rest = site.name.startsWith(site.division) ? site.name.slice(site.division.length) : '';
  return rest || site.name;
}

export function siteName(site: { name: string; nameEn: string | null }, locale: Locale): string {
  return locale === 'en' && site.nameEn ? site.nameEn : site.name;
}

/** Groups sites by division, divisions and sites in inventory order. */
export function groupByDivision<T extends { division: string }>(sites: readonly T[]): { division: string; sites: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const s of sites) {
    const g = groups.get(s.division);
    if (g) g.push(s);
    else groups.set(s.division, [s]);
  }
  return [...groups].map(([division, list]) => ({ division, sites: list }));
}
