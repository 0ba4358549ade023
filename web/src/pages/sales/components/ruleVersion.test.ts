import { describe, expect, it } from 'vitest';
import en from '../../../locales/en';
import zh from '../../../locales/zh-CN';
import type { MessageKey } from '../../../locales';
import { ruleVersionText } from './ruleVersion';

const tr =
  (map: Record<string, string>) =>
  (key: MessageKey, vars: Record<string, string | number> = {}) =>
    map[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));

describe('the rule trace in words', () => {
  it('says which score and split rule a line used, and drops the mortgage part for other products', () => {
    expect(ruleVersionText('score:3|split:2000-01-01|mortgage:n/a', tr(zh))).toBe('单位分值第 3 版 · 分成规则自 2000-01-01 起');
    expect(ruleVersionText('score:none|split:default|mortgage:pass', tr(zh))).toBe('无单位分值 · 默认分成规则 · 按揭楼盘达标');
  });

  it('names a voided mortgage with its households', () => {
    expect(ruleVersionText('score:7|split:2026-01-01|mortgage:void:12/100', tr(zh))).toBe('单位分值第 7 版 · 分成规则自 2026-01-01 起 · 按揭楼盘未达标（本行 12 户 / 共 100 户），积分作废');
    expect(ruleVersionText('score:7|split:2026-01-01|mortgage:void:no_figures', tr(en))).toBe(
      'Unit score version 7 · Split rule from 2026-01-01 · No household figures for the development: points voided',
    );
  });

  it('keeps what it does not know and shows a dash for nothing', () => {
    expect(ruleVersionText('score:1|future:x', tr(zh))).toBe('单位分值第 1 版 · future:x');
    expect(ruleVersionText(null, tr(zh))).toBe('-');
  });
});
