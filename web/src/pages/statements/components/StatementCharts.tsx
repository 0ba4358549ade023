import { Card, Col, Empty, Row } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import type { Statement } from '../../../api/statements';
import { useI18n } from '../../../locales';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** A horizontal bar per item; values go in as the server's decimal strings (no client arithmetic). */
function bars(names: string[], values: string[], color: string) {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ type: 'bar', data: values, itemStyle: { color }, barMaxWidth: 18, label: { show: true, position: 'right', formatter: (p: { value: string }) => p.value } }],
  };
}

/** 积分分布: points by department and by product (ECharts). */
export function StatementCharts({ statement: s }: { statement: Statement }) {
  const { t } = useI18n();
  const byDept = useMemo(
    () =>
      bars(
        s.departments.map((d) => d.name),
        s.departments.map((d) => d.points),
        '#c7000b',
      ),
    [s],
  );
  const byProduct = useMemo(
    () =>
      bars(
        s.products.map((p) => p.name),
        s.products.map((p) => p.points),
        '#1677ff',
      ),
    [s],
  );
  const height = (n: number) => Math.max(180, n * 30 + 40);
  return (
    <Row gutter={16} style={{ marginBottom: 16 }}>
      <Col xs={24} xl={12}>
        <Card title={t('statement.chartByDepartment')} size="small" data-testid="chart-departments">
          {s.departments.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('statement.noScoredSales')} />
          ) : (
            <ReactEChartsCore echarts={echarts} option={byDept} style={{ height: height(s.departments.length) }} notMerge />
          )}
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('statement.chartByProduct')} size="small" data-testid="chart-products">
          {s.products.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('statement.noScoredSales')} />
          ) : (
            <ReactEChartsCore echarts={echarts} option={byProduct} style={{ height: height(s.products.length) }} notMerge />
          )}
        </Card>
      </Col>
    </Row>
  );
}
