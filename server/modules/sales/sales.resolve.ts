import { inArray, sql } from 'drizzle-orm';
import type { ErrorCode } from '../../../shared/errors.js';
import { type DbOrTx, rows } from '../../db/client.js';
import { corporateClients, individuals, sales } from '../../db/schema/index.js';
import type { AuthContext } from '../access/context.js';
import { versionInForce } from '../products/products.rules.js';
import { chunks } from '../imports/import-spec.js';
import { canAtBranch } from './sales.policy.js';
import { branchPathOf, ratiosOk, type SaleInput } from './sales.rules.js';

/** The part of a sale an issue is about (import reports name the matching column). */
export type SaleField =
  | 'sourceId'
  | 'productCode'
  | 'client'
  | 'developmentCode'
  | 'saleDate'
  | 'quantity'
  | 'branchCode'
  | 'hostDepartmentCode'
  | 'departments'
  | 'people';

/** Why a sale is refused: a stable code and a sentence naming the value. */
export interface SaleIssue {
  code: ErrorCode;
  field: SaleField;
  zh: string;
  en: string;
}

/** A checked sale, ready to insert; `duplicateOf` when its source id is already recorded. */
export interface ResolvedSale {
  input: SaleInput;
  duplicateOf?: number;
  productId: number;
  personId: number | null;
  companyId: number | null;
  developmentId: number | null;
  hostDepartmentId: number;
  nodeId: number;
  departments: { departmentId: number; ratioBp: number | null }[];
  people: { staffId: number; departmentId: number; role: string; contributionBp: number | null }[];
}

interface NodeInfo {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}

/** Everything the checks read, loaded once per batch (a handful of queries, whatever the size). */
async function loadContext(db: DbOrTx, auth: AuthContext, inputs: SaleInput[]) {
  const uniq = <T>(l: (T | null)[]) => [...new Set(l.filter((x): x is T => x !== null))];
  const byChunks = async <R>(keys: string[], q: (slice: string[]) => Promise<R[]>) => (await Promise.all(chunks(keys, 1000).map(q))).flat();

  const existing = new Map<string, number>();
  for (const r of await byChunks(uniq(inputs.map((i) => i.sourceId)), (s) => db.select({ id: sales.id, sourceId: sales.sourceId }).from(sales).where(inArray(sales.sourceId, s))))
    existing.set(r.sourceId, r.id);

  const productRows = await rows<{ id: number; code: string; name: string; hostDepartmentCode: string; mortgage: boolean; active: boolean }>(
    db,
    sql`SELECT id, code, name, host_department_code AS "hostDepartmentCode", mortgage, active FROM products`,
  );
  const products = new Map(productRows.map((p) => [p.code.toUpperCase(), p]));
  const scoreRows = await rows<{ productId: number; effectiveFrom: string; h: number }>(
    db,
    sql`SELECT product_id AS "productId", effective_from::text AS "effectiveFrom", score_hundredths AS h FROM product_scores`,
  );
  const scores = new Map<number, { effectiveFrom: string }[]>();
  for (const s of scoreRows) scores.set(s.productId, [...(scores.get(s.productId) ?? []), s]);

  const people = new Map<string, number>();
  for (const r of await byChunks(uniq(inputs.map((i) => i.idNumber)), (s) => db.select({ id: individuals.id, idNumber: individuals.idNumber }).from(individuals).where(inArray(individuals.idNumber, s))))
    people.set(r.idNumber, r.id);
  const companies = new Map<string, number>();
  for (const r of await byChunks(uniq(inputs.map((i) => i.uscc)), (s) => db.select({ id: corporateClients.id, uscc: corporateClients.uscc }).from(corporateClients).where(inArray(corporateClients.uscc, s))))
    companies.set(r.uscc, r.id);

  const nodeRows = await rows<NodeInfo>(
    db,
    sql`SELECT id, code, name, level, path FROM org_nodes WHERE level IN ('head', 'province', 'branch') OR id = ${auth.nodeId}`,
  );
  const nodesByCode = new Map(nodeRows.map((n) => [n.code, n]));
  const nodesByPath = new Map(nodeRows.map((n) => [n.path, n]));
  const callerPath = nodeRows.find((n) => n.id === auth.nodeId)?.path ?? null;

  const deptRows = await rows<{ id: number; nodeId: number; code: string; name: string }>(db, sql`SELECT id, node_id AS "nodeId", code, name FROM departments WHERE active`);
  const depts = new Map(deptRows.map((d) => [`${d.nodeId}:${d.code.toUpperCase()}`, d]));

  const staffNos = uniq(inputs.flatMap((i) => i.people.map((p) => p.staffNo)));
  const staff = new Map<string, { id: number; staffNo: string; name: string; active: boolean; departmentId: number | null; path: string }>();
  for (const r of await byChunks(staffNos, (s) =>
    rows<{ id: number; staffNo: string; name: string; active: boolean; departmentId: number | null; path: string }>(
      db,
      sql`SELECT s.id, s.staff_no AS "staffNo", s.name, s.active, s.department_id AS "departmentId", n.path
          FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.staff_no IN ${sql`(${sql.join(s.map((x) => sql`${x}`), sql`, `)})`}`,
    ),
  ))
    staff.set(r.staffNo, r);

  const devs = new Map<string, { id: number; code: string; nodeId: number; path: string }>();
  for (const r of await byChunks(uniq(inputs.map((i) => i.developmentCode)), (s) =>
    rows<{ id: number; code: string; nodeId: number; path: string }>(
      db,
      sql`SELECT d.id, d.code, d.node_id AS "nodeId", n.path FROM developments d JOIN org_nodes n ON n.id = d.node_id
          WHERE d.code IN ${sql`(${sql.join(s.map((x) => sql`${x}`), sql`, `)})`}`,
    ),
  ))
    devs.set(r.code.toUpperCase(), r);

  return { existing, products, scores, people, companies, nodesByCode, nodesByPath, callerPath, depts, staff, devs };
}

