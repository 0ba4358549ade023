import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { fiInstitutions, fiJurisdictions, fiSignings } from '../../db/schema/index.js';

/**
 * Test and benchmark fixtures (tests, e2e and bench only — never production code): institutions,
 * jurisdictions and signings written straight into the tables the registry half keeps.
 */

const AT = new Date('2026-01-01T00:00:00Z');
let seq = 0;

export interface InstitutionSpec {
  nodeId: number;
  name?: string;
  kind?: (typeof fiInstitutions.$inferInsert)['kind'];
  parentId?: number | null;
  from?: string;
  to?: string | null;
}

/** One institution in a branch's jurisdiction from `from` (default 2020-01-01). */
export async function addInstitution(db: DbOrTx, s: InstitutionSpec): Promise<number> {
  seq++;
  const code = `T${process.pid}-${seq}-${Math.round(performance.now() * 1000)}`;
  const [i] = await db
    .insert(fiInstitutions)
    .values({ code, name: s.name ?? `测试农商行${seq}`, kind: s.kind ?? 'rural_commercial', parentId: s.parentId ?? null, createdAt: AT, updatedAt: AT })
    .returning({ id: fiInstitutions.id });
  await db.insert(fiJurisdictions).values({ institutionId: i.id, nodeId: s.nodeId, validFrom: s.from ?? '2020-01-01', validTo: s.to ?? null, setAt: AT });
  return i.id;
}

/** Moves an institution to another branch from a day (closes the open row the day before). */
export async function moveInstitution(db: DbOrTx, institutionId: number, nodeId: number, from: string): Promise<void> {
  await db.execute(sql`UPDATE fi_jurisdictions SET valid_to = (${from}::date - 1) WHERE institution_id = ${institutionId} AND valid_to IS NULL`);
  await db.insert(fiJurisdictions).values({ institutionId, nodeId, validFrom: from, setAt: AT, reason: '划转' });
}

export interface SigningSpec {
  institutionId: number;
  nodeId: number;
  kind?: 'framework' | 'product';
  signedOn: string;
  unilateral?: boolean;
  recordedAt?: Date;
}

export async function addSigning(db: DbOrTx, s: SigningSpec): Promise<number> {
  const kind = s.kind ?? 'framework';
  const [r] = await db
    .insert(fiSignings)
    .values({
      institutionId: s.institutionId,
      nodeId: s.nodeId,
      kind,
      productName: kind === 'product' ? '同业竞价APP' : null,
      sidedness: s.unilateral ? 'unilateral' : 'bilateral',
      signedOn: s.signedOn,
      recordedAt: s.recordedAt ?? new Date(`${s.signedOn}T02:00:00Z`),
    })
    .returning({ id: fiSignings.id });
  return r.id;
}

/** A correction: the old row superseded, a new active row (or a void one) with the reason. */
export async function correctSigning(db: DbOrTx, id: number, change: { kind?: 'framework' | 'product'; signedOn?: string; void?: boolean }, reason: string, recordedAt: Date): Promise<number> {
  const [old] = await rows<{ institutionId: number; nodeId: number; kind: 'framework' | 'product'; signedOn: string }>(
    db,
    sql`SELECT institution_id AS "institutionId", node_id AS "nodeId", kind, signed_on::text AS "signedOn" FROM fi_signings WHERE id = ${id}`,
  );
  await db.execute(sql`UPDATE fi_signings SET status = 'superseded' WHERE id = ${id}`);
  const kind = change.kind ?? old.kind;
  const [r] = await db
    .insert(fiSignings)
    .values({
      institutionId: old.institutionId,
      nodeId: old.nodeId,
      kind,
      productName: kind === 'product' ? '同业竞价APP' : null,
      signedOn: change.signedOn ?? old.signedOn,
      status: change.void ? 'void' : 'active',
      supersedesId: id,
      correctionReason: reason,
      recordedAt,
    })
    .returning({ id: fiSignings.id });
  return r.id;
}
