import type { APIRequestContext, Browser } from 'playwright-core';
import { apiSignIn } from './antd.js';
import { newContext } from './browser.js';

export const FS = 11;
export const CORP_DEPT = 1101; // 佛山分行公司业务部 (demo-bank.ts: departments nodeId*100 + n)

export interface Person {
  personId: number;
  name: string;
  /** 金融资产 on file, in 分. */
  aumFen: number;
}
export interface StaffRow {
  id: number;
  staffNo: string;
  name: string;
  nodeId: number;
}
export interface ProjectSetup {
  unit: { id: number; name: string; people: Person[] };
  /** A corporate AM of 佛山. */
  corp: StaffRow;
  /** 佛山's first outlet with a personal AM, and that AM. */
  outlet: { id: number; name: string };
  outletAm: StaffRow;
}

const json = async <T>(r: Promise<{ json(): Promise<unknown> }>) => (await (await r).json()) as T;

/**
 * What every project test starts from (issue 13): a company of 佛山 with at least three people,
 * nominated by the corporate department and approved onto the published target list by the
 * committee, plus the staff a team is formed from. Done over the API, as the console would.
 */
export async function approvedUnit(browser: Browser, baseUrl: string): Promise<ProjectSetup> {
  const setup = await newContext(browser, baseUrl);
  const admin = setup.request;
  const csrf = await apiSignIn(admin, 'fs_admin');
  const { items: companies } = await json<{ items: { id: number; name: string }[] }>(admin.get('/api/customers/companies', { params: { nodeId: FS, pageSize: 100 } }));
  let unit: ProjectSetup['unit'] | undefined;
  for (const c of companies) {
    const full = await json<{ people: Person[] }>(admin.get(`/api/customers/companies/${c.id}`));
    if (new Set(full.people.map((p) => p.personId)).size >= 3) {
      unit = { ...c, people: full.people };
      break;
    }
  }
  if (!unit) throw new Error('no company of 佛山 with three people in the demo bank');
  const nom = await admin.post('/api/targets/nominations', { headers: { 'x-csrf-token': csrf }, data: { companyId: unit.id, departmentId: CORP_DEPT, reason: '代发工资单位，员工理财需求集中' } });
  if (nom.status() !== 201) throw new Error(`nomination: ${nom.status()} ${await nom.text()}`);
  const committee = await newContext(browser, baseUrl);
  const ccsrf = await apiSignIn(committee.request, 'fs_president');
  const nomId = ((await nom.json()) as { id: number }).id;
  const approved = await committee.request.post(`/api/targets/nominations/${nomId}/approve`, { headers: { 'x-csrf-token': ccsrf }, data: { reason: '同意纳入' } });
  const published = await committee.request.post(`/api/targets/lists/${FS}/${CORP_DEPT}/versions`, { headers: { 'x-csrf-token': ccsrf }, data: { note: '12月新增' } });
  if (approved.status() !== 200 || published.status() !== 201) throw new Error(`approval ${approved.status()}, list version ${published.status()}`);
  await committee.close();
  const staff = async (params: Record<string, string | number>) => (await json<{ items: StaffRow[] }>(admin.get('/api/staff', { params: { pageSize: 200, active: 'true', ...params } }))).items;
  const [corp] = await staff({ nodeId: FS, role: 'corporate_am' });
  const { items: nodes } = await json<{ items: { id: number; name: string; level: string; path: string }[] }>(admin.get('/api/org/nodes'));
  for (const n of nodes.filter((x) => x.level === 'outlet' && x.path.startsWith(`/1/2/${FS}/`))) {
    const [outletAm] = await staff({ nodeId: n.id, role: 'personal_am' });
    if (outletAm) {
      await setup.close();
      return { unit, corp, outlet: n, outletAm };
    }
  }
  throw new Error('no outlet of 佛山 with a personal AM');
}

/** A signed-in API client (its own cookie jar) that sends the CSRF token on every write. */
export async function apiAs(browser: Browser, baseUrl: string, staffNo: string) {
  const ctx = await newContext(browser, baseUrl);
  const csrf = await apiSignIn(ctx.request, staffNo);
  const headers = { 'x-csrf-token': csrf };
  const req: APIRequestContext = ctx.request;
  const call = async <T>(method: 'post' | 'put' | 'patch', url: string, data: unknown, status = [200, 201]): Promise<T> => {
    const r = await req[method](url, { headers, data });
    if (!status.includes(r.status())) throw new Error(`${method.toUpperCase()} ${url}: ${r.status()} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return {
    get: async <T>(url: string, params?: Record<string, string | number>) => {
      const r = await req.get(url, { params });
      if (r.status() !== 200) throw new Error(`GET ${url}: ${r.status()} ${await r.text()}`);
      return (await r.json()) as T;
    },
    post: <T>(url: string, data: unknown = {}) => call<T>('post', url, data),
    put: <T>(url: string, data: unknown) => call<T>('put', url, data),
    patch: <T>(url: string, data: unknown) => call<T>('patch', url, data),
    close: () => ctx.close(),
  };
}
