import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Button, Result, Spin, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useCodeCheckIn } from '../../api/projects';
import { fmtBeijing } from '../../format';
import { useI18n } from '../../locales';

/**
 * 扫码签到 on a team member's phone: the camera opens /checkin/<code> from the invitation's QR code;
 * signed in, the person is checked in at once and the door sees who it is and how many have come.
 */
export default function CheckInPage() {
  const { t } = useI18n();
  const code = useParams().code ?? '';
  const checkIn = useCodeCheckIn();
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    checkIn.mutate(code);
  }, [code, checkIn]);
  const r = checkIn.data;
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', padding: '24px 12px' }} data-testid="checkin-page">
      {checkIn.isPending || (!r && !checkIn.error) ? <Spin size="large" style={{ display: 'block', margin: 48 }} /> : null}
      {r ? (
        <Result
          icon={r.already ? <ExclamationCircleFilled style={{ color: '#faad14' }} /> : <CheckCircleFilled style={{ color: '#52c41a' }} />}
          title={<span data-testid="checkin-name">{r.personName}</span>}
          subTitle={
            <>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="checkin-result">
                {r.already ? t('checkin.already', { at: fmtBeijing(r.checkedInAt) }) : t('checkin.ok')}
              </Typography.Title>
              <Typography.Paragraph>{r.activityTitle}</Typography.Paragraph>
              <Typography.Paragraph strong data-testid="checkin-counts">
                {t('checkin.counts', { attended: r.attended, invited: r.invited })}
              </Typography.Paragraph>
            </>
          }
          extra={
            <Link to={`/projects/activities/${r.activityId}`}>
              <Button size="large">{t('checkin.toEvent')}</Button>
            </Link>
          }
        />
      ) : null}
      {checkIn.error ? <Result status="warning" title={t('checkin.failed')} subTitle={checkIn.error instanceof Error ? checkIn.error.message : undefined} /> : null}
    </div>
  );
}
