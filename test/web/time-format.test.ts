import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration, formatShortDateTime, formatTime } from '../../web/src/model/time-format.js';

describe('Shanghai time formatting', () => {
  it.each([
    ['2026-03-01T00:00:00.000Z', '2026-03-01 08:00:00', '08:00:00'],
    ['2026-02-28T16:30:05.000Z', '2026-03-01 00:30:05', '00:30:05'],
    ['2025-12-31T23:59:59.999Z', '2026-01-01 07:59:59', '07:59:59'],
    [Date.UTC(2026, 5, 30, 15, 59, 0), '2026-06-30 23:59:00', '23:59:00'],
  ] as const)('%s', (at, dateTime, time) => {
    expect(formatDateTime(at)).toBe(dateTime);
    expect(formatTime(at)).toBe(time);
  });
  it.each([null, undefined, 'not a date'])('%s → —', (at) => {
    expect(formatDateTime(at)).toBe('—');
    expect(formatTime(at)).toBe('—');
  });
  it('short form for chart ticks', () => {
    expect(formatShortDateTime(Date.UTC(2026, 2, 1, 16, 5))).toBe('03-02 00:05');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0秒', '0s'],
    [59.9, '59秒', '59s'],
    [60, '1分', '1m'],
    [754, '12分34秒', '12m 34s'],
    [3600, '1小时', '1h'],
    [3661, '1小时1分', '1h 1m'],
    [90_061, '1天1小时', '1d 1h'],
    [86_400 + 59, '1天', '1d'],
    [-5, '0秒', '0s'],
    [null, '—', '—'],
  ] as const)('%s s', (sec, zh, en) => {
    expect(formatDuration(sec, 'zh-CN')).toBe(zh);
    expect(formatDuration(sec, 'en')).toBe(en);
  });
});
