import { describe, expect, it } from 'vitest';
import { inputUnitOf, parseThreshold, thresholdText } from './threshold';

describe('an indicator threshold typed and stored', () => {
  it('takes 元 with two decimals at most into 分, exactly', () => {
    expect(parseThreshold('threshold', 'fen', '1,000,000')).toBe(100_000_000);
    expect(parseThreshold('threshold', 'fen', '0.29')).toBe(29); // 0.29 × 100 is 28.999… as a float
    expect(parseThreshold('threshold', 'fen', '1234.5')).toBe(123_450);
    expect(parseThreshold('threshold', 'fen', '1.234')).toBeNull();
    expect(parseThreshold('threshold', 'fen', '-5')).toBeNull();
    expect(parseThreshold('threshold', 'fen', '五千')).toBeNull();
    expect(thresholdText('threshold', 'fen', 123_450)).toBe('1234.5');
    expect(thresholdText('threshold', 'fen', 29)).toBe('0.29');
  });

  it('takes a change as a percentage into basis points, a fall as negative', () => {
    expect(parseThreshold('change', 'fen', '-50')).toBe(-5000);
    expect(parseThreshold('change', 'fen', '-12.5')).toBe(-1250);
    expect(parseThreshold('change', 'count', '30.05')).toBe(3005);
    expect(parseThreshold('change', 'fen', '-0')).toBe(0);
    expect(parseThreshold('change', 'fen', '-12.505')).toBeNull();
    expect(thresholdText('change', 'fen', -5000)).toBe('-50');
    expect(thresholdText('change', 'fen', -1250)).toBe('-12.5');
    expect(thresholdText('change', 'fen', 5)).toBe('0.05');
  });

  it('takes days and counts as whole numbers; a yes/no event has none', () => {
    expect(parseThreshold('threshold', 'days', '30')).toBe(30);
    expect(parseThreshold('threshold', 'days', '1.5')).toBeNull();
    expect(parseThreshold('threshold', 'count', '')).toBeNull();
    expect(thresholdText('threshold', 'count', 6)).toBe('6');
    expect(inputUnitOf('boolean', 'flag')).toBeNull();
    expect(parseThreshold('boolean', 'flag', '1')).toBeNull();
    expect(thresholdText('boolean', 'flag', null)).toBe('');
  });
});
