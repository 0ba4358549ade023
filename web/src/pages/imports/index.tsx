import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Form, Radio, Row, Select, Space, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../api/auth';
import { downloadTemplate, overLimit, useImportKinds, useStartImport, useUploadLimit } from '../../api/imports';
import type { ImportMode } from '../../api/types';
import { useI18n } from '../../locales';
import { JobProgress } from './components/JobProgress';
import { RecentImports } from './components/RecentImports';

/** 数据导入: template → upload → progress → result (SPEC §14). */
export default function ImportsPage() {
  const { t, pick } = useI18n();
  const { data: me } = useMe();
  const { message } = App.useApp();
  const kinds = useImportKinds();
  const maxMb = useUploadLimit().data;
  const start = useStartImport();
  const [kind, setKind] = useState<string | undefined>();
  const [mode, setMode] = useState<ImportMode>('all');
  const [jobId, setJobId] = useState<string | number | null>(null);
  const [downloading, setDownloading] = useState(false);

  const usable = (kinds.data ?? []).filter((k) => !k.permission || me?.permissions.includes(k.permission));
  // `?kind=sales` (links from other pages) preselects that kind when the person may use it.
  const [search] = useSearchParams();
  const wanted = search.get('kind');
  useEffect(() => {
    if (!kind && usable.length) setKind(usable.find((k) => k.kind === wanted)?.kind ?? usable.find((k) => k.kind === 'staff')?.kind ?? usable[0].kind);
  }, [usable, kind, wanted]);

  return (
    <PageContainer title={t('imports.title')} subTitle={t('imports.subtitle')}>
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Card title={t('imports.newImport')}>
            <Form layout="vertical">
              <Form.Item label={t('imports.kind')}>
                <Space.Compact style={{ width: '100%' }}>
                  <Select
                    value={kind}
                    onChange={setKind}
                    loading={kinds.isLoading}
                    style={{ flex: 1 }}
                    data-testid="import-kind"
                    options={usable.map((k) => ({ value: k.kind, label: pick(k.nameZh, k.nameEn) }))}
                  />
                  <Button
                    icon={<DownloadOutlined />}
                    disabled={!kind}
                    loading={downloading}
                    data-testid="import-template"
                    onClick={async () => {
                      setDownloading(true);
                      try {
                        await downloadTemplate(kind!);
                      } finally {
                        setDownloading(false);
                      }
                    }}
                  >
                    {t('imports.downloadTemplate')}
                  </Button>
                </Space.Compact>
              </Form.Item>
              <Form.Item label={t('imports.mode')} extra={t(`imports.modeHint.${mode}`)}>
                <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
                  <Radio.Button value="all">{t('imports.mode.all')}</Radio.Button>
                  <Radio.Button value="valid_only">{t('imports.mode.valid_only')}</Radio.Button>
                </Radio.Group>
              </Form.Item>
              <Form.Item label={t('imports.file')}>
                <Upload.Dragger
                  accept=".xlsx,.csv"
                  multiple={false}
                  showUploadList={false}
                  disabled={!kind || start.isPending}
                  data-testid="import-upload"
                  beforeUpload={(file) => {
                    // Refused before it is sent, in the words of the server's refusal (which names the limit too).
                    if (!overLimit(file, maxMb)) return true;
                    message.error(t('imports.tooLarge', { name: file.name, size: (file.size / 1024 / 1024).toFixed(1), max: maxMb! }));
                    return Upload.LIST_IGNORE;
                  }}
                  customRequest={async ({ file, onSuccess, onError }) => {
                    try {
                      const r = await start.mutateAsync({ kind: kind!, file: file as File, mode });
                      setJobId(r.id);
                      onSuccess?.(r);
                    } catch (e) {
                      onError?.(e as Error);
                    }
                  }}
                >
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">{t('imports.dropHint')}</p>
                  <p className="ant-upload-hint">{t('imports.fileHint')}</p>
                  {maxMb !== undefined ? (
                    <p className="ant-upload-hint" data-testid="import-limit">
                      {t('imports.sizeLimit', { max: maxMb })}
                    </p>
                  ) : null}
                </Upload.Dragger>
              </Form.Item>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          {jobId !== null ? (
            <JobProgress key={String(jobId)} jobId={jobId} />
          ) : (
            <Card title={t('imports.howTitle')}>
              <Typography.Paragraph>
                <ol style={{ paddingInlineStart: 20, margin: 0 }}>
                  <li>{t('imports.how1')}</li>
                  <li>{t('imports.how2')}</li>
                  <li>{t('imports.how3')}</li>
                  <li>{t('imports.how4')}</li>
                </ol>
              </Typography.Paragraph>
            </Card>
          )}
        </Col>
      </Row>
      <RecentImports />
    </PageContainer>
  );
}
