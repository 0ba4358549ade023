import { describe, expect, it } from 'vitest';
import { cleanMobile, expiryOf, leadsFor, normaliseAnswers, type SurveyAnswers, signToken, TOKEN_PATTERN, verifyToken } from './surveys.rules.js';

const secret = 'test-secret-0123456789';
const now = new Date('2026-12-01T02:00:00Z');
const base: SurveyAnswers = { interests: [], loanIntent: 'none', loanHorizon: null, investBand: 'none', contactTime: 'any', note: null };

describe('survey tokens', () => {
  it('signs and verifies a token, short enough for a QR code', () => {
    const exp = expiryOf(now, 14);
    const t = signToken(secret, 123, exp);
    expect(t).toMatch(TOKEN_PATTERN);
    expect(t.length).toBeLessThan(45);
    expect(verifyToken(secret, t, now)).toEqual({ ok: true, id: 123, expiresAt: exp, expired: false });
  });

  it('refuses a changed id, expiry or signature, another secret and garbage', () => {
    const t = signToken(secret, 7, expiryOf(now, 14));
    const [id, exp, sig] = t.split('.');
    expect(verifyToken(secret, `8.${exp}.${sig}`, now).ok).toBe(false);
    expect(verifyToken(secret, `${id}.${(parseInt(exp, 36) + 999).toString(36)}.${sig}`, now).ok).toBe(false);
    expect(verifyToken(secret, `${id}.${exp}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, now).ok).toBe(false);
    expect(verifyToken('other-secret', t, now).ok).toBe(false);
    for (const bad of ['', 'x', '1.2', `${t}x`, '../../etc', `${id}.${exp}.${'A'.repeat(22)}`]) expect(verifyToken(secret, bad, now).ok).toBe(false);
  });

  it('expires at the expiry to the second, and says so only for a genuine token', () => {
    const exp = expiryOf(now, 14);
    const t = signToken(secret, 9, exp);
    expect(verifyToken(secret, t, new Date(exp.getTime() - 1000))).toMatchObject({ ok: true, expired: false });
    expect(verifyToken(secret, t, exp)).toMatchObject({ ok: true, expired: true });
    expect(exp.getTime() - now.getTime()).toBe(14 * 86_400_000);
  });
});

describe('leads from answers', () => {
  it('makes no lead without consent', () => {
    expect(leadsFor({ ...base, loanIntent: 'mortgage', loanHorizon: '3m', investBand: 'gte600' }, false)).toEqual([]);
  });

  it('a mortgage wanted within 6 months is a mortgage lead; later is not', () => {
    expect(leadsFor({ ...base, loanIntent: 'mortgage', loanHorizon: '6m' }, true).map((l) => l.productCode)).toEqual(['MORTGAGE']);
    expect(leadsFor({ ...base, loanIntent: 'mortgage', loanHorizon: '12m' }, true)).toEqual([]);
    expect(leadsFor({ ...base, loanIntent: 'consumer', loanHorizon: '3m' }, true).map((l) => l.productCode)).toEqual(['CONSUMER']);
  });

  it('investment interest is one wealth lead (private banking from ¥6m); insurance and cards their own', () => {
    expect(leadsFor({ ...base, investBand: '10to50', interests: ['WMP', 'FUND'] }, true).map((l) => l.productCode)).toEqual(['WMP']);
    expect(leadsFor({ ...base, investBand: 'gte600', interests: ['WMP'] }, true).map((l) => l.productCode)).toEqual(['PBWMP']);
    expect(leadsFor({ ...base, investBand: 'lt10', interests: ['PENSION', 'CREDIT', 'MBANK'] }, true).map((l) => l.productCode)).toEqual(['INS', 'CREDIT']);
    expect(leadsFor(base, true)).toEqual([]);
  });

  it('drops the horizon without a loan intent, trims the note, and cleans a mobile number', () => {
    expect(normaliseAnswers({ ...base, loanHorizon: '3m', note: '  ', interests: ['WMP', 'WMP'] })).toEqual({ ...base, interests: ['WMP'] });
    expect(cleanMobile('138 0013-8000')).toBe('13800138000');
    expect(cleanMobile('12345')).toBeNull();
    expect(cleanMobile('23800138000')).toBeNull();
  });
});
