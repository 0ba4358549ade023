import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { CSSProperties } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/** ECharts with the modules the boards use (tree-shaken, as the statements page does). */
export function Chart({ option, style, onClick, testId }: { option: object; style?: CSSProperties; onClick?(index: number): void; testId?: string }) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore echarts={echarts} option={option} style={style} notMerge onEvents={onClick ? { click: (p: { dataIndex: number }) => onClick(p.dataIndex) } : undefined} />
    </div>
  );
}

export const COLORS = { red: '#cf1322', orange: '#fa8c16', green: '#389e0d', blue: '#1677ff', grey: '#bfbfbf', brand: '#c7000b' };

/**
 * A horizontal bar per item; values go in as the server's decimal strings (ECharts reads them; the
 * console does no arithmetic on points).
 */
export function horizontalBars(
  names: string[],
  values: { value: string; color?: string }[],
  opts: { color?: string; suffix?: string; markLines?: { at: number; label: string; color: string }[] } = {},
) {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: string | number) => `${v}${opts.suffix ?? ''}` },
    grid: { left: 8, right: 64, top: opts.markLines ? 28 : 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: `{value}${opts.suffix ?? ''}` } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 150, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: values.map((v) => ({ value: v.value, itemStyle: { color: v.color ?? opts.color ?? COLORS.brand } })),
        barMaxWidth: 16,
        cursor: 'pointer',
        label: { show: true, position: 'right', formatter: (p: { value: string }) => `${p.value}${opts.suffix ?? ''}` },
        markLine: opts.markLines
          ? {
              symbol: 'none',
              silent: true,
              data: opts.markLines.map((m) => ({
                xAxis: m.at,
                lineStyle: { color: m.color, type: 'dashed', width: 1.5 },
                label: { show: true, formatter: m.label, position: 'end', color: m.color, fontWeight: 500 },
              })),
            }
          : undefined,
      },
    ],
  };
}

/** Height for n horizontal bars. */
export const barsHeight = (n: number) => Math.max(160, n * 26 + 48);
