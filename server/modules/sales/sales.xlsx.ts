import type { Db } from '../../db/client.js';
import { writeXlsx } from '../../xlsx/xlsx.js';
import type { AuthContext } from '../access/context.js';
import { formatParticipants, formatPeople, formatWeights } from './sales.rules.js';
import { allSales } from './sales.service.js';

/** 交叉销售清单: the sales export's columns (participants and staff in the import's own notation). */
export const SALES_EXPORT_COLUMNS = [
  { header: '交易流水号', key: 'sourceId', width: 20 },
  { header: '产品代码', key: 'productCode', width: 12 },
  { header: '产品名称', key: 'productName', width: 14 },
  { header: '客户名称', key: 'client', width: 24 },
  { header: '客户身份证号码', key: 'personIdNumber', width: 20 },
  { header: '统一社会信用代码', key: 'companyUscc', width: 20 },
  { header: '项目编号', key: 'projectId', width: 10 },
  { header: '楼盘编号', key: 'developmentCode', width: 12 },
  { header: '销售日期', key: 'saleDate', width: 12 },
  { header: '数量', key: 'quantity', width: 10 },
  { header: '计量单位', key: 'unit', width: 8 },
  { header: '单位分值', key: 'unitScore', width: 10 },
  { header: '积分', key: 'points', width: 12 },
  { header: '机构号', key: 'nodeCode', width: 10 },
  { header: '分行', key: 'nodeName', width: 12 },
  { header: '主办部门代码', key: 'hostDepartmentCode', width: 12 },
  { header: '主办部门', key: 'hostDepartmentName', width: 12 },
  { header: '参与部门', key: 'participants', width: 22 },
  { header: '协商比例', key: 'ratios', width: 14 },
  { header: '营销人员', key: 'staff', width: 40 },
];

/** The sales in the caller's scope matching the list's filter, streamed row by row. */
export async function salesWorkbook(db: Db, auth: AuthContext, filter: Parameters<typeof allSales>[2]): Promise<Buffer> {
  async function* flat() {
    for await (const s of allSales(db, auth, filter)) {
      yield {
        ...s,
        client: s.personName ?? s.companyName,
        participants: formatParticipants(s.departments.map((d) => ({ code: d.code, ratioBp: d.ratioBp }))),
        ratios: formatWeights(s.departments),
        staff: formatPeople(s.people),
      };
    }
  }
  return writeXlsx('交叉销售', SALES_EXPORT_COLUMNS, flat());
}
