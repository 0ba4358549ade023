import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, DatePicker, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useMe } from '../../api/auth';
import { useAddSplitRule, useSettings, useSplitRules, useUpdateSetting } from '../../api/settings';
import type { SplitRule } from '../../api/contract';
import type { Setting } from '../../api/types';
import { accessOf } from '../../access';
import { beijingToday, fmtBeijing } from '../../format';
import { parseNumberInput, normalizeText } from '../../forms/normalize';
import { fieldIssuesOf, issueText, type Range } from '../../forms/serverErrors';
import { type MessageKey, useI18n } from '../../locales';
import { quietly } from '../../components/quietly';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A list of days, sorted and each once (the holidays and make-up working days). */
const daysOf = (v: unknown): string[] => (Array.isArray(v) ? [...new Set(v.filter((d): d is string => typeof d === 'string' && DAY.test(d)))].sort() : []);

/** The unit a number setting is counted in, said with its allowed range (公示期 1–31 天). */
const UNIT_OF: Record<string, MessageKey> = { 'publication.windowDays': 'settings.unit.days', 'import.maxRows': 'settings.unit.rows', 'pii.revealsPerHour': 'settings.unit.times' };

/** A list of days as removable tags, and a date picker that adds one. Never JSON. */
function DaysEditor({ value, onChange }: { value: string[]; onChange: (days: string[]) => void }) {
  const { t } = useI18n();
  const [picks, setPicks] = useState(0);
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      <Space size={[4, 8]} wrap data-testid="setting-days">
        {value.length === 0 && <Typography.Text type="secondary">{t('settings.noDates')}</Typography.Text>}
        {value.map((d) => (
          <Tag key={d} closable onClose={() => onChange(value.filter((x) => x !== d))} data-testid={`setting-day-${d}`}>
            {d}
          </Tag>
        ))}
      </Space>
      {/* Remounted after each pick, so its text is cleared for the next day. */}
      <DatePicker
        key={picks}
        value={null}
        placeholder={t('settings.addDate')}
        format="YYYY-MM-DD"
        data-testid="setting-day-add"
        onChange={(d: Dayjs | null) => {
          setPicks((n) => n + 1);
          if (d) onChange(daysOf([...value, d.format('YYYY-MM-DD')]));
        }}
      />
    </Space>
  );
}

/** The value as a person reads it: a number, a line of text, or the days as tags. */
function SettingValue({ s }: { s: Setting }) {
  const { t } = useI18n();
  if (s.control.kind === 'dates') {
    const days = daysOf(s.value);
    return days.length === 0 ? (
      <Typography.Text type="secondary">{t('settings.noDates')}</Typography.Text>
    ) : (
      <Space size={[4, 8]} wrap>
        {days.map((d) => (
          <Tag key={d}>{d}</Tag>
        ))}
      </Space>
    );
  }
  return <Typography.Text strong>{typeof s.value === 'number' || typeof s.value === 'string' ? String(s.value) : ''}</Typography.Text>;
}

