import type { Db } from '../../db/client.js';
import { writeXlsx } from '../../xlsx/xlsx.js';
import type { AuthContext } from '../access/context.js';
import { allCompanies } from './companies.service.js';
import { allPeople } from './individuals.service.js';

/** 对公客户清单: the corporate-client export's columns (amounts in 元). */
export const COMPANY_EXPORT_COLUMNS = [
  { header: '统一社会信用代码', key: 'uscc', width: 22 },
  { header: '客户名称', key: 'name', width: 36 },
  { header: '客户类型', key: 'typeName', width: 14 },
  { header: '所属行业', key: 'industryName', width: 24 },
  { header: '管户机构', key: 'nodeName', width: 16 },
  { header: '管户部门', key: 'departmentName', width: 14 },
  { header: '客户经理', key: 'accountManagerName', width: 10 },
  { header: '法定代表人', key: 'legalRepresentative', width: 10 },
  { header: '授信额度(元)', key: 'creditLine', width: 18 },
  { header: '贷款余额(元)', key: 'loanBalance', width: 18 },
  { header: '年销售额(元)', key: 'annualSales', width: 18 },
  { header: '全省纳税排名', key: 'provincialTaxRank', width: 12 },
  { header: '是否上市', key: 'listed', width: 8 },
];

/** 个人客户清单: ID numbers and phones masked, as everywhere outside an audited reveal. */
export const PERSON_EXPORT_COLUMNS = [
  { header: '姓名', key: 'name', width: 10 },
  { header: '身份证号码', key: 'idNumber', width: 22 },
  { header: '性别', key: 'gender', width: 6 },
  { header: '出生日期', key: 'birthDate', width: 12 },
  { header: '手机号', key: 'phone', width: 14 },
  { header: '管户机构', key: 'nodeName', width: 16 },
  { header: '专属客户经理', key: 'dedicatedAmName', width: 12 },
  { header: '金融资产(元)', key: 'aum', width: 18 },
  { header: 'VIP等级', key: 'vipTier', width: 10 },
];

export async function companiesWorkbook(db: Db, auth: AuthContext, filter: Parameters<typeof allCompanies>[2]): Promise<Buffer> {
  async function* flat() {
    for await (const r of allCompanies(db, auth, filter)) yield { ...r, listed: r.listed ? '是' : '否' };
  }
  return writeXlsx('对公客户', COMPANY_EXPORT_COLUMNS, flat());
}

export async function peopleWorkbook(db: Db, auth: AuthContext, filter: Parameters<typeof allPeople>[2]): Promise<Buffer> {
  async function* flat() {
    for await (const r of allPeople(db, auth, filter)) yield { ...r, gender: r.gender === 'M' ? '男' : r.gender === 'F' ? '女' : null };
  }
  return writeXlsx('个人客户', PERSON_EXPORT_COLUMNS, flat());
}
