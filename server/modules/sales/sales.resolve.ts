import { textArray } from '../../db/arrays.js';
import { sql } from 'drizzle-orm';
import type { ErrorCode } from '../../../shared/errors.js';
import { assessedKey, assessedYears } from '../../db/assessed-years.js';
import { allOf, type DbOrTx, rows } from '../../db/client.js';
import type { AuthContext } from '../access/context.js';
import { canReach } from '../access/references.js';
import { versionInForce } from '../products/products.rules.js';
import { canAtBranch, CLIENT_REACH } from './sales.policy.js';
import { branchPathOf, MAX_WEIGHT_TOTAL, ratioProblem, type SaleInput } from './sales.rules.js';
import { conflictText, contentOf, differingFields, fingerprintOf, loadStoredSales, type StoredSale, takenElsewhereText } from './sales.content.js';

/** The part of a sale an issue is about (import reports name the matching column). */
export type SaleField = 'sourceId' | 'productCode' | 'client' | 'projectId' | 'developmentCode' | 'saleDate' | 'quantity' | 'branchCode' | 'hostDepartmentCode' | 'departments' | 'people';

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
  /** sha256 of the sale's normalised content (sales.content.ts), stored with it at insert. */
  fingerprint: string;
  productId: number;
  personId: number | null;
  companyId: number | null;
  developmentId: number | null;
  hostDepartmentId: number;
  nodeId: number;
  departments: { departmentId: number; ratioBp: number | null; weight: number | null }[];
  people: { staffId: number; departmentId: number; role: string; contributionBp: number | null; weight: number | null }[];
}

interface NodeInfo {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}

interface StaffInfo {
  id: number;
  staffNo: string;
  name: string;
  active: boolean;
  departmentId: number | null;
  path: string;
  /** The path of the branch the person works in (computed once, read per sale). */
  branchPath: string;
}

/**
 * What the checks read that a load does not change: the catalogue, the org tree, departments,
 * staff and developments. A bulk load reads it once (all staff, all developments); a batch reads
 * only the staff and developments its sales name.
 */
export interface StaticContext {
  products: Map<string, { id: number; code: string; name: string; hostDepartmentCode: string; mortgage: boolean; active: boolean }>;
  scores: Map<number, { effectiveFrom: string }[]>;
  nodesByCode: Map<string, NodeInfo>;
  nodesByPath: Map<string, NodeInfo>;
  callerPath: string | null;
  /** Active departments by branch node id, then by upper-case code. */
  deptsByNode: Map<number, Map<string, { id: number; nodeId: number; code: string; name: string }>>;
  deptCodeById: Map<number, string>;
  staff: Map<string, StaffInfo>;
  devs: Map<string, { id: number; code: string; nodeId: number; path: string }>;
  /** Marketing projects (SPEC §4) by id: the branch each belongs to. */
  projects: Map<number, number>;
  /** Whether the caller may record sales at a branch, by branch path (memoised per context). */
  scope: Map<string, boolean>;
  /** Branch × year whose assessment is final (`nodeId:year`, db/assessed-years.ts): read once per load. */
  assessed: Set<string>;
}

/** A client named by a sale: its id and the path of its org node (for the scope check). */
export interface ClientRef {
  id: number;
  path: string;
}

/**
 * What depends on the sales at hand: source ids already recorded, and the clients they name.
 * `stored` holds the recorded content of the source ids re-sent with another fingerprint (or none,
 * a sale recorded before fingerprints): those are compared field by field.
 */
export interface ChunkContext {
  existing: Map<string, number>;
  /** Each recorded sale's branch path (null: archived): outside the caller's scope, only "taken" is said. */
  recordedAt: Map<string, string | null>;
  stored: Map<string, StoredSale>;
  people: Map<string, ClientRef>;
  companies: Map<string, ClientRef>;
}

const uniq = <T>(l: (T | null)[]) => [...new Set(l.filter((x): x is T => x !== null))];

/** A text[] parameter as one array literal (db/arrays.ts). */
export { textArray };

