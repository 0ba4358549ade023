/**
 * The bank's password policy (issue 2 §5, docs/decisions/0003-sessions-and-csrf.md; SPEC §14 asks for
 * permissions to be audited, not for a policy, so the rule lives in the decision note).
 * Each violation is a stable code the console translates.
 */
export const PASSWORD_MIN_LENGTH = 10;

export type PasswordViolation = 'too_short' | 'too_simple' | 'contains_username' | 'too_long';

export const PASSWORD_VIOLATION_TEXT: Record<PasswordViolation, { zh: string; en: string }> = {
  too_short: { zh: `密码长度至少 ${PASSWORD_MIN_LENGTH} 位`, en: `At least ${PASSWORD_MIN_LENGTH} characters` },
  too_long: { zh: '密码长度不能超过 128 位', en: 'At most 128 characters' },
  too_simple: { zh: '须包含大写字母、小写字母、数字、符号中的至少三类', en: 'Use three of: upper case, lower case, digits, symbols' },
  contains_username: { zh: '密码不能包含工号', en: 'The password must not contain the staff number' },
};

/** Checks a new password against the policy; an empty list means it is acceptable. */
export function passwordViolations(password: string, staffNo: string): PasswordViolation[] {
  const out: PasswordViolation[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) out.push('too_short');
  if (password.length > 128) out.push('too_long');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) out.push('too_simple');
  if (staffNo && password.toLowerCase().includes(staffNo.toLowerCase())) out.push('contains_username');
  return out;
}
