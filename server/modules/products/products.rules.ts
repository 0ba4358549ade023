/**
 * Products' pure rules (SPEC §6): unit scores as exact decimals, effective-dated versions.
 * No database, no clock.
 */
import { scaleDecimal } from '../imports/normalize.js';
import { addDays } from '../../calendar/index.js';

/** A decimal with at most `places` decimals, scaled to an integer (never a binary float). */
export function parseFixed(input: string | number, places: number): number | undefined {
  const s = (typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input).trim().replace(/%$/, '').trim();
  if (!/^\+?\d*(\.\d*)?$/.test(s) || /e/i.test(s)) return undefined;
  return scaleDecimal(s, places);
}

/** A unit score "12.50" → 1250 hundredths; ≥ 0, two decimals at most, below 10 million points. */
export function parseScore(input: string | number): number | undefined {
  const h = parseFixed(input, 2);
  if (h === undefined || h < 0 || h >= 1_000_000_000) return undefined;
  return h;
}

/** Integer hundredths → "12.50" (also used for percentages in basis points: 6000 → "60.00"). */
export function formatHundredths(h: number): string {
  const sign = h < 0 ? '-' : '';
  const a = Math.abs(h);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Ten-thousandths → the shortest decimal: 15000 → "1.5", 20000 → "2". */
export function formatScaled(n: number, places: number): string {
  const base = 10 ** places;
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  const frac = String(a % base)
    .padStart(places, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(a / base)}${frac ? `.${frac}` : ''}`;
}

export interface ScoreVersion {
  effectiveFrom: string;
}

/** SPEC §6: the version in force on `day` — the latest `effectiveFrom` on or before it. */
export function versionInForce<V extends ScoreVersion>(versions: readonly V[], day: string): V | undefined {
  let best: V | undefined;
  for (const v of versions) if (v.effectiveFrom <= day && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}

/** The day before an ISO date (a version's last day is the day before the next one starts). */
export const dayBefore = (day: string): string => addDays(day, -1);

/** True for a real calendar day written YYYY-MM-DD. */
export function isIsoDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
