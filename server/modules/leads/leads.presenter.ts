import { sql } from 'drizzle-orm';
import { type EscalationLevel, isOpen, type LeadSource, type LeadStage, nextEscalationAt } from './leads.rules.js';
import type { LeadOutT } from './leads.schemas.js';

/** A lead as the queries read it: the row with the names and codes an integrator needs. */
export interface LeadRow {
  id: number;
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  nodePath: string;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  ownerStaffId: number | null;
  ownerStaffNo: string | null;
  ownerName: string | null;
  productId: number | null;
  productCode: string | null;
  productName: string | null;
  productHostCode: string | null;
  personId: number | null;
  companyId: number | null;
  contactName: string;
  source: LeadSource;
  stage: LeadStage;
  lostReason: string | null;
  note: string | null;
  escalationLevel: number;
  flaggedAt: Date | string | null;
  saleId: number | null;
  projectId: number | null;
  projectName: string | null;
  activityId: number | null;
  createdAt: Date | string;
  touchedAt: Date | string;
  closedAt: Date | string | null;
}

/** The one SELECT every lead read starts from (alias l, with its branch n). */
export const leadSelect = sql`SELECT l.id, l.node_id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", n.path AS "nodePath",
       l.department_id AS "departmentId", d.code AS "departmentCode", d.name AS "departmentName",
       l.owner_staff_id AS "ownerStaffId", o.staff_no AS "ownerStaffNo", o.name AS "ownerName",
       l.product_id AS "productId", p.code AS "productCode", p.name AS "productName", p.host_department_code AS "productHostCode",
       l.person_id AS "personId", l.company_id AS "companyId", l.contact_name AS "contactName", l.source, l.stage,
       l.lost_reason AS "lostReason", l.note, l.escalation_level AS "escalationLevel", l.flagged_at AS "flaggedAt", l.sale_id AS "saleId",
       l.project_id AS "projectId", pj.name AS "projectName", l.activity_id AS "activityId",
       l.created_at AS "createdAt", l.touched_at AS "touchedAt", l.closed_at AS "closedAt"
  FROM leads l
  JOIN org_nodes n ON n.id = l.node_id
  JOIN departments d ON d.id = l.department_id
  LEFT JOIN staff o ON o.id = l.owner_staff_id
  LEFT JOIN products p ON p.id = l.product_id
  LEFT JOIN projects pj ON pj.id = l.project_id`;

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export function presentLead(r: LeadRow): LeadOutT {
  const touched = new Date(r.touchedAt);
  const held = isOpen(r.stage) && r.ownerStaffId !== null;
  return {
    id: r.id,
    nodeId: r.nodeId,
    nodeCode: r.nodeCode,
    nodeName: r.nodeName,
    departmentId: r.departmentId,
    departmentCode: r.departmentCode,
    departmentName: r.departmentName,
    ownerStaffId: r.ownerStaffId,
    ownerStaffNo: r.ownerStaffNo,
    ownerName: r.ownerName,
    productId: r.productId,
    productCode: r.productCode,
    productName: r.productName,
    personId: r.personId,
    companyId: r.companyId,
    contactName: r.contactName,
    source: r.source,
    stage: r.stage,
    lostReason: r.lostReason,
    note: r.note,
    escalationLevel: Number(r.escalationLevel),
    flaggedAt: iso(r.flaggedAt),
    saleId: r.saleId,
    projectId: r.projectId,
    projectName: r.projectName,
    activityId: r.activityId,
    createdAt: iso(r.createdAt)!,
    touchedAt: touched.toISOString(),
    closedAt: iso(r.closedAt),
    nextEscalationAt: held ? (nextEscalationAt(touched, Number(r.escalationLevel) as EscalationLevel)?.toISOString() ?? null) : null,
  };
}