/**
 * Loads the static part of the checks. `only` limits staff and developments to the numbers and
 * codes given (a batch of a few sales need not read every employee of the province).
 */
export async function loadStaticContext(db: DbOrTx, auth: AuthContext, only?: { staffNos: string[]; developmentCodes: string[] }): Promise<StaticContext> {
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

  const nodeRows = await rows<NodeInfo>(db, sql`SELECT id, code, name, level, path FROM org_nodes WHERE level IN ('head', 'province', 'branch') OR id = ${auth.nodeId}`);
  const nodesByCode = new Map(nodeRows.map((n) => [n.code, n]));
  const nodesByPath = new Map(nodeRows.map((n) => [n.path, n]));
  const callerPath = nodeRows.find((n) => n.id === auth.nodeId)?.path ?? null;

  const deptRows = await rows<{ id: number; nodeId: number; code: string; name: string }>(db, sql`SELECT id, node_id AS "nodeId", code, name FROM departments WHERE active`);
  const deptsByNode = new Map<number, Map<string, (typeof deptRows)[number]>>();
  for (const d of deptRows) {
    const byCode = deptsByNode.get(d.nodeId) ?? new Map();
    byCode.set(d.code.toUpperCase(), d);
    deptsByNode.set(d.nodeId, byCode);
  }
  const deptCodeById = new Map(deptRows.map((d) => [d.id, d.code]));

  const staffRows = await rows<Omit<StaffInfo, 'branchPath'>>(
    db,
    sql`SELECT s.id, s.staff_no AS "staffNo", s.name, s.active, s.department_id AS "departmentId", n.path
        FROM staff s JOIN org_nodes n ON n.id = s.node_id ${only ? sql`WHERE s.staff_no = ANY(${textArray(only.staffNos)}::text[])` : sql``}`,
  );
  const staff = new Map(staffRows.map((r) => [r.staffNo, { ...r, branchPath: branchPathOf(r.path) }]));

  const devRows = await rows<{ id: number; code: string; nodeId: number; path: string }>(
    db,
    sql`SELECT d.id, d.code, d.node_id AS "nodeId", n.path FROM developments d JOIN org_nodes n ON n.id = d.node_id
        ${only ? sql`WHERE d.code = ANY(${textArray(only.developmentCodes)}::text[])` : sql``}`,
  );
  // Codes match as written (a development code is looked up exactly, never case-folded).
  const devs = new Map(devRows.map((r) => [r.code, r]));

  const assessed = await assessedYears(db);

  const projectRows = await rows<{ id: number; nodeId: number }>(db, sql`SELECT id, node_id AS "nodeId" FROM projects`);
  const projects = new Map(projectRows.map((r) => [r.id, r.nodeId]));
  return { products, scores, nodesByCode, nodesByPath, callerPath, deptsByNode, deptCodeById, staff, devs, projects, scope: new Map(), assessed };
}

