import type { TablePaginationConfig } from 'antd';
import type { useI18n } from '../locales';

type T = ReturnType<typeof useI18n>['t'];

/** A table paged on the server: the current page, its size, the total and “共 N 条” — one shape for every list. */
export function serverPaging(t: T, current: number, pageSize: number, total: number | undefined, onChange: (page: number, pageSize: number) => void): TablePaginationConfig {
  return { current, pageSize, total: total ?? 0, showTotal: (n) => t('common.totalN', { n }), onChange };
}
