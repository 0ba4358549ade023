import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, List, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { type Notification, useMarkAllRead, useMarkRead, useNotifications } from '../../api/notifications';
import { NotificationLine, useOpenNotification } from '../../components/NotificationBell';
import { useI18n } from '../../locales';

/** 通知: all of the person's notifications, newest first; open one (read), or mark them all read. */
export default function NotificationsPage() {
  const { t } = useI18n();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const list = useNotifications({ page, pageSize, unread: unreadOnly });
  const markAll = useMarkAllRead();
  const markRead = useMarkRead();
  const open = useOpenNotification();
  const unread = list.data?.unread ?? 0;

  return (
    <PageContainer
      title={t('notification.title')}
      subTitle={t('notification.subtitle', { n: unread })}
      extra={
        <Button disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()} data-testid="notifications-read-all">
          {t('notification.readAll')}
        </Button>
      }
    >
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          <Segmented<string>
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => {
              setUnreadOnly(v === 'unread');
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'unread', label: t('notification.unreadOnly') },
            ]}
          />
        </Space>
        <List<Notification>
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('notification.none') }}
          data-testid="notifications-list"
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            hideOnSinglePage: true,
            showSizeChanger: true,
            showTotal: (n) => t('common.totalN', { n }),
            onChange: (p, ps) => {
              setPage(p);
              setPageSize(ps);
            },
          }}
          renderItem={(n) => (
            <List.Item
              data-testid="notification-row"
              actions={[
                n.link ? (
                  <a key="open" onClick={() => open(n)}>
                    {t('notification.open')}
                  </a>
                ) : null,
                !n.readAt ? (
                  <a key="read" onClick={() => markRead.mutate(n.id)}>
                    {t('notification.markRead')}
                  </a>
                ) : (
                  <Typography.Text key="read" type="secondary">
                    {t('notification.read')}
                  </Typography.Text>
                ),
              ].filter(Boolean)}
            >
              <div style={{ cursor: n.link ? 'pointer' : 'default' }} onClick={() => open(n)}>
                <NotificationLine n={n} />
              </div>
            </List.Item>
          )}
        />
      </Card>
    </PageContainer>
  );
}
