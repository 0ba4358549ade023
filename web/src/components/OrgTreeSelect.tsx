import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { buildOrgTree, type OrgTreeNode, useOrgNodes } from '../api/org';
import type { OrgLevel } from '../api/types';
import { useI18n } from '../locales';

interface Props {
  value?: number;
  onChange?(v: number | undefined): void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  /** Only these levels can be picked (the rest stay visible for context). */
  selectable?: OrgLevel[];
  id?: string;
}

interface Option {
  value: number;
  title: string;
  disabled?: boolean;
  children: Option[];
}

/** Pick a node of the caller's org tree by name or code. */
export function OrgTreeSelect({ value, onChange, placeholder, allowClear = true, style, selectable, id }: Props) {
  const { t } = useI18n();
  const nodes = useOrgNodes();
  const treeData = useMemo(() => {
    const map = (n: OrgTreeNode): Option => ({
      value: n.id,
      title: `${n.name}（${t(`level.${n.level}`)}）`,
      disabled: selectable ? !selectable.includes(n.level) : false,
      children: n.children.map(map),
    });
    return buildOrgTree(nodes.data ?? []).map(map);
  }, [nodes.data, selectable, t]);
  return (
    <TreeSelect<number>
      id={id}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      loading={nodes.isLoading}
      placeholder={placeholder ?? t('common.selectNode')}
      allowClear={allowClear}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll={false}
      treeDefaultExpandedKeys={treeData.map((n) => n.value)}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
