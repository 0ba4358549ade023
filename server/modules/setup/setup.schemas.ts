import { z } from 'zod';
import { codeText, freeText } from '../../../shared/normalize.js';

/** The first run's input: the bank (root of the org tree) and its first administrator. */
export const SetupBody = z.strictObject({
  /** The root node's name, e.g. 示范商业银行广东省分行; also the bank.name setting. */
  bankName: z.string().transform(freeText).pipe(z.string().min(1).max(100)),
  /** The root node's 机构号 (letters and digits). */
  bankCode: z
    .string()
    .transform(codeText)
    .pipe(z.string().regex(/^[A-Za-z0-9]{1,20}$/))
    .optional(),
  /** The administrator's 工号 (the sign-in name). */
  adminStaffNo: z
    .string()
    .transform(codeText)
    .pipe(z.string().regex(/^[A-Za-z0-9_]{1,32}$/)),
  adminName: z.string().transform(freeText).pipe(z.string().min(1).max(50)).optional(),
  /** The administrator's own password; without one a one-time password is made and returned. */
  password: z.string().min(1).max(256).optional(),
});
export type SetupInput = z.input<typeof SetupBody>;

export const SetupState = z.object({
  /** Users exist: the setup page is closed. */
  installed: z.boolean(),
  /** The database holds the demo bank. */
  demo: z.boolean(),
});

export const SetupResult = z.object({
  nodeId: z.number(),
  staffId: z.number(),
  staffNo: z.string(),
  /** Present only when no password was given: shown once, to be changed at first sign-in. */
  oneTimePassword: z.string().optional(),
});
