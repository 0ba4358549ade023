import type { MessageKey } from '../locales';

/** The bank's password policy, the same as the server's (server/modules/auth/password.rules.ts). */
export function passwordProblems(password: string, staffNo: string): MessageKey[] {
  const out: MessageKey[] = [];
  if (password.length < 10) out.push('password.ruleLength');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) out.push('password.ruleClasses');
  if (staffNo && password.toLowerCase().includes(staffNo.toLowerCase())) out.push('password.ruleNoStaffNo');
  return out;
}
