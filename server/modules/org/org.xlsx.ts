import { ORG_LEVEL_LABELS } from '../../../shared/access.js';
import type { Db } from '../../db/client.js';
import { writeXlsx } from '../../xlsx/xlsx.js';
import type { AuthContext } from '../access/context.js';
import { listNodes } from './org.service.js';

/** 机构清单: the columns of the org export, which the org-nodes import reads back. */
export const ORG_EXPORT_COLUMNS = [
  { header: '机构号', key: 'code', width: 12 },
  { header: '机构名称', key: 'name', width: 24 },
  { header: '机构层级', key: 'level', width: 10 },
  { header: '上级机构号', key: 'parentCode', width: 12 },
  { header: '地址', key: 'address', width: 40 },
  { header: '排序', key: 'sort', width: 8 },
  { header: '员工数', key: 'staffCount', width: 8 },
];

/** The nodes in the caller's scope, with their level in Chinese and the parent's code. */
export async function orgWorkbook(db: Db, auth: AuthContext): Promise<Buffer> {
  const nodes = await listNodes(db, auth);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return writeXlsx(
    '机构',
    ORG_EXPORT_COLUMNS,
    nodes.map((n) => ({ ...n, level: ORG_LEVEL_LABELS[n.level].zh, parentCode: n.parentId ? (byId.get(n.parentId)?.code ?? '') : '' })),
  );
}
