import { Select, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { fetchStaff } from '../api/staff';
import { useI18n } from '../locales';

interface Props {
  value?: number;
  onChange?(v: number | undefined): void;
  /** Search within this node's subtree. */
  nodeId?: number;
  /** Labels for values already chosen (so they show before any search). */
  known?: { id: number; label: string }[];
  style?: React.CSSProperties;
}

/** Pick a person by 工号 or 姓名, searched on the server. */
export function StaffSelect({ value, onChange, nodeId, known = [], style }: Props) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [loading, setLoading] = useState(false);
  const [found, setFound] = useState<{ value: number; label: string }[]>([]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        const r = await fetchStaff({ q: q || undefined, nodeId, pageSize: 20, active: true });
        if (live) setFound(r.items.map((s) => ({ value: s.id, label: `${s.name}（${s.staffNo}）${s.departmentName ? ` · ${s.departmentName}` : ''}` })));
      } finally {
        if (live) setLoading(false);
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, nodeId]);

  const options = useMemo(() => {
    const seen = new Set(found.map((o) => o.value));
    return [...known.filter((k) => !seen.has(k.id)).map((k) => ({ value: k.id, label: k.label })), ...found];
  }, [found, known]);

  return (
    <Select<number>
      showSearch
      value={value}
      onChange={(v) => onChange?.(v)}
      filterOption={false}
      onSearch={setQ}
      options={options}
      notFoundContent={loading ? <Spin size="small" /> : t('common.noData')}
      placeholder={t('staff.searchPlaceholder')}
      style={{ minWidth: 240, ...style }}
    />
  );
}
