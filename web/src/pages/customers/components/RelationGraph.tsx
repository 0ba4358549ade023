import { Alert, Empty, Space, Spin, Tag, Typography } from 'antd';
import { GraphChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { htmlLines } from '../../../../../shared/html';
import { type GraphNode, useGraph } from '../../../api/customers';
import { useI18n } from '../../../locales';

echarts.use([GraphChart, TooltipComponent, LegendComponent, CanvasRenderer]);

const COMPANY_COLOR = '#c7000b';
const PERSON_COLOR = '#1677ff';

interface Props {
  companyId?: number;
  personId?: number;
}

/** 关系图: an ECharts force graph of a company and its people (or a person and their companies); click a node to open its 360 page. */
export function RelationGraph({ companyId, personId }: Props) {
  const { t, has } = useI18n();
  const navigate = useNavigate();
  const graph = useGraph({ companyId, personId });

  const option = useMemo(() => {
    const g = graph.data;
    if (!g) return null;
    const categories = [{ name: t('customer.graphCompany') }, { name: t('customer.graphPerson') }];
    return {
      tooltip: {
        // A string returned here becomes the tooltip's innerHTML: names, titles and categories are
        // the users' text, so every line is escaped (shared/html.ts; e2e/xss.e2e.test.ts).
        formatter: (p: { dataType: string; data: { name?: string; roleText?: string; kindLabel?: string } }) => htmlLines(p.dataType === 'edge' ? [p.data.roleText] : [p.data.name, p.data.kindLabel]),
      },
      legend: [{ data: categories.map((c) => c.name), top: 0 }],
      animationDuration: 600,
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          categories: categories.map((c, i) => ({ ...c, itemStyle: { color: i === 0 ? COMPANY_COLOR : PERSON_COLOR } })),
          // Laid out before the first paint: the picture is stable (and clickable) at once.
          force: { repulsion: 260, edgeLength: [90, 160], gravity: 0.08, layoutAnimation: false },
          label: { show: true, position: 'right', fontSize: 12 },
          // Role labels on hover only: a company with dozens of staff stays readable.
          edgeLabel: { show: false, fontSize: 11, color: '#666' },
          lineStyle: { color: '#bbb', width: 1.2, curveness: 0.05 },
          emphasis: { focus: 'adjacency', lineStyle: { width: 3 }, edgeLabel: { show: true } },
          data: g.nodes.map((n: GraphNode) => ({
            id: n.id,
            name: n.name,
            category: n.kind === 'company' ? 0 : 1,
            symbol: n.kind === 'company' ? 'roundRect' : 'circle',
            symbolSize: n.root ? 56 : n.kind === 'company' ? 38 : 26,
            kindLabel: n.category ?? '',
            label: { fontWeight: n.root ? 'bold' : 'normal' },
            entity: { kind: n.kind, id: n.entityId },
          })),
          links: g.edges.map((e) => {
            const key = e.kind === 'group' ? 'customer.groupLink' : `customer.role.${e.kind}`;
            const text = has(key) ? t(key) : e.label;
            // The canvas label gets the text from a function, not as a template: a `{b}` in a
            // job title stays literal.
            return { source: e.source, target: e.target, roleText: text, label: { formatter: () => text } };
          }),
        },
      ],
    };
  }, [graph.data, t, has]);

  if (graph.isLoading) return <Spin />;
  if (!option || !graph.data?.nodes.length) return <Empty description={t('common.noData')} />;
  return (
    <div data-testid="relation-graph">
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text type="secondary">{t('customer.graphHint')}</Typography.Text>
        <Tag color={COMPANY_COLOR}>{t('customer.graphCompany')}</Tag>
        <Tag color={PERSON_COLOR}>{t('customer.graphPerson')}</Tag>
      </Space>
      {graph.data.truncated ? <Alert type="info" showIcon message={t('customer.graphTruncated')} style={{ marginBottom: 8 }} /> : null}
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        style={{ height: 560, width: '100%' }}
        notMerge
        // The instance on its element lets the e2e test find a node's pixel position to click.
        onChartReady={(chart) => {
          const el = chart.getDom() as HTMLElement & { __chart?: unknown };
          el.__chart = chart;
        }}
        onEvents={{
          click: (p: { dataType?: string; data?: { entity?: { kind: string; id: number } } }) => {
            const e = p.dataType === 'node' ? p.data?.entity : undefined;
            if (!e) return;
            navigate(e.kind === 'company' ? `/customers/companies/${e.id}` : `/customers/people/${e.id}`);
          },
        }}
      />
    </div>
  );
}
