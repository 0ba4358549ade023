import type { Translate } from '../locales';

/** '2026-10' → 2026年10月 / 2026-10. */
export function monthText(t: Translate, month: string): string {
  return t('period.monthText', { y: month.slice(0, 4), m: Number(month.slice(5, 7)) });
}
