import { z } from 'zod';
import { IdIn } from '../../http/ids.js';

/** Request bodies of /api/supplychain (SPEC §12). Money in integer fen, ratios in basis points. */

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Text = (max: number) => z.string().trim().min(1).max(max);
const Fen = z.number().int().min(1).max(1e13);
const Bp = z.number().int().min(1).max(10000);

export const ProgrammeBody = z
  .strictObject({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/),
    name: Text(80),
    enterpriseName: Text(80),
    enterpriseUscc: z
      .string()
      .trim()
      .regex(/^[0-9A-Z]{18}$/)
      .nullable()
      .default(null),
    nodeId: IdIn,
    ownerStaffId: IdIn.nullable().default(null),
    agreementNo: Text(40),
    guaranteeNo: Text(40),
    signedOn: Day,
    totalCapFen: Fen.default(40_000_000_000),
    householdCapFen: Fen.default(200_000_000),
    orderRatioBp: Bp.default(3000),
    marginBp: z.number().int().min(0).max(10000).default(500),
    warnBp: Bp.default(200),
    suspendBp: Bp.default(300),
    toleranceBp: z.number().int().min(0).max(10000).default(500),
    maxTermMonths: z.number().int().min(1).max(12).default(12),
    nplOverdueDays: z.number().int().min(1).max(3650).default(90),
  })
  .refine((b) => b.warnBp <= b.suspendBp, { path: ['warnBp'], message: 'the warning line is above the suspension line' });
export type ProgrammeBody = z.infer<typeof ProgrammeBody>;

export const ProgrammePatch = z.strictObject({
  totalCapFen: Fen.optional(),
  householdCapFen: Fen.optional(),
  orderRatioBp: Bp.optional(),
  marginBp: z.number().int().min(0).max(10000).optional(),
  warnBp: Bp.optional(),
  suspendBp: Bp.optional(),
  toleranceBp: z.number().int().min(0).max(10000).optional(),
  maxTermMonths: z.number().int().min(1).max(12).optional(),
  nplOverdueDays: z.number().int().min(1).max(3650).optional(),
});
export type ProgrammePatch = z.infer<typeof ProgrammePatch>;

export const DecisionBody = z.strictObject({ note: z.string().trim().max(200).nullable().default(null) });
export const RejectBody = z.strictObject({ note: Text(200) });

export const DrawBody = z.strictObject({
  loanNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/),
  amountFen: Fen,
  drawnOn: Day,
  maturityOn: Day,
});
export type DrawBody = z.infer<typeof DrawBody>;

export const ReassessBody = z.strictObject({ reason: Text(500) });
export const ReassessDecision = z.strictObject({ approve: z.boolean(), note: Text(200) });
