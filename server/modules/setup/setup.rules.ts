/**
 * Pure rules of the first run: the one-time password's shape, from random bytes the caller draws.
 * Letters and digits that cannot be misread on paper (no 0/O, 1/l/I), and a symbol, so it meets
 * the password policy (three classes, 10+ characters) whatever the bytes are.
 */
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '@#%+=?';
const ALL = UPPER + LOWER + DIGITS;

/** The length of a one-time password. */
export const ONE_TIME_PASSWORD_LENGTH = 16;

/**
 * A one-time password from `ONE_TIME_PASSWORD_LENGTH` random bytes: one upper-case letter, one
 * lower-case, one digit and one symbol at fixed places, the rest from the letters and digits.
 * (The modulo bias of 256 over 56 characters costs well under a bit of the ~90 bits.)
 */
export function oneTimePassword(bytes: Uint8Array): string {
  if (bytes.length < ONE_TIME_PASSWORD_LENGTH) throw new Error(`need ${ONE_TIME_PASSWORD_LENGTH} random bytes`);
  const pick = (alphabet: string, b: number) => alphabet[b % alphabet.length];
  const out: string[] = [];
  for (let i = 0; i < ONE_TIME_PASSWORD_LENGTH; i++) {
    if (i === 0) out.push(pick(UPPER, bytes[i]));
    else if (i === 5) out.push(pick(LOWER, bytes[i]));
    else if (i === 10) out.push(pick(DIGITS, bytes[i]));
    else if (i === 15) out.push(pick(SYMBOLS, bytes[i]));
    else out.push(pick(ALL, bytes[i]));
  }
  return out.join('');
}
