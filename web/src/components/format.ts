import dayjs from 'dayjs';

/** Dates as the bank writes them: 2026-11-22. */
export function fmtDate(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD') : '-';
}

/** 2026-11-22 14:05:09 */
export function fmtDateTime(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD HH:mm:ss') : '-';
}
