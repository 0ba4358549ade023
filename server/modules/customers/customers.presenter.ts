import { maskIdNumber, maskPhoneNumber } from './ids.rules.js';

/**
 * What leaves the server about a client is shaped here, and only here: ID and phone numbers are
 * masked in every list, detail, export and audit entry. The one exception is the audited reveal.
 */

/** 分 → 元 as an exact decimal string: 123456 → '1234.56', -5 → '-0.05'. Never a float. */
export function fenToYuan(fen: number | null | undefined): string | null {
  if (fen === null || fen === undefined) return null;
  const neg = fen < 0;
  const abs = String(Math.abs(fen)).padStart(3, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/** The masked ID number; never null in output (the column is not null). */
export const presentIdNumber = (id: string): string => maskIdNumber(id) ?? '';
export const presentPhone = (phone: string | null): string | null => maskPhoneNumber(phone);

/** A date column as 'YYYY-MM-DD'. The drivers return DATE as that text (db/client.ts); a Date here is a workbook's cell, which exceljs gives at UTC midnight. */
export function isoDate(v: string | Date | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  // exceljs reads a date cell as UTC midnight of that day, so the UTC date is the written day.
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

interface PersonRowIn {
  id: number;
  name: string;
  gender: 'M' | 'F' | null;
  birthDate: string | Date | null;
  idNumber: string;
  phone: string | null;
  nodeId: number;
  nodeName: string;
  dedicatedAmId: number | null;
  dedicatedAmName: string | null;
  aumFen: number | string;
  vipTier: string | null;
}

/** An individual as the API shows it. */
export function presentPerson(r: PersonRowIn) {
  const aumFen = Number(r.aumFen);
  return {
    id: r.id,
    name: r.name,
    gender: r.gender,
    birthDate: isoDate(r.birthDate),
    idNumber: presentIdNumber(r.idNumber),
    phone: presentPhone(r.phone),
    nodeId: r.nodeId,
    nodeName: r.nodeName,
    dedicatedAmId: r.dedicatedAmId,
    dedicatedAmName: r.dedicatedAmName,
    aumFen,
    aum: fenToYuan(aumFen)!,
    vipTier: r.vipTier,
  };
}

/** An individual as the audit log keeps it: masked numbers. */
export function auditablePerson(r: { idNumber: string; name: string; phone: string | null; nodeId: number; dedicatedAmId: number | null; aumFen: number; vipTier: string | null }) {
  return {
    idNumber: presentIdNumber(r.idNumber),
    name: r.name,
    phone: presentPhone(r.phone),
    nodeId: r.nodeId,
    dedicatedAmId: r.dedicatedAmId,
    aumFen: r.aumFen,
    vipTier: r.vipTier,
  };
}
