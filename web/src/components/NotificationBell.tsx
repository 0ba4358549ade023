import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { type Notification, useMarkAllRead, useMarkRead, useNotifications, useUnreadCount } from '../api/notifications';
import { useI18n } from '../locales';
import { fmtBeijing } from '../format';

/** Opens a notification: marks it read, then goes to its link. */
export function useOpenNotification() {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  return (n: Notification) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link) navigate(n.link);
  };
}

/** One line of a notification: unread ones bold with a dot, the time under it. */
export function NotificationLine({ n }: { n: Notification }) {
  const { pick } = useI18n();
  return (
    <Space align="start" size={8}>
      <Badge status={n.readAt ? 'default' : 'processing'} />
      <div>
        <Typography.Text strong={!n.readAt} style={{ display: 'block' }}>
          {pick(n.titleZh, n.titleEn) || n.title}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {fmtBeijing(n.createdAt)}
        </Typography.Text>
      </div>
    </Space>
  );
}

/** 通知: the header bell — unread count (polled every minute), the latest ones, 全部已读, and the full list. */
export function NotificationBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const latest = useNotifications({ page: 1, pageSize: 8 }, open);
  const markAll = useMarkAllRead();
  const openOne = useOpenNotification();
  const count = unread.data ?? 0;

  const content = (
    <div style={{ width: 400 }} data-testid="notification-panel">
      {latest.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : !latest.data?.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notification.none')} />
      ) : (
        <List<Notification>
          size="small"
          dataSource={latest.data.items}
          style={{ maxHeight: 420, overflowY: 'auto' }}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: n.link ? 'pointer' : 'default', paddingInline: 4 }}
              data-testid="notification-item"
              data-kind={n.kind}
              onClick={() => {
                setOpen(false);
                openOne(n);
              }}
            >
              <NotificationLine n={n} />
            </List.Item>
          )}
        />
      )}
      <div style={{ display: 'flex', justifyContent: 'space-between', borderTop: '1px solid #f0f0f0', paddingTop: 8, marginTop: 4 }}>
        <Button size="small" type="link" disabled={count === 0} loading={markAll.isPending} onClick={() => markAll.mutate()} data-testid="notification-read-all">
          {t('notification.readAll')}
        </Button>
        <Button
          size="small"
          type="link"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
          data-testid="notification-see-all"
        >
          {t('notification.seeAll')}
        </Button>
      </div>
    </div>
  );

  return (
    <Popover trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} title={t('notification.title')} content={content} arrow={false}>
      <Badge count={count} size="small" overflowCount={99} offset={[-4, 4]} data-testid="notification-badge" data-count={count}>
        <Button type="text" icon={<BellOutlined style={{ fontSize: 16 }} />} aria-label={t('notification.title')} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