const issue = (code: ErrorCode, field: SaleField, zh: string, en: string): SaleIssue => ({ code, field, zh, en });

/**
 * Checks sales against the catalogue, the clients, the org tree and the caller's scope (SPEC §7).
 * Returns, per input, either the resolved sale or every issue found. A source id already on file
 * resolves as a duplicate without further checks: re-sending changes nothing.
 */
export async function resolveSales(
  db: DbOrTx,
  auth: AuthContext,
  inputs: SaleInput[],
  opts: { today: string },
): Promise<{ resolved: (ResolvedSale | undefined)[]; issues: Map<number, SaleIssue[]> }> {
  const ctx = await loadContext(db, auth, inputs);
  const resolved: (ResolvedSale | undefined)[] = [];
  const issues = new Map<number, SaleIssue[]>();

  inputs.forEach((s, index) => {
    const dup = ctx.existing.get(s.sourceId);
    const blank = { input: s, productId: 0, personId: null, companyId: null, developmentId: null, hostDepartmentId: 0, nodeId: 0, departments: [], people: [] };
    if (dup !== undefined) {
      resolved.push({ ...blank, duplicateOf: dup });
      return;
    }
    const errs: SaleIssue[] = [];

    // Product, its unit score on the sale date, the date itself.
    const product = ctx.products.get(s.productCode.toUpperCase());
    if (!product) errs.push(issue('SALE.UNKNOWN_PRODUCT', 'productCode', `产品代码 ${s.productCode} 不存在`, `unknown product code ${s.productCode}`));
    else if (!product.active) errs.push(issue('SALE.PRODUCT_INACTIVE', 'productCode', `产品 ${product.code}（${product.name}）已停用`, `product ${product.code} is inactive`));
    if (s.saleDate > opts.today) {
      errs.push(issue('SALE.FUTURE_DATE', 'saleDate', `销售日期 ${s.saleDate} 晚于今日（北京时间 ${opts.today}）`, `sale date ${s.saleDate} is after today (${opts.today}, Beijing)`));
    } else if (product && !versionInForce(ctx.scores.get(product.id) ?? [], s.saleDate)) {
      errs.push(issue('SALE.NO_SCORE', 'saleDate', `产品 ${product.code} 在 ${s.saleDate} 没有生效的单位分值`, `product ${product.code} has no unit score in force on ${s.saleDate}`));
    }

    // Client: the buyer and/or the company.
    let personId: number | null = null;
    let companyId: number | null = null;
    if (!s.idNumber && !s.uscc) {
      errs.push(issue('SALE.UNKNOWN_CLIENT', 'client', '请填写客户身份证号码或统一社会信用代码', 'give the client’s ID number or unified social credit code'));
    } else {
      if (s.idNumber) {
        personId = ctx.people.get(s.idNumber) ?? null;
        if (personId === null) errs.push(issue('SALE.UNKNOWN_CLIENT', 'client', `身份证号码为 ${mask(s.idNumber)} 的个人客户不存在`, `no individual client with ID number ${mask(s.idNumber)}`));
      }
      if (s.uscc) {
        companyId = ctx.companies.get(s.uscc) ?? null;
        if (companyId === null) errs.push(issue('SALE.UNKNOWN_CLIENT', 'client', `统一社会信用代码 ${s.uscc} 的对公客户不存在`, `no corporate client with credit code ${s.uscc}`));
      }
    }

    // The branch: as given, else the first person's, else the caller's.
    let branch: NodeInfo | undefined;
    if (s.branchCode) {
      branch = ctx.nodesByCode.get(s.branchCode);
      if (!branch || branch.level === 'head') {
        errs.push(issue('SALE.UNKNOWN_BRANCH', 'branchCode', `机构号 ${s.branchCode} 不存在或不是分行`, `branch code ${s.branchCode} is unknown or not a branch`));
        branch = undefined;
      }
    } else {
      const first = s.people.map((p) => ctx.staff.get(p.staffNo)).find(Boolean);
      const path = first ? branchPathOf(first.path) : ctx.callerPath ? branchPathOf(ctx.callerPath) : null;
      branch = path ? ctx.nodesByPath.get(path) : undefined;
      if (!branch || branch.level === 'head') {
        errs.push(issue('SALE.UNKNOWN_BRANCH', 'branchCode', '无法确定销售所属分行，请填写机构号', 'cannot tell the sale’s branch; give its branch code'));
        branch = undefined;
      }
    }
    if (branch && !canAtBranch(auth, 'sale.write', branch.path)) {
      errs.push(issue('AUTH.OUT_OF_SCOPE', 'branchCode', `${branch.name}不在您的管理范围内`, `${branch.name} is outside your organisation`));
    }

    const deptOf = (code: string) => (branch ? ctx.depts.get(`${branch.id}:${code.toUpperCase()}`) : undefined);
    const out: ResolvedSale = { ...blank, productId: product?.id ?? 0, personId, companyId };
    if (branch) {
      out.nodeId = branch.id;
      // Host department: as given, else the product's, in the sale's branch.
      const hostCode = s.hostDepartmentCode ?? product?.hostDepartmentCode ?? null;
      const host = hostCode ? deptOf(hostCode) : undefined;
      if (hostCode && !host) {
        errs.push(issue('SALE.UNKNOWN_DEPARTMENT', 'hostDepartmentCode', `主办部门代码 ${hostCode} 不是${branch.name}的部门`, `host department ${hostCode} is not a department of ${branch.name}`));
      }
      if (host) out.hostDepartmentId = host.id;

      // Participants (SPEC §7): others than the host, each once, ratios all-or-none summing to 100 %.
      const seen = new Set<number>();
      let hostListed = false;
      for (const d of s.departments) {
        const dept = deptOf(d.code);
        if (!dept) {
          errs.push(issue('SALE.UNKNOWN_DEPARTMENT', 'departments', `参与部门代码 ${d.code} 不是${branch.name}的部门`, `participating department ${d.code} is not a department of ${branch.name}`));
        } else if (host && dept.id === host.id) {
          hostListed = true;
        } else if (seen.has(dept.id)) {
          errs.push(issue('SALE.DUPLICATE_PARTICIPANT', 'departments', `参与部门 ${d.code} 重复`, `participating department ${d.code} is listed twice`));
        } else {
          seen.add(dept.id);
          out.departments.push({ departmentId: dept.id, ratioBp: d.ratioBp });
        }
      }
      const others = s.departments.filter((d) => !host || deptOf(d.code)?.id !== host.id);
      if (others.length === 0) {
        errs.push(issue('SALE.NOT_CROSS_SALE', 'departments', '除主办部门外没有其他参与部门，不属于交叉营销', 'no participating department other than the host: not a cross-sale'));
      } else if (hostListed) {
        errs.push(issue('SALE.HOST_AS_PARTICIPANT', 'departments', `主办部门 ${hostCode} 不能同时作为参与部门`, `the host department ${hostCode} cannot also be a participant`));
      }
      if (!ratiosOk(s.departments.map((d) => ({ bp: d.ratioBp })))) {
        const sum = s.departments.reduce((a, d) => a + (d.ratioBp ?? 0), 0);
        const partial = s.departments.some((d) => d.ratioBp === null);
        errs.push(
          issue(
            'SALE.RATIOS_NOT_100',
            'departments',
            partial ? '参与部门分成比例须全部填写或全部不填' : `参与部门分成比例合计为 ${sum / 100}%，应为100%`,
            partial ? 'participant ratios must be given for all or for none' : `participant ratios sum to ${sum / 100} %, not 100 %`,
          ),
        );
      }

      // People: staff of the branch, each credited to the host or a participant, contributions per department.
      const onSale = new Set([...(host ? [host.id] : []), ...out.departments.map((d) => d.departmentId)]);
      const pairs = new Set<string>();
      const byDept = new Map<number, (number | null)[]>();
      for (const p of s.people) {
        const st = ctx.staff.get(p.staffNo);
        if (!st || !st.active || branchPathOf(st.path) !== branch.path) {
          const why = !st ? '不存在' : !st.active ? '已停用' : `不是${branch.name}的员工`;
          errs.push(issue('SALE.UNKNOWN_STAFF', 'people', `营销人员工号 ${p.staffNo} ${why}`, `staff number ${p.staffNo} is ${!st ? 'unknown' : !st.active ? 'inactive' : `not in ${branch.name}`}`));
          continue;
        }
        let deptId: number | undefined;
        if (p.departmentCode) {
          const dept = deptOf(p.departmentCode);
          if (!dept) {
            errs.push(issue('SALE.UNKNOWN_DEPARTMENT', 'people', `营销人员 ${p.staffNo} 的部门代码 ${p.departmentCode} 不是${branch.name}的部门`, `department ${p.departmentCode} of ${p.staffNo} is not in ${branch.name}`));
            continue;
          }
          deptId = dept.id;
        } else if (st.departmentId !== null && onSale.has(st.departmentId)) {
          deptId = st.departmentId;
        }
        if (deptId === undefined || !onSale.has(deptId)) {
          errs.push(
            issue(
              'SALE.STAFF_DEPARTMENT_NOT_ON_SALE',
              'people',
              p.departmentCode ? `营销人员 ${p.staffNo} 所列部门 ${p.departmentCode} 不是该笔销售的主办或参与部门` : `请为营销人员 ${p.staffNo} 指定该笔销售的主办或参与部门（工号@部门代码）`,
              p.departmentCode ? `${p.staffNo} is credited to ${p.departmentCode}, which is neither host nor participant` : `give the department of ${p.staffNo} on this sale (staffNo@DEPT)`,
            ),
          );
          continue;
        }
        const key = `${st.id}:${deptId}`;
        if (pairs.has(key)) {
          errs.push(issue('SALE.DUPLICATE_PERSON', 'people', `营销人员 ${p.staffNo} 在同一部门重复列出`, `${p.staffNo} is listed twice for the same department`));
          continue;
        }
        pairs.add(key);
        byDept.set(deptId, [...(byDept.get(deptId) ?? []), p.contributionBp]);
        out.people.push({ staffId: st.id, departmentId: deptId, role: p.role, contributionBp: p.contributionBp });
      }
      for (const [deptId, list] of byDept) {
        if (!ratiosOk(list.map((bp) => ({ bp })))) {
          const code = [...ctx.depts.values()].find((d) => d.id === deptId)?.code ?? String(deptId);
          errs.push(issue('SALE.CONTRIBUTIONS_NOT_100', 'people', `${code} 部门营销人员贡献比例须全部填写且合计为100%，或全部不填`, `contributions in ${code} must all be given and sum to 100 %, or none`));
        }
      }
    }

    // Development (SPEC §8): a mortgage needs one, of the sale's branch (or above it).
    if (s.developmentCode) {
      const dev = ctx.devs.get(s.developmentCode.toUpperCase());
      if (!dev || (branch && !branch.path.startsWith(dev.path))) {
        errs.push(issue('SALE.UNKNOWN_DEVELOPMENT', 'developmentCode', `楼盘编号 ${s.developmentCode} 不存在${dev && branch ? `或不属于${branch.name}` : ''}`, `development ${s.developmentCode} is unknown${dev ? ' or not of the sale’s branch' : ''}`));
      } else out.developmentId = dev.id;
    } else if (product?.mortgage) {
      errs.push(issue('SALE.DEVELOPMENT_REQUIRED', 'developmentCode', `${product.name}须填写楼盘编号`, `${product.code} is a mortgage product: give the development code`));
    }

    if (errs.length) {
      issues.set(index, errs);
      resolved.push(undefined);
    } else resolved.push(out);
  });
  return { resolved, issues };
}

function mask(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : id;
}
