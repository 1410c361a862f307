/**
 * The console's date and time fields are Beijing time whatever the browser's own zone is
 * (an operator's laptop may be set to UTC): `<input type="datetime-local">` values are read
 * and written as UTC+8 here, and travel to the API as ISO-8601 UTC.
 */
const OFFSET_MS = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** '2026-03-01T09:30' (Beijing) → epoch ms; null when the field is empty or not a time. */
export function fromShanghaiInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s) - OFFSET_MS;
  // Date.UTC rolls 2026-02-30 over to March: a day that does not exist is not a time.
  const back = new Date(t + OFFSET_MS);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 ? t : null;
}

/** epoch ms → '2026-03-01T09:30' (Beijing), for a datetime-local field. */
export function toShanghaiInput(at: number): string {
  const d = new Date(at + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The month (YYYY-MM) an instant falls in, in Beijing. */
export function shanghaiMonth(at: number): string {
  return toShanghaiInput(at).slice(0, 7);
}

/** The day (YYYY-MM-DD) an instant falls in, in Beijing. */
export function shanghaiDay(at: number): string {
  return toShanghaiInput(at).slice(0, 10);
}
