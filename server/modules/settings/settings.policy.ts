import { assertBankWide, type AuthContext } from '../access/context.js';

/**
 * Settings and roles apply to every branch: changing them needs settings.write held at province
 * level or above (issue 10, finding 1), 403 AUTH.BANK_WIDE_REQUIRED otherwise.
 */
export function assertSettingsWriter(auth: AuthContext): void {
  assertBankWide(auth, 'settings.write');
}