/** Loads the per-sale part: one statement per kind, whatever the number of sales. */
export async function loadChunkContext(db: DbOrTx, inputs: readonly SaleInput[]): Promise<ChunkContext> {
  const sourceIds = uniq(inputs.map((i) => i.sourceId));
  const idNumbers = uniq(inputs.map((i) => i.idNumber));
  const usccs = uniq(inputs.map((i) => i.uscc));
  type Ref = { id: number; k: string; path: string };
  const [found, persons, firms] = await allOf(db, [
    async () =>
      sourceIds.length
        ? rows<{ id: number; k: string; fp: string | null; path: string | null }>(
            db,
            sql`SELECT k.sale_id AS id, k.source_id AS k, k.content_sha256 AS fp, n.path
                  FROM sale_keys k
                  LEFT JOIN sales s ON s.id = k.sale_id AND s.province_id = k.province_id AND s.sale_date = k.sale_date
                  LEFT JOIN org_nodes n ON n.id = s.node_id
                 WHERE k.source_id = ANY(${textArray(sourceIds)}::text[])`,
          )
        : [],
    async () =>
      idNumbers.length
        ? rows<Ref>(db, sql`SELECT c.id, c.id_number AS k, n.path FROM individuals c JOIN org_nodes n ON n.id = c.node_id WHERE c.id_number = ANY(${textArray(idNumbers)}::text[])`)
        : ([] as Ref[]),
    async () =>
      usccs.length ? rows<Ref>(db, sql`SELECT c.id, c.uscc AS k, n.path FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id WHERE c.uscc = ANY(${textArray(usccs)}::text[])`) : ([] as Ref[]),
  ]);
  const refs = (list: Ref[]) => new Map(list.map((r) => [r.k, { id: r.id, path: r.path }]));
  // A re-send with the fingerprint on file is the same sale; any other is read back, set-based.
  const onFile = new Map(found.map((r) => [r.k, r]));
  const differ = new Map<number, string>();
  for (const s of inputs) {
    const f = onFile.get(s.sourceId);
    if (f && f.fp !== fingerprintOf(s)) differ.set(Number(f.id), s.sourceId);
  }
  const stored = new Map<string, StoredSale>();
  for (const [id, sale] of await loadStoredSales(db, [...differ.keys()])) stored.set(differ.get(id)!, sale);
  return {
    existing: new Map(found.map((r) => [r.k, Number(r.id)])),
    recordedAt: new Map(found.map((r) => [r.k, r.path])),
    stored,
    people: refs(persons),
    companies: refs(firms),
  };
}

/** canAtBranch, once per branch: the context belongs to one caller. */
function inScope(ctx: StaticContext, auth: AuthContext, branchPath: string): boolean {
  let ok = ctx.scope.get(branchPath);
  if (ok === undefined) ctx.scope.set(branchPath, (ok = canAtBranch(auth, 'sale.write', branchPath)));
  return ok;
}

/** The client's id when the caller may read it, else null (answered as unknown). */
function reachable(auth: AuthContext, c: ClientRef | undefined): number | null {
  return c && canReach(auth, CLIENT_REACH, c.path) ? c.id : null;
}

/** A department of the sale's branch by code, matched without case. Module-level, not a closure per sale. */
function deptIn(branchDepts: StaticContext['deptsByNode'] extends Map<number, infer M> ? M | undefined : never, code: string) {
  return branchDepts?.get(code.toUpperCase());
}

const issue = (code: ErrorCode, field: SaleField, zh: string, en: string): SaleIssue => ({ code, field, zh, en });

/** One sale checked: resolved (or a duplicate of a recorded source id), or every issue found. */
export type SaleResolution = { sale: ResolvedSale; issues?: undefined } | { sale?: undefined; issues: SaleIssue[] };

/**
 * Checks one sale against the catalogue, the clients, the org tree and the caller's scope
 * (SPEC §7), reading only the loaded contexts. A source id already on file with the same content
 * resolves as a duplicate without further checks: re-sending changes nothing. The same source id
 * with different content is SALE.CONFLICT, one issue per differing field (issue 12, rule 3).
 */
