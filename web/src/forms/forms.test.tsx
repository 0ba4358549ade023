import { act, screen, waitFor } from '@testing-library/react';
import { Form, Input, InputNumber } from 'antd';
import type { FormInstance } from 'antd';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import zh from '../locales/zh-CN';
import { renderPage } from '../test/render';
import { normalizeCode, normalizeNumber, normalizeText, normalizeUscc, parseNumberInput } from './normalize';
import { applyServerErrors, issueText, namePathOf } from './serverErrors';

const t = (key: keyof typeof zh, vars?: Record<string, string | number>) => {
  let s = zh[key];
  for (const [k, v] of Object.entries(vars ?? {})) s = s.split(`{${k}}`).join(String(v));
  return s;
};

// The shape the server sends (server/http/errors.plugin.ts), as seen for a real 400.
const invalid = (details: object[]) => new ApiError(400, 'REQUEST.INVALID', '请求参数不符合要求', details);

describe('server field errors said in Chinese on the form', () => {
  it('reads the request path as a form name path', () => {
    expect(namePathOf('body.departments.0.ratio')).toEqual(['departments', 0, 'ratio']);
    expect(namePathOf('querystring.pageSize')).toEqual(['pageSize']);
  });

  it('says bounds, the allowed range where the form states it, and missing values', () => {
    expect(issueText({ path: 'body.windowDays', code: 'too_big', maximum: 31, origin: 'number' }, t)).toBe('不能大于 31');
    expect(issueText({ path: 'body.windowDays', code: 'too_big', maximum: 31, origin: 'number' }, t, [1, 31, '天'])).toBe('允许范围 1–31 天');
    expect(issueText({ path: 'body.name', code: 'too_small', minimum: 1, origin: 'string' }, t)).toBe('必填');
    expect(issueText({ path: 'body.qty', code: 'invalid_type', message: 'Invalid input: expected number, received undefined' }, t)).toBe('必填');
    expect(issueText({ path: 'body.x', code: 'unrecognized_keys', keys: ['a', 'b'] }, t)).toBe('不认识的字段：a、b');
  });

  it('puts each error on its field and returns the ones no field shows', async () => {
    let form: FormInstance | undefined;
    function Probe() {
      const [f] = Form.useForm();
      form = f;
      return (
        <Form form={f}>
          <Form.Item name="windowDays" label="公示期">
            <InputNumber />
          </Form.Item>
          <Form.Item name={['people', 0, 'staffNo']} label="工号">
            <Input />
          </Form.Item>
        </Form>
      );
    }
    renderPage(<Probe />);
    let unplaced: unknown[] = [];
    act(() => {
      unplaced = applyServerErrors(
        form!,
        invalid([
          { path: 'body.windowDays', code: 'too_big', maximum: 31, origin: 'number' },
          { path: 'body.people.0.staffNo', code: 'too_small', minimum: 1, origin: 'string' },
          { path: 'body', code: 'custom', message: 'whole body' },
        ]),
        t,
        { ranges: { windowDays: [1, 31, '天'] } },
      );
    });
    await waitFor(() => expect(screen.getByText('允许范围 1–31 天')).toBeTruthy());
    expect(screen.getByText('必填')).toBeTruthy();
    expect(form!.getFieldError(['people', 0, 'staffNo'])).toEqual(['必填']);
    expect(unplaced).toEqual([expect.objectContaining({ path: 'body' })]);
  });
});

describe('form input normalised as the imports read it', () => {
  it('makes full-width 工号, USCC and amounts half-width', () => {
    expect(normalizeCode('４４１１００１４')).toBe('44110014');
    expect(normalizeUscc('９１４４０６０４ｍａ４ｕｈ１２３４ｘ')).toBe('91440604MA4UH1234X');
    expect(normalizeNumber('１２．５')).toBe('12.5');
    expect(normalizeNumber(12)).toBe(12);
    expect(parseNumberInput('１，２３４．５')).toBe('1234.5');
  });

  it('keeps one trailing blank of a name while it is typed, and CJK punctuation', () => {
    expect(normalizeText('Ｆｏｓｈａｎ　')).toBe('Foshan ');
    expect(normalizeText('  佛山分行（营业部）  ')).toBe('佛山分行（营业部） ');
    expect(normalizeText('   ')).toBe('');
  });
});
