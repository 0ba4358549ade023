import { type ParamsType, ProTable, type ProTableProps } from '@ant-design/pro-components';
import type { TablePaginationConfig } from 'antd';
import { freeText } from '../../../shared/normalize';
import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../locales';

/** What a paged list endpoint answers (`Paged` or `Counted` in api/contract.ts). */
export interface ListPage<T> {
  items: T[];
  total: number;
}

/** The query a list page sends: the search form's fields plus the page asked for. */
export type ListQuery<F> = F & { page: number; pageSize: number };

export interface ListTableProps<T, F extends ParamsType> extends Omit<ProTableProps<T, F>, 'request' | 'pagination' | 'search'> {
  /** One page of the list from the server: the form's fields and the page → `{ items, total }`. */
  fetchPage: (query: ListQuery<F>) => Promise<ListPage<T>>;
  /** Paging beyond the defaults (20 a page, size changer, "N in all"). */
  pagination?: TablePaginationConfig;
  /** The search form beyond the defaults, or false for none. */
  search?: ProTableProps<T, F>['search'];
}

/** A search text as a filter: trimmed, full-width letters and digits made half-width (a USCC or ID suffix typed with an IME), left out when empty. */
export const textFilter = (v: string | undefined) => (v ? freeText(v) : '') || undefined;

/**
 * A list's keyword kept in the address as `?q=`: the page opens already searched (a link from
 * elsewhere, a refresh, an address sent to a colleague), and a new search replaces it in place so
 * Back still leaves the page. `initial` seeds the keyword field; `sync` is called with each search.
 */
export function useUrlKeyword(): { initial: string | undefined; sync: (q: string | undefined) => void } {
  const [search, setSearch] = useSearchParams();
  const sync = (q: string | undefined) =>
    setSearch(
      (prev) => {
        if ((prev.get('q') ?? undefined) === q) return prev;
        const next = new URLSearchParams(prev);
        if (q) next.set('q', q);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  return { initial: search.get('q') ?? undefined, sync };
}

/**
 * The console's server-paged list (issue 11 #8): one ProTable setup for every list page — the
 * search form layout, paging, and the request that turns ProTable's `current` into the API's
 * `page` and the `{ items, total }` envelope back into ProTable's `{ data, total }`. Pages keep
 * their columns, toolbar and the mapping of form fields to filters.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ProTable's own row constraint is Record<string, any>; a narrower one does not type-check against it
export function ListTable<T extends Record<string, any>, F extends ParamsType = ParamsType>({ fetchPage, pagination, search, ...props }: ListTableProps<T, F>) {
  const { t } = useI18n();
  return (
    <ProTable<T, F>
      rowKey="id"
      size="middle"
      {...props}
      search={search === undefined ? { labelWidth: 'auto', defaultCollapsed: false, span: 6 } : search === false ? false : { labelWidth: 'auto', defaultCollapsed: false, span: 6, ...search }}
      pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (n) => t('common.totalN', { n }), ...pagination }}
      request={async (params) => {
        const { current, pageSize, ...form } = params;
        const r = await fetchPage({ ...(form as unknown as F), page: current ?? 1, pageSize: pageSize ?? pagination?.defaultPageSize ?? 20 });
        return { data: r.items, total: r.total, success: true };
      }}
    />
  );
}
