import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Progress, Row, Statistic, Steps } from 'antd';
import { useState } from 'react';
import { downloadErrorReport, useImportJob } from '../../../api/imports';
import type { ImportJob } from '../../../api/types';
import { useI18n } from '../../../locales';
import { ImportErrors } from './ImportErrors';

/** The step a job is at; a failed job failed while validating unless rows were being written. */
function stepOf(j: ImportJob): number {
  if (j.status === 'validating') return 0;
  if (j.status === 'writing') return 1;
  if (j.status === 'done') return 2;
  return j.errorRows > 0 || j.totalRows === 0 ? 0 : 1;
}

/** The running import: validating → writing → done/failed, with counts and the error report. */
export function JobProgress({ jobId }: { jobId: string | number }) {
  const { t } = useI18n();
  const job = useImportJob(jobId);
  const [downloading, setDownloading] = useState(false);
  const j = job.data;
  if (!j) return <Card loading />;
  const percent = j.totalRows > 0 ? Math.min(100, Math.round((j.processedRows / j.totalRows) * 100)) : j.status === 'done' ? 100 : 0;
  const failed = j.status === 'failed';
  const done = j.status === 'done';

  return (
    <Card title={t('imports.jobTitle', { file: j.fileName })} data-testid="import-job" data-status={j.status}>
      <Steps
        size="small"
        current={stepOf(j)}
        status={failed ? 'error' : done ? 'finish' : 'process'}
        style={{ marginBottom: 24 }}
        items={[{ title: t('imports.step.validate') }, { title: t('imports.step.write') }, { title: t('imports.step.done') }]}
      />
      <Progress percent={failed || done ? 100 : percent} status={failed ? 'exception' : done ? 'success' : 'active'} data-testid="import-progress" />
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col span={4}>
          <Statistic title={t('imports.totalRows')} value={j.totalRows} />
        </Col>
        <Col span={4}>
          <Statistic title={t('imports.inserted')} value={j.inserted} valueStyle={{ color: '#3f8600' }} />
        </Col>
        <Col span={4}>
          <Statistic title={t('imports.updated')} value={j.updated} valueStyle={{ color: '#1677ff' }} />
        </Col>
        <Col span={4}>
          <Statistic title={t('imports.unchanged')} value={j.unchanged} />
        </Col>
        <Col span={4}>
          <Statistic title={t('imports.errorRows')} value={j.errorRows} valueStyle={j.errorRows ? { color: '#cf1322' } : undefined} />
        </Col>
      </Row>
      {done || failed ? (
        <Alert
          style={{ marginTop: 16 }}
          showIcon
          type={failed ? 'error' : j.errorRows ? 'warning' : 'success'}
          data-testid="import-result"
          message={failed ? t('imports.resultFailed') : j.errorRows ? t('imports.resultPartial', { n: j.errorRows }) : t('imports.resultOk')}
          description={j.message || undefined}
          action={
            j.hasErrorReport ? (
              <Button
                danger
                icon={<DownloadOutlined />}
                loading={downloading}
                data-testid="import-error-report"
                onClick={async () => {
                  setDownloading(true);
                  try {
                    await downloadErrorReport(j.id);
                  } finally {
                    setDownloading(false);
                  }
                }}
              >
                {t('imports.downloadErrors')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      {done || failed ? <ImportErrors jobId={j.id} /> : null}
    </Card>
  );
}
