/** Dates as the bank writes them: 2026-11-22. A bare date stays as written; an instant is its Beijing day. */
export function fmtDate(v: string | Date | null | undefined): string {
  if (!v) return '-';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  return fmtBeijing(v).slice(0, 10);
}

const BEIJING_MS = 8 * 3600_000;

/**
 * 2026-12-02 23:59:59 in Beijing time, whatever the browser's zone (issue 12 rule 7): the one way
 * the console shows an instant — the bank's day and the publication window's deadline are
 * Beijing's (server/calendar).
 */
export function fmtBeijing(v: string | Date | null | undefined): string {
  if (!v) return '-';
  const ms = typeof v === 'string' ? Date.parse(v) : v.getTime();
  if (Number.isNaN(ms)) return '-';
  return new Date(ms + BEIJING_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Today in Beijing, 2026-12-05, whatever the browser's zone (between 00:00 and 08:00 Beijing, UTC is still yesterday). */
export function beijingToday(): string {
  return new Date(Date.now() + BEIJING_MS).toISOString().slice(0, 10);
}

/** This month in Beijing ('2026-12'), or `offset` months from it ('2026-11' for -1). */
export function beijingMonth(offset = 0): string {
  const [y, m] = beijingToday().split('-').map(Number);
  const i = y * 12 + (m - 1) + offset;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Integer hundredths (points, basis points as %) → "85.00", "-1.05": integer digits, never a float. */
export function hundredthsText(v: number): string {
  const a = Math.abs(v);
  return `${v < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
