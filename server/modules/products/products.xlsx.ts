import { writeXlsx } from '../../xlsx/xlsx.js';
import type { Db } from '../../db/client.js';
import { allProducts } from './products.service.js';

/** 产品目录: the catalogue export's columns, as the products import reads them back. */
export const PRODUCT_EXPORT_COLUMNS = [
  { header: '产品代码', key: 'code', width: 14 },
  { header: '产品名称', key: 'name', width: 18 },
  { header: '产品线', key: 'lineCode', width: 12 },
  { header: '主办部门代码', key: 'hostDepartmentCode', width: 12 },
  { header: '计量单位', key: 'unit', width: 10 },
  { header: '是否按揭', key: 'mortgage', width: 10 },
  { header: '单位分值', key: 'score', width: 10 },
  { header: '分值生效日期', key: 'scoreFrom', width: 14 },
  { header: '状态', key: 'active', width: 8 },
];

/** The catalogue (bank-wide) matching the list's filter, with the score in force. */
export async function productsWorkbook(db: Db, filter: Parameters<typeof allProducts>[1]): Promise<Buffer> {
  const list = await allProducts(db, filter);
  return writeXlsx(
    '产品',
    PRODUCT_EXPORT_COLUMNS,
    list.map((p) => ({ ...p, mortgage: p.mortgage ? '是' : '否', active: p.active ? '启用' : '停用' })),
  );
}
