import type { Locale } from '../../../core/terms.js';

/** Everything shown to people is Shanghai time (UTC+8, no DST); instants stay UTC inside. */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: DISPLAY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(at: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of dateTime.formatToParts(at)) out[p.type] = p.value;
  return out;
}

function toEpoch(at: number | string | null | undefined): number | null {
  if (at === null || at === undefined) return null;
  const t = typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(t) ? t : null;
}

/** 2026-03-01 08:05:09 (Shanghai), from epoch ms or ISO-8601; '—' when absent or unreadable. */
export function formatDateTime(at: number | string | null | undefined): string {
  const t = toEpoch(at);
  if (t === null) return '—';
  const p = parts(t);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** 08:05:09 (Shanghai). */
export function formatTime(at: number | string | null | undefined): string {
  const t = toEpoch(at);
  if (t === null) return '—';
  const p = parts(t);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** 03-01 08:05 (Shanghai): chart ticks. */
export function formatShortDateTime(at: number): string {
  const p = parts(at);
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const UNITS: Readonly<Record<Locale, { d: string; h: string; m: string; s: string; sep: string }>> = {
  'zh-CN': { d: '天', h: '小时', m: '分', s: '秒', sep: '' },
  en: { d: 'd', h: 'h', m: 'm', s: 's', sep: ' ' },
};

/** A duration in its two largest units: 2天3小时, 12分5秒, "3h 12m". */
export function formatDuration(seconds: number | null, locale: Locale): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const u = UNITS[locale];
  const total = Math.max(0, Math.floor(seconds));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pieces: [number, string][] = [
    [d, u.d],
    [h, u.h],
    [m, u.m],
    [s, u.s],
  ];
  const first = pieces.findIndex(([v]) => v > 0);
  if (first === -1) return `0${u.s}`;
  return pieces
    .slice(first, first + 2)
    .filter(([v], i) => i === 0 || v > 0)
    .map(([v, unit]) => `${v}${unit}`)
    .join(u.sep);
}
