import { makeIdNumber, usccCheckChar } from '../customers/ids.rules.js';

/**
 * Valid identifiers for the demo, the tests and the benchmark (not a test itself): a 个体工商户
 * USCC (registration type 92) or a 居民身份证号 built from a number, each with its check character.
 */
export function fakeUscc(n: number, region = '440604'): string {
  const body = `92${region}${String(n).padStart(9, '0')}`;
  return body + usccCheckChar(body)!;
}

export function fakeIdNo(n: number, region = '440604'): string {
  const year = 1960 + (n % 40);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  return makeIdNumber(region, `${year}-${month}-${day}`, n % 1000);
}
