import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passwordViolations } from '../auth/password.rules.js';
import { ONE_TIME_PASSWORD_LENGTH, oneTimePassword } from './setup.rules.js';

describe('oneTimePassword', () => {
  it('meets the password policy for any bytes and any 工号 of digits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: ONE_TIME_PASSWORD_LENGTH, maxLength: ONE_TIME_PASSWORD_LENGTH }), fc.stringMatching(/^\d{6,10}$/), (bytes, staffNo) => {
        const pw = oneTimePassword(bytes);
        expect(pw).toHaveLength(ONE_TIME_PASSWORD_LENGTH);
        expect(passwordViolations(pw, staffNo)).toEqual([]);
        expect(pw).not.toMatch(/[0O1lI]/);
      }),
    );
  });

  it('is read from the bytes (same bytes, same password) and needs enough of them', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    expect(oneTimePassword(bytes)).toBe(oneTimePassword(Uint8Array.from(bytes)));
    expect(oneTimePassword(bytes)).toBe('ATk5NpyHat4Vn7Q+');
    expect(() => oneTimePassword(new Uint8Array(4))).toThrow(/random bytes/);
  });
});
