import dayjs from 'dayjs';

/** Dates as the bank writes them: 2026-11-22. */
export function fmtDate(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD') : '-';
}

/** 2026-11-22 14:05:09 */
export function fmtDateTime(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD HH:mm:ss') : '-';
}

const BEIJING_MS = 8 * 3600_000;

/**
 * 2026-12-02 23:59:59 in Beijing time, whatever the browser's zone: the bank's day and the
 * publication window's deadline are Beijing's (server/modules/periods/periods.rules.ts).
 */
export function fmtBeijing(v: string | Date | null | undefined): string {
  if (!v) return '-';
  const ms = typeof v === 'string' ? Date.parse(v) : v.getTime();
  if (Number.isNaN(ms)) return '-';
  return new Date(ms + BEIJING_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Integer hundredths (points, basis points as %) → "85.00", "-1.05": integer digits, never a float. */
export function hundredthsText(v: number): string {
  const a = Math.abs(v);
  return `${v < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