export function resolveSale(ctx: StaticContext & ChunkContext, auth: AuthContext, s: SaleInput, opts: { today: string; fingerprint?: string }): SaleResolution {
  const dup = ctx.existing.get(s.sourceId);
  const out: ResolvedSale = { input: s, fingerprint: '', productId: 0, personId: null, companyId: null, developmentId: null, hostDepartmentId: 0, nodeId: 0, departments: [], people: [] };
  if (dup !== undefined) {
    const at = ctx.recordedAt.get(s.sourceId);
    if (!at || !inScope(ctx, auth, at)) {
      const t = takenElsewhereText(s.sourceId);
      return { issues: [issue('AUTH.OUT_OF_SCOPE', 'sourceId', t.zh, t.en)] };
    }
    const conflicts = conflictIssues(ctx.stored.get(s.sourceId), s);
    return conflicts.length ? { issues: conflicts } : { sale: { ...out, duplicateOf: dup } };
  }
  // The bulk path computes it with the parsing (in its worker): fingerprintOf(s), the same value.
  out.fingerprint = opts.fingerprint ?? fingerprintOf(s);
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

  // The branch: as given, else the first person's, else the caller's.
  let branch: NodeInfo | undefined;
  if (s.branchCode) {
    branch = ctx.nodesByCode.get(s.branchCode);
    if (!branch || branch.level === 'head') {
      errs.push(issue('SALE.UNKNOWN_BRANCH', 'branchCode', `机构号 ${s.branchCode} 不存在或不是分行`, `branch code ${s.branchCode} is unknown or not a branch`));
      branch = undefined;
    }
  } else {
    let first: StaffInfo | undefined;
    for (const p of s.people) if ((first = ctx.staff.get(p.staffNo))) break;
    const path = first ? first.branchPath : ctx.callerPath ? branchPathOf(ctx.callerPath) : null;
    branch = path ? ctx.nodesByPath.get(path) : undefined;
    if (!branch || branch.level === 'head') {
      errs.push(issue('SALE.UNKNOWN_BRANCH', 'branchCode', '无法确定销售所属分行，请填写机构号', 'cannot tell the sale’s branch; give its branch code'));
      branch = undefined;
    }
  }
  if (branch && !inScope(ctx, auth, branch.path)) {
    errs.push(issue('AUTH.OUT_OF_SCOPE', 'branchCode', `${branch.name}不在您的管理范围内`, `${branch.name} is outside your organisation`));
  }
  // Art. 22: once the year's assessment is final (paid out and locked), its sales are closed.
  const year = Number(s.saleDate.slice(0, 4));
  if (branch && ctx.assessed.has(assessedKey(branch.id, year))) {
    errs.push(
      issue(
        'SALE.YEAR_ASSESSED',
        'saleDate',
        `${branch.name} ${year} 年度考核已兑现锁定，该年度的交易不能再登记或更正（销售日期 ${s.saleDate}）`,
        `${branch.name}’s ${year} assessment is paid out and locked: sales dated in ${year} can no longer be recorded or corrected (sale date ${s.saleDate})`,
      ),
    );
  }

  // Client: the buyer and/or the company. One the caller cannot read (another branch's) is
  // answered exactly like one that does not exist (issue 10, finding 11): the sale would show its
  // name to the whole branch, and a different answer would tell that the ID number is a client.
  let personId: number | null = null;
  let companyId: number | null = null;
  if (!s.idNumber && !s.uscc) {
    errs.push(issue('SALE.UNKNOWN_CLIENT', 'client', '请填写客户身份证号码或统一社会信用代码', 'give the client’s ID number or unified social credit code'));
  } else {
    if (s.idNumber) {
      personId = reachable(auth, ctx.people.get(s.idNumber));
      if (personId === null)
        errs.push(
          issue(
            'SALE.UNKNOWN_CLIENT',
            'client',
            `身份证号码为 ${mask(s.idNumber)} 的个人客户不存在或不在您的管理范围内`,
            `no individual client with ID number ${mask(s.idNumber)} in your organisation`,
          ),
        );
    }
    if (s.uscc) {
      companyId = reachable(auth, ctx.companies.get(s.uscc));
      if (companyId === null)
        errs.push(issue('SALE.UNKNOWN_CLIENT', 'client', `统一社会信用代码 ${s.uscc} 的对公客户不存在或不在您的管理范围内`, `no corporate client with credit code ${s.uscc} in your organisation`));
    }
  }

  out.productId = product?.id ?? 0;
  out.personId = personId;
  out.companyId = companyId;
  if (branch) {
    const branchDepts = ctx.deptsByNode.get(branch.id);
    out.nodeId = branch.id;
    // Host department: as given, else the product's, in the sale's branch.
    const hostCode = s.hostDepartmentCode ?? product?.hostDepartmentCode ?? null;
    const host = hostCode ? deptIn(branchDepts, hostCode) : undefined;
    if (hostCode && !host) {
      errs.push(issue('SALE.UNKNOWN_DEPARTMENT', 'hostDepartmentCode', `主办部门代码 ${hostCode} 不是${branch.name}的部门`, `host department ${hostCode} is not a department of ${branch.name}`));
    }
    if (host) out.hostDepartmentId = host.id;

    // Participants (SPEC §7): others than the host, each once, ratios all-or-none summing to 100 %.
    const seen = new Set<number>();
    let hostListed = false;
    let others = 0;
    for (const d of s.departments) {
      const dept = deptIn(branchDepts, d.code);
      if (!host || dept?.id !== host.id) others++;
      if (!dept) {
        errs.push(issue('SALE.UNKNOWN_DEPARTMENT', 'departments', `参与部门代码 ${d.code} 不是${branch.name}的部门`, `participating department ${d.code} is not a department of ${branch.name}`));
      } else if (host && dept.id === host.id) {
        hostListed = true;
      } else if (seen.has(dept.id)) {
        errs.push(issue('SALE.DUPLICATE_PARTICIPANT', 'departments', `参与部门 ${d.code} 重复`, `participating department ${d.code} is listed twice`));
      } else {
        seen.add(dept.id);
        out.departments.push({ departmentId: dept.id, ratioBp: d.ratioBp, weight: d.weight ?? null });
      }
    }
    if (others === 0) {
      errs.push(issue('SALE.NOT_CROSS_SALE', 'departments', '除主办部门外没有其他参与部门，不属于交叉营销', 'no participating department other than the host: not a cross-sale'));
    } else if (hostListed) {
      errs.push(issue('SALE.HOST_AS_PARTICIPANT', 'departments', `主办部门 ${hostCode} 不能同时作为参与部门`, `the host department ${hostCode} cannot also be a participant`));
    }
    const ratioIssue = ratioProblem(s.departments.map((d) => ({ bp: d.ratioBp, weight: d.weight })));
    if (ratioIssue) {
      const sum = s.departments.reduce((a, d) => a + (d.ratioBp ?? 0), 0);
      const [zh, en] = {
        partial: ['参与部门分成比例须全部填写或全部不填', 'participant ratios must be given for all or for none'],
        mixed: ['参与部门分成比例须统一用百分比或统一用权重', 'participant ratios must all be percentages or all weights'],
        sum: [`参与部门分成比例合计为 ${sum / 100}%，应为100%`, `participant ratios sum to ${sum / 100} %, not 100 %`],
        weights: [`参与部门权重须为不小于1的整数，合计不超过${MAX_WEIGHT_TOTAL}`, `participant weights must be integers ≥ 1 totalling at most ${MAX_WEIGHT_TOTAL}`],
      }[ratioIssue];
      errs.push(issue('SALE.RATIOS_NOT_100', 'departments', zh, en));
    }

    // People: staff of the branch, each credited to the host or a participant, contributions per department.
    const onSale = new Set<number>();
    if (host) onSale.add(host.id);
    for (const d of out.departments) onSale.add(d.departmentId);
    const pairs = new Set<string>();
    const byDept = new Map<number, { bp: number | null; weight: number | null }[]>();
    for (const p of s.people) {
      const st = ctx.staff.get(p.staffNo);
      if (!st || !st.active || st.branchPath !== branch.path) {
        const why = !st ? '不存在' : !st.active ? '已停用' : `不是${branch.name}的员工`;
        errs.push(issue('SALE.UNKNOWN_STAFF', 'people', `营销人员工号 ${p.staffNo} ${why}`, `staff number ${p.staffNo} is ${!st ? 'unknown' : !st.active ? 'inactive' : `not in ${branch.name}`}`));
        continue;
      }
      let deptId: number | undefined;
      if (p.departmentCode) {
        const dept = deptIn(branchDepts, p.departmentCode);
        if (!dept) {
          errs.push(
            issue(
              'SALE.UNKNOWN_DEPARTMENT',
              'people',
              `营销人员 ${p.staffNo} 的部门代码 ${p.departmentCode} 不是${branch.name}的部门`,
              `department ${p.departmentCode} of ${p.staffNo} is not in ${branch.name}`,
            ),
          );
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
      const list = byDept.get(deptId);
      const share = { bp: p.contributionBp, weight: p.weight ?? null };
      if (list) list.push(share);
      else byDept.set(deptId, [share]);
      out.people.push({ staffId: st.id, departmentId: deptId, role: p.role, contributionBp: p.contributionBp, weight: p.weight ?? null });
    }
    for (const [deptId, list] of byDept) {
      if (ratioProblem(list)) {
        const code = ctx.deptCodeById.get(deptId) ?? String(deptId);
        errs.push(
          issue(
            'SALE.CONTRIBUTIONS_NOT_100',
            'people',
            `${code} 部门营销人员贡献比例须全部填写且合计为100%（或全部为整数权重），或全部不填`,
            `contributions in ${code} must all be given and sum to 100 % (or all be integer weights), or none`,
          ),
        );
      }
    }
  }

  // Development (SPEC §8): a mortgage needs one, of the sale's branch (or above it).
  if (s.developmentCode) {
    const dev = ctx.devs.get(s.developmentCode);
    if (!dev || (branch && !branch.path.startsWith(dev.path))) {
      errs.push(
        issue(
          'SALE.UNKNOWN_DEVELOPMENT',
          'developmentCode',
          `楼盘编号 ${s.developmentCode} 不存在${dev && branch ? `或不属于${branch.name}` : ''}`,
          `development ${s.developmentCode} is unknown${dev ? ' or not of the sale’s branch' : ''}`,
        ),
      );
    } else out.developmentId = dev.id;
  } else if (product?.mortgage) {
    errs.push(issue('SALE.DEVELOPMENT_REQUIRED', 'developmentCode', `${product.name}须填写楼盘编号`, `${product.code} is a mortgage product: give the development code`));
  }

  // Project (SPEC §4): one of the sale's branch; its points show on the project's board.
  if (s.projectId != null && (!ctx.projects.has(s.projectId) || (branch && ctx.projects.get(s.projectId) !== branch.id))) {
    errs.push(issue('SALE.UNKNOWN_PROJECT', 'projectId', `项目编号 ${s.projectId} 不存在或不属于该分行`, `project ${s.projectId} is unknown or not the sale’s branch’s`));
  }

  return errs.length ? { issues: errs } : { sale: out };
}

/**
 * Checks a batch of sales (API, batch, Excel import): loads the contexts for exactly these sales,
 * then resolves each. Returns, per input, the resolved sale or its issues.
 */
export async function resolveSales(db: DbOrTx, auth: AuthContext, inputs: SaleInput[], opts: { today: string }): Promise<{ resolved: (ResolvedSale | undefined)[]; issues: Map<number, SaleIssue[]> }> {
  const only = { staffNos: uniq(inputs.flatMap((i) => i.people.map((p) => p.staffNo))), developmentCodes: uniq(inputs.map((i) => i.developmentCode)) };
  const ctx = { ...(await loadStaticContext(db, auth, only)), ...(await loadChunkContext(db, inputs)) };
  const resolved: (ResolvedSale | undefined)[] = [];
  const issues = new Map<number, SaleIssue[]>();
  inputs.forEach((s, index) => {
    const r = resolveSale(ctx, auth, s, opts);
    if (r.issues) issues.set(index, r.issues);
    resolved.push(r.sale);
  });
  return { resolved, issues };
}

/** A re-send against its recorded sale: one SALE.CONFLICT per differing field; [] = the same sale. */
function conflictIssues(stored: StoredSale | undefined, s: SaleInput): SaleIssue[] {
  if (!stored) return [];
  const sent = contentOf(s);
  return differingFields(sent, stored.content).map((f) => {
    const t = conflictText(s.sourceId, stored.id, f, sent, stored.content);
    return issue('SALE.CONFLICT', f, t.zh, t.en);
  });
}

function mask(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : id;
}
