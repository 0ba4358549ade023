import type { Db } from '../../db/client.js';
import { writeXlsx } from '../../xlsx/xlsx.js';
import type { AuthContext } from '../access/context.js';
import { allStaff } from './staff.service.js';

/** 员工清单: the staff export's columns, Chinese headers as the bank's roster has them. */
export const STAFF_EXPORT_COLUMNS = [
  { header: '工号', key: 'staffNo', width: 12 },
  { header: '姓名', key: 'name', width: 10 },
  { header: '所属机构', key: 'nodeName', width: 20 },
  { header: '部门', key: 'departmentName', width: 14 },
  { header: '职务', key: 'title', width: 14 },
  { header: '手机号', key: 'phone', width: 14 },
  { header: '邮箱', key: 'email', width: 24 },
  { header: '角色', key: 'roles', width: 40 },
  { header: '状态', key: 'active', width: 8 },
];

/** The staff in the caller's scope matching the list's filter, as an .xlsx (streamed row by row). */
export async function staffWorkbook(db: Db, auth: AuthContext, filter: Parameters<typeof allStaff>[2]): Promise<Buffer> {
  async function* flat() {
    for await (const r of allStaff(db, auth, filter)) {
      yield { ...r, active: r.active ? '在职' : '停用', roles: r.roles.map((g) => `${g.roleZh}（${g.scopeName}）`).join('、') };
    }
  }
  return writeXlsx('员工', STAFF_EXPORT_COLUMNS, flat());
}