/** 系统参数: bank-wide configuration (publication window, calendar …) and the split rules. */
export default function SettingsPage() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const canWrite = accessOf(me).canWriteSettings;
  const settings = useSettings();
  const update = useUpdateSetting();
  const [editing, setEditingState] = useState<{ key: string; value: unknown } | null>(null);
  // The server's refusal of the value being edited, said under the field (never a toast).
  const [error, setError] = useState<string | null>(null);
  const setEditing = (v: { key: string; value: unknown } | null) => {
    setEditingState(v);
    setError(null);
  };
  const rangeOf = (s: Setting): Range | undefined =>
    s.control.kind === 'number' && s.control.min != null && s.control.max != null ? [s.control.min, s.control.max, UNIT_OF[s.key] ? t(UNIT_OF[s.key]) : ''] : undefined;

  const editingSetting = settings.data?.find((s) => s.key === editing?.key);
  const valid = (() => {
    if (!editing || !editingSetting) return false;
    const c = editingSetting.control;
    if (c.kind === 'number') return typeof editing.value === 'number' && (c.min == null || editing.value >= c.min) && (c.max == null || editing.value <= c.max);
    if (c.kind === 'text') return typeof editing.value === 'string' && editing.value.trim() !== '';
    return Array.isArray(editing.value);
  })();

  const save = async () => {
    if (!editing || !valid) return;
    try {
      await update.mutateAsync({ key: editing.key, value: editingSetting?.control.kind === 'dates' ? daysOf(editing.value) : editing.value });
    } catch (e) {
      const issues = fieldIssuesOf(e);
      const range = editingSetting ? rangeOf(editingSetting) : undefined;
      setError(issues.length ? issues.map((i) => issueText(i, t, range)).join('；') : (e as Error).message);
      return;
    }
    message.success(t('common.saved'));
    setEditing(null);
  };

  const editor = (s: Setting) => {
    const c = s.control;
    if (c.kind === 'number')
      return (
        <Space direction="vertical" size={2}>
          <InputNumber
            value={editing!.value as number | null}
            min={c.min ?? undefined}
            max={c.max ?? undefined}
            precision={0}
            parser={parseNumberInput}
            status={error ? 'error' : undefined}
            onChange={(v) => setEditing({ key: s.key, value: v })}
            style={{ width: 200 }}
            data-testid="setting-number"
            autoFocus
          />
          {error ? (
            <Typography.Text type="danger" data-testid="setting-error">
              {error}
            </Typography.Text>
          ) : (
            c.min != null && c.max != null && <Typography.Text type="secondary">{t('forms.range', { min: c.min, max: c.max, unit: UNIT_OF[s.key] ? t(UNIT_OF[s.key]) : '' }).trim()}</Typography.Text>
          )}
        </Space>
      );
    if (c.kind === 'text')
      return (
        <Space direction="vertical" size={2}>
          <Input
            value={editing!.value as string}
            maxLength={c.maxLength ?? undefined}
            status={error ? 'error' : undefined}
            onChange={(e) => setEditing({ key: s.key, value: normalizeText(e.target.value) })}
            style={{ width: 300 }}
            data-testid="setting-text"
            autoFocus
          />
          {error ? (
            <Typography.Text type="danger" data-testid="setting-error">
              {error}
            </Typography.Text>
          ) : null}
        </Space>
      );
    return <DaysEditor value={daysOf(editing!.value)} onChange={(days) => setEditing({ key: s.key, value: days })} />;
  };

  return (
    <PageContainer title={t('settings.title')} subTitle={t('settings.subtitle')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Table<Setting>
          rowKey="key"
          loading={settings.isLoading}
          dataSource={settings.data ?? []}
          pagination={false}
          bordered
          columns={[
            { title: t('settings.label'), key: 'label', width: 300, render: (_, s) => pick(s.labelZh, s.labelEn) },
            {
              title: t('settings.value'),
              key: 'value',
              render: (_, s) => (editing?.key === s.key ? editor(s) : <SettingValue s={s} />),
            },
            { title: t('settings.updatedAt'), dataIndex: 'updatedAt', width: 180, render: (v: string | null) => fmtBeijing(v) },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 150,
                    render: (_: unknown, s: Setting) =>
                      editing?.key === s.key ? (
                        <Space>
                          <Button type="link" size="small" loading={update.isPending} disabled={!valid} onClick={quietly(save)} data-testid="setting-save">
                            {t('common.save')}
                          </Button>
                          <Button type="link" size="small" onClick={() => setEditing(null)}>
                            {t('common.cancel')}
                          </Button>
                        </Space>
                      ) : (
                        <Button
                          type="link"
                          size="small"
                          data-testid={`setting-edit-${s.key}`}
                          onClick={() => setEditing({ key: s.key, value: s.control.kind === 'dates' ? daysOf(s.value) : s.value })}
                        >
                          {t('common.edit')}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
        <SplitRules canConfigure={accessOf(me).canAddSplitRule} />
      </Space>
    </PageContainer>
  );
}

const pct = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;

/** 积分分成规则: the effective-dated host/participants split (SPEC §7), listed, and added by holders of scoring.configure. */
function SplitRules({ canConfigure }: { canConfigure: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const rules = useSplitRules();
  const add = useAddSplitRule();
  const today = beijingToday();
  const [from, setFrom] = useState<string | null>(null);
  const [host, setHost] = useState<number | null>(null);
  const [participants, setParticipants] = useState<number | null>(null);

  // Shares in basis points, so 33.33 + 66.67 adds up exactly.
  const hostBp = host == null ? null : Math.round(host * 100);
  const participantsBp = participants == null ? null : Math.round(participants * 100);
  const sumBp = (hostBp ?? 0) + (participantsBp ?? 0);
  const filled = from != null && hostBp != null && participantsBp != null;
  const pastDate = from != null && from < today;
  const ok = filled && !pastDate && sumBp === 10000;

  const submit = async () => {
    if (!ok) return;
    await add.mutateAsync({ effectiveFrom: from, hostBp: hostBp!, participantsBp: participantsBp! });
    message.success(t('settings.split.added'));
    setFrom(null);
    setHost(null);
    setParticipants(null);
  };

  return (
    <Card title={t('settings.split.title')} data-testid="split-rules">
      <Typography.Paragraph type="secondary">{t('settings.split.hint')}</Typography.Paragraph>
      <Table<SplitRule>
        rowKey="effectiveFrom"
        size="small"
        loading={rules.isLoading}
        dataSource={rules.data ?? []}
        pagination={false}
        bordered
        columns={[
          { title: t('settings.split.from'), dataIndex: 'effectiveFrom', width: 140 },
          { title: t('settings.split.host'), dataIndex: 'hostBp', width: 140, render: (bp: number) => pct(bp) },
          { title: t('settings.split.participants'), dataIndex: 'participantsBp', width: 140, render: (bp: number) => pct(bp) },
          { title: t('settings.split.createdBy'), key: 'by', render: (_, r) => (r.createdBy == null ? t('settings.split.initial') : (r.createdByName ?? '')) },
          { title: t('settings.split.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => fmtBeijing(v) },
        ]}
      />
      {canConfigure && (
        <div style={{ marginTop: 16 }} data-testid="split-rule-form">
          <Typography.Title level={5}>{t('settings.split.add')}</Typography.Title>
          <Space wrap align="start" size={16}>
            <Space direction="vertical" size={2}>
              <Typography.Text>{t('settings.split.from')}</Typography.Text>
              <DatePicker
                value={from ? dayjs(from) : null}
                format="YYYY-MM-DD"
                disabledDate={(d) => d.format('YYYY-MM-DD') < today}
                onChange={(d) => setFrom(d ? d.format('YYYY-MM-DD') : null)}
                data-testid="split-from"
              />
            </Space>
            <Space direction="vertical" size={2}>
              <Typography.Text>{t('settings.split.host')}</Typography.Text>
              <InputNumber value={host} min={0} max={100} suffix="%" onChange={setHost} style={{ width: 150 }} data-testid="split-host" />
            </Space>
            <Space direction="vertical" size={2}>
              <Typography.Text>{t('settings.split.participants')}</Typography.Text>
              <InputNumber value={participants} min={0} max={100} suffix="%" onChange={setParticipants} style={{ width: 150 }} data-testid="split-participants" />
            </Space>
          </Space>
          <div style={{ marginTop: 12 }}>
            <Space>
              <Button type="primary" disabled={!ok} loading={add.isPending} onClick={quietly(submit)} data-testid="split-save">
                {t('common.save')}
              </Button>
              {pastDate ? (
                <Typography.Text type="danger">{t('settings.split.pastDate')}</Typography.Text>
              ) : hostBp != null && participantsBp != null && sumBp !== 10000 ? (
                <Typography.Text type="danger" data-testid="split-not100">
                  {t('settings.split.not100', { sum: sumBp / 100 })}
                </Typography.Text>
              ) : hostBp != null && participantsBp != null ? (
                <Typography.Text type="success">{t('settings.split.sum', { sum: sumBp / 100 })}</Typography.Text>
              ) : null}
            </Space>
          </div>
        </div>
      )}
    </Card>
  );
}
