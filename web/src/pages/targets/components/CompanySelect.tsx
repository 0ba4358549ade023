import { Select, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type Company, fetchCompanies } from '../../../api/customers';
import { useI18n } from '../../../locales';

interface Props {
  value?: number;
  onChange?(v: number | undefined, company?: Company): void;
  /** Only clients managed by this department. */
  departmentId?: number;
  known?: { id: number; label: string }[];
  style?: React.CSSProperties;
}

/** Pick a corporate client by name or 统一社会信用代码, searched on the server. */
export function CompanySelect({ value, onChange, departmentId, known = [], style }: Props) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [loading, setLoading] = useState(false);
  const [found, setFound] = useState<Company[]>([]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        const r = await fetchCompanies({ q: q.trim() || undefined, departmentId, pageSize: 20 });
        if (live) setFound(r.items);
      } finally {
        if (live) setLoading(false);
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, departmentId]);

  const options = useMemo(() => {
    const seen = new Set(found.map((c) => c.id));
    return [...known.filter((k) => !seen.has(k.id)).map((k) => ({ value: k.id, label: k.label })), ...found.map((c) => ({ value: c.id, label: `${c.name}（${c.uscc}）` }))];
  }, [found, known]);

  return (
    <Select<number>
      showSearch
      allowClear
      value={value}
      onChange={(v) =>
        onChange?.(
          v,
          found.find((c) => c.id === v),
        )
      }
      filterOption={false}
      onSearch={setQ}
      options={options}
      notFoundContent={loading ? <Spin size="small" /> : t('common.noData')}
      placeholder={t('target.companySearchPlaceholder')}
      style={{ minWidth: 320, ...style }}
      data-testid="company-select"
    />
  );
}
