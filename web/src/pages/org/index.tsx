import { SearchOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Card, Empty, Input, Space, Spin, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { download } from '../../api/client';
import { buildOrgTree, type OrgTreeNode, useOrgNodes } from '../../api/org';
import { LevelTag } from '../../components/LevelTag';
import { useI18n } from '../../locales';
import { NodePanel } from './components/NodePanel';
import ExportButton from '../../components/ExportButton';

/** Ids of matching nodes and all their ancestors, for a filtered tree. */
function matching(roots: OrgTreeNode[], q: string): Set<number> {
  const keep = new Set<number>();
  const walk = (n: OrgTreeNode, trail: number[]): void => {
    const hit = n.name.includes(q) || n.code.toLowerCase().includes(q.toLowerCase());
    if (hit) [...trail, n.id].forEach((id) => keep.add(id));
    n.children.forEach((c) => walk(c, [...trail, n.id]));
  };
  roots.forEach((r) => walk(r, []));
  return keep;
}

/** 机构管理: the org tree in scope on the left, the selected node on the right. */
export default function OrgPage() {
  const { t } = useI18n();
  const nodes = useOrgNodes();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<number[] | null>(null);
  const roots = useMemo(() => buildOrgTree(nodes.data ?? []), [nodes.data]);
  const selectedId = Number(params.get('node')) || roots[0]?.id;

  useEffect(() => {
    if (expanded === null && roots.length) setExpanded(roots.map((r) => r.id));
  }, [roots, expanded]);

  const keep = useMemo(() => (q.trim() ? matching(roots, q.trim()) : null), [roots, q]);

  const treeData = useMemo(() => {
    const map = (n: OrgTreeNode): DataNode | null => {
      if (keep && !keep.has(n.id)) return null;
      const hit = q.trim() && (n.name.includes(q.trim()) || n.code.toLowerCase().includes(q.trim().toLowerCase()));
      return {
        key: n.id,
        title: (
          <Space size={6} data-testid={`org-node-${n.id}`}>
            <span style={hit ? { color: '#c7000b', fontWeight: 600 } : undefined}>{n.name}</span>
            <LevelTag level={n.level} />
            {!n.active ? <Typography.Text type="secondary">{t('common.inactive')}</Typography.Text> : null}
          </Space>
        ),
        children: n.children.map(map).filter((c): c is DataNode => c !== null),
      };
    };
    return roots.map(map).filter((c): c is DataNode => c !== null);
  }, [roots, keep, q, t]);

  const expandedKeys = keep ? [...keep] : (expanded ?? []);

  return (
    <PageContainer
      title={t('org.title')}
      extra={[
        <ExportButton
          key="export"
          onExport={async () => {
            await download('/org/export.xlsx', undefined, 'org.xlsx');
          }}
        />,
      ]}
    >
      <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
        <Card title={t('org.tree')} style={{ width: 340, flex: '0 0 340px' }} styles={{ body: { paddingTop: 12 } }}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('org.searchPlaceholder')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ marginBottom: 12 }}
            data-testid="org-search"
          />
          {nodes.isLoading ? (
            <Spin />
          ) : treeData.length === 0 ? (
            <Empty description={t('common.noData')} />
          ) : (
            <div style={{ maxHeight: 'calc(100vh - 300px)', minHeight: 400, overflow: 'auto' }}>
              <Tree
                blockNode
                showLine
                treeData={treeData}
                expandedKeys={expandedKeys}
                onExpand={(keys) => setExpanded(keys.map(Number))}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => {
                  if (keys.length) setParams({ node: String(keys[0]) });
                }}
              />
            </div>
          )}
        </Card>
        <Card style={{ flex: '1 1 auto', minWidth: 0 }}>
          {selectedId ? (
            <NodePanel nodeId={selectedId} onSelect={(id) => setParams({ node: String(id) })} onCreated={(parentId) => setExpanded((e) => [...new Set([...(e ?? []), parentId])])} />
          ) : (
            <Empty description={t('org.selectHint')} />
          )}
        </Card>
      </div>
    </PageContainer>
  );
}
