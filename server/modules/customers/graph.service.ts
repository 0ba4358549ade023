import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import type { PersonRole } from '../../db/schema/customers.js';
import type { AuthContext } from '../access/context.js';
import { assertCustomerAt, inScope } from './customers.policy.js';
import { PERSON_ROLE_ZH } from './customers.schemas.js';
import { getCompanyRow } from './companies.service.js';
import { getPersonRow } from './individuals.service.js';

type NodeKind = 'company' | 'person';
interface GraphNode {
  id: string;
  kind: NodeKind;
  entityId: number;
  name: string;
  root: boolean;
  category: string | null;
}
interface GraphEdge {
  source: string;
  target: string;
  kind: PersonRole | 'group';
  label: string;
}

const idList = (ids: number[]): SQL =>
  sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );
const ROLE_ORDER = sql`CASE cp.role WHEN 'legal_rep' THEN 0 WHEN 'shareholder' THEN 1 WHEN 'executive' THEN 2 WHEN 'middle' THEN 3 ELSE 4 END`;

/**
 * The relationship graph around a company or a person (SPEC §2) for the console's force layout:
 * depth 1 = its direct links, depth 2 = their links too. Only clients in the caller's scope
 * appear; at most `limit` nodes (most senior links first), `truncated` says when cut.
 */
export async function relationshipGraph(db: Db, auth: AuthContext, q: { companyId?: number; personId?: number; depth: number; limit: number }) {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  let truncated = false;
  const add = (n: Omit<GraphNode, 'root'>, root = false): boolean => {
    if (nodes.has(n.id)) return true;
    if (nodes.size >= q.limit) {
      truncated = true;
      return false;
    }
    nodes.set(n.id, { ...n, root });
    return true;
  };
  const edge = (e: GraphEdge) => edges.set(`${e.source}>${e.target}:${e.kind}`, e);

  let companies: number[] = [];
  let people: number[] = [];
  if (q.companyId) {
    const c = await getCompanyRow(db, q.companyId);
    assertCustomerAt(auth, 'customer.read', c.nodePath);
    add({ id: `c${c.id}`, kind: 'company', entityId: c.id, name: c.name, category: c.typeName }, true);
    companies = [c.id];
  } else {
    const p = await getPersonRow(db, q.personId!);
    assertCustomerAt(auth, 'customer.read', p.nodePath);
    add({ id: `p${p.id}`, kind: 'person', entityId: p.id, name: p.name, category: p.vipTier }, true);
    people = [p.id];
  }
  const seenC = new Set(companies);
  const seenP = new Set(people);

  for (let level = 0; level < q.depth && !truncated; level++) {
    const nextC: number[] = [];
    const nextP: number[] = [];
    if (companies.length) {
      const links = await rows<{ companyId: number; personId: number; name: string; vipTier: string | null; role: PersonRole; title: string | null }>(
        db,
        sql`SELECT cp.company_id AS "companyId", p.id AS "personId", p.name, p.vip_tier AS "vipTier", cp.role, cp.title
            FROM company_people cp JOIN individuals p ON p.id = cp.person_id JOIN org_nodes n ON n.id = p.node_id
            WHERE cp.company_id IN (${idList(companies)}) AND ${inScope(auth, sql`n.path`)}
            ORDER BY ${ROLE_ORDER}, p.aum_fen DESC, p.id LIMIT ${q.limit * 2}`,
      );
      for (const l of links) {
        if (!add({ id: `p${l.personId}`, kind: 'person', entityId: l.personId, name: l.name, category: l.vipTier })) break;
        edge({ source: `c${l.companyId}`, target: `p${l.personId}`, kind: l.role, label: l.title ?? PERSON_ROLE_ZH[l.role] });
        if (!seenP.has(l.personId)) {
          seenP.add(l.personId);
          nextP.push(l.personId);
        }
      }
      const groups = await rows<{ parentId: number; childId: number; otherId: number; name: string; typeName: string }>(
        db,
        sql`SELECT l.parent_id AS "parentId", l.child_id AS "childId", o.id AS "otherId", o.name, t.name_zh AS "typeName"
            FROM company_links l
            JOIN corporate_clients o ON o.id = CASE WHEN l.parent_id IN (${idList(companies)}) THEN l.child_id ELSE l.parent_id END
            JOIN client_types t ON t.code = o.type_code JOIN org_nodes n ON n.id = o.node_id
            WHERE (l.parent_id IN (${idList(companies)}) OR l.child_id IN (${idList(companies)})) AND ${inScope(auth, sql`n.path`)}
            ORDER BY o.id LIMIT ${q.limit}`,
      );
      for (const g of groups) {
        if (!add({ id: `c${g.otherId}`, kind: 'company', entityId: g.otherId, name: g.name, category: g.typeName })) break;
        edge({ source: `c${g.parentId}`, target: `c${g.childId}`, kind: 'group', label: '集团成员' });
        if (!seenC.has(g.otherId)) {
          seenC.add(g.otherId);
          nextC.push(g.otherId);
        }
      }
    }
    if (people.length && !truncated) {
      const links = await rows<{ companyId: number; personId: number; name: string; typeName: string; role: PersonRole; title: string | null }>(
        db,
        sql`SELECT cp.company_id AS "companyId", cp.person_id AS "personId", c.name, t.name_zh AS "typeName", cp.role, cp.title
            FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id JOIN client_types t ON t.code = c.type_code
            JOIN org_nodes n ON n.id = c.node_id
            WHERE cp.person_id IN (${idList(people)}) AND ${inScope(auth, sql`n.path`)}
            ORDER BY ${ROLE_ORDER}, c.id LIMIT ${q.limit * 2}`,
      );
      for (const l of links) {
        if (!add({ id: `c${l.companyId}`, kind: 'company', entityId: l.companyId, name: l.name, category: l.typeName })) break;
        edge({ source: `c${l.companyId}`, target: `p${l.personId}`, kind: l.role, label: l.title ?? PERSON_ROLE_ZH[l.role] });
        if (!seenC.has(l.companyId)) {
          seenC.add(l.companyId);
          nextC.push(l.companyId);
        }
      }
    }
    companies = nextC;
    people = nextP;
  }
  // Edges whose both ends made it into the (possibly cut) node set.
  const list = [...edges.values()].filter((e) => nodes.has(e.source) && nodes.has(e.target));
  return { nodes: [...nodes.values()], edges: list, truncated };
}
