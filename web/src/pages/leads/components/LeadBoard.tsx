import { Badge, Card, Col, Empty, Row, Space, Spin, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { LEAD_STAGES, type Lead } from '../../../api/leads';
import { useI18n } from '../../../locales';
import { SlaTag } from './SlaTag';

/** 看板: one column per stage, a card per lead with its holder and countdown. */
export function LeadBoard({ leads, loading }: { leads: Lead[]; loading: boolean }) {
  const { t } = useI18n();
  if (loading) return <Spin />;
  return (
    <Row gutter={12} wrap={false} style={{ overflowX: 'auto' }} data-testid="lead-board">
      {LEAD_STAGES.map((stage) => {
        const cards = leads.filter((l) => l.stage === stage);
        return (
          <Col key={stage} flex="1 0 220px">
            <Card
              size="small"
              title={
                <Space>
                  {t(`lead.stage.${stage}`)}
                  <Badge count={cards.length} showZero color="#8c8c8c" />
                </Space>
              }
              styles={{ body: { background: '#fafafa', minHeight: 240 } }}
              data-testid={`lead-column-${stage}`}
            >
              {cards.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={null} /> : null}
              {cards.map((l) => (
                <Card key={l.id} size="small" style={{ marginBottom: 8 }}>
                  <Link to={`/leads/${l.id}`}>
                    <Typography.Text strong>{l.contactName}</Typography.Text>
                  </Link>
                  <div>
                    <Typography.Text type="secondary">
                      {l.productName ?? '-'} · {l.ownerName ?? t('lead.pool')}
                    </Typography.Text>
                  </div>
                  {stage === 'won' || stage === 'lost' ? null : <SlaTag lead={l} />}
                </Card>
              ))}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
