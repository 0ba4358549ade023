import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import type { Anchor, ChainPosition } from './audit.chain.js';

/** What recorded an anchor (audit_anchors.kind). */
export type AnchorKind = 'period.lock' | 'assessment.approve' | 'import';

/** The newest entry of the chain (seq + hash) as this transaction sees it, or null when empty. */
export async function auditHead(db: DbOrTx): Promise<ChainPosition | null> {
  const [r] = await rows<{ seq: number; hash: string }>(db, sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  return r ? { seq: Number(r.seq), hash: r.hash } : null;
}

/**
 * Records the audit head this transaction sees as an anchor (decision 0016), in one statement so
 * the pair is one real entry; returns it so the caller can copy it onto its own row. Call it after
 * the milestone's own audit entry: the anchor then covers it. Nothing when the chain is empty.
 */
export async function recordAnchor(tx: DbOrTx, a: { kind: AnchorKind; ref: string; nodeId: number | null }): Promise<ChainPosition | null> {
  const [r] = await rows<{ seq: number; hash: string }>(
    tx,
    sql`INSERT INTO audit_anchors (kind, ref, node_id, seq, hash)
        SELECT ${a.kind}, ${a.ref}, ${a.nodeId}, seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1
        RETURNING seq, hash`,
  );
  return r ? { seq: Number(r.seq), hash: r.hash } : null;
}

/**
 * Every anchor: the audit_anchors rows and the copies on the locked months, approved runs and
 * finished imports — someone wiping the log has several places to wipe, and a printed notice.
 */
export async function loadAnchors(db: DbOrTx): Promise<Anchor[]> {
  const list = await rows<{ seq: number; hash: string; source: string }>(
    db,
    sql`SELECT seq, hash, kind || ' ' || ref AS source FROM audit_anchors
        UNION SELECT p.audit_seq, p.audit_hash, 'period.lock ' || n.code || '/' || to_char(p.period, 'YYYY-MM')
          FROM periods p JOIN org_nodes n ON n.id = p.node_id WHERE p.audit_seq IS NOT NULL
        UNION SELECT audit_seq, audit_hash, 'assessment.approve ' || id FROM assessment_runs WHERE audit_seq IS NOT NULL
        UNION SELECT audit_seq, audit_hash, 'import ' || id FROM imports WHERE audit_seq IS NOT NULL`,
  );
  return list.map((a) => ({ seq: Number(a.seq), hash: a.hash, source: a.source }));
}
