import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { beijingDay } from '../../calendar/index.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { createSystemLead } from '../leads/leads.service.js';
import { getSetting } from '../settings/settings.routes.js';
import { cleanMobile, leadsFor, normaliseAnswers, QUESTIONS, type SurveyAnswers } from './surveys.rules.js';
import type { SubmitBody } from './surveys.schemas.js';
import { resolveToken, surveySecret, type TokenRow } from './surveys.tokens.js';

/** Who writes a response: the person on the phone, through the survey link (no staff account). */
const SURVEY_ACTOR = { id: null, name: 'survey' };

/** What the phone shows: the person's own name (a personal link) and the questions — nothing else. */
export async function publicSurvey(db: Db, token: string, now: Date) {
  const { row, expiresAt } = await resolveToken(db, await surveySecret(db, now), token, now);
  return {
    kind: row.kind,
    personName: row.personName,
    activityTitle: row.activityTitle,
    bankName: await getSetting(db, 'bank.name'),
    expiresAt: expiresAt.toISOString(),
    questions: QUESTIONS,
  };
}

/**
 * A walk-in (generic code): the person of the unit with that mobile number, or a new person linked
 * to the unit as staff (no ID number yet: a placeholder `SV…` until an account manager records it).
 * Serialised per activity and number, so two phones typing the same number make one person.
 */
async function walkInPerson(tx: DbOrTx, row: TokenRow, name: string, phone: string, now: Date): Promise<{ id: number; created: boolean }> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${row.activityId}, hashtext(${phone}))`);
  const [known] = await rows<{ id: number }>(
    tx,
    sql`SELECT i.id FROM individuals i JOIN company_people cp ON cp.person_id = i.id WHERE cp.company_id = ${row.companyId} AND i.phone = ${phone} ORDER BY i.id LIMIT 1`,
  );
  if (known) return { id: known.id, created: false };
  const placeholder = `SV${randomBytes(8).toString('hex').toUpperCase()}`;
  const at = now.toISOString();
  const [p] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO individuals (id_number, id_suffix, name, phone, phone_suffix, node_id, created_at, updated_at)
        VALUES (${placeholder}, ${placeholder.slice(-4)}, ${name}, ${phone}, ${phone.slice(-4)}, ${row.companyNodeId}, ${at}, ${at}) RETURNING id`,
  );
  await tx.execute(sql`INSERT INTO company_people (company_id, person_id, role, title, since) VALUES (${row.companyId}, ${p.id}, 'staff', NULL, ${beijingDay(now)})`);
  return { id: p.id, created: true };
}

type Submission = { row: TokenRow; expiresAt: Date; walkIn: boolean; name: string | null; phone: string | null; answers: SurveyAnswers; consent: boolean; now: Date };

/** One response inside the batch's transaction (its own savepoint): the token spent, the answers, the leads. */
async function store(tx: DbOrTx, x: Submission, audit: AuditEntryInput[]): Promise<{ ok: true; leads: number }> {
  const { row, now } = x;
  let personId: number;
  let contactName: string;
  let created = false;
  if (x.walkIn) {
    const p = await walkInPerson(tx, row, x.name!, x.phone!, now);
    personId = p.id;
    created = p.created;
    contactName = x.name!;
  } else {
    const spent = await rows<{ id: number }>(
      tx,
      sql`UPDATE survey_tokens SET used_at = ${now.toISOString()} WHERE id = ${row.id} AND used_at IS NULL AND expires_at = ${x.expiresAt.toISOString()} RETURNING id`,
    );
    if (!spent.length) throw new AppError('SURVEY.USED');
    personId = row.personId!;
    contactName = row.personName!;
  }
  const [r] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO survey_responses (token_id, activity_id, project_id, person_id, walk_in, answers, consent, submitted_at)
        VALUES (${row.id}, ${row.activityId}, ${row.projectId}, ${personId}, ${x.walkIn}, ${JSON.stringify(x.answers)}::jsonb, ${x.consent}, ${now.toISOString()})
        ON CONFLICT (activity_id, person_id) DO NOTHING RETURNING id`,
  );
  if (!r) throw new AppError('SURVEY.USED');
  const leadIds: number[] = [];
  for (const l of leadsFor(x.answers, x.consent)) {
    const lead = { nodeId: row.projectNodeId, productCode: l.productCode, personId, companyId: null, contactName, source: 'survey' as const, note: l.reason };
    const id = await createSystemLead(tx, { ...lead, sourceKey: `survey:${r.id}:${l.productCode}`, projectId: row.projectId, activityId: row.activityId }, now, audit);
    if (id !== null) leadIds.push(id);
  }
  if (leadIds.length) await tx.execute(sql`UPDATE survey_responses SET lead_ids = ${`{${leadIds.join(',')}}`}::int[] WHERE id = ${r.id}`);
  audit.push({
    action: 'survey.submit',
    entity: 'survey_response',
    entityId: r.id,
    nodeId: row.projectNodeId,
    after: { activityId: row.activityId, personId, walkIn: x.walkIn, personCreated: created, consent: x.consent, leadIds },
  });
  return { ok: true as const, leads: leadIds.length };
}

/**
 * Group commit (decision 0030): submissions that arrive while earlier ones are being written wait
 * and go together — each in its own savepoint (a used token fails alone), their audit entries
 * appended once at the end, so the audit chain's lock is held once per batch, not per answer, and
 * one commit makes them all durable. At most BATCHES_IN_FLIGHT batches run at once.
 */
const BATCHES_IN_FLIGHT = 4;
const MAX_BATCH = 64;
interface Pending {
  x: Submission;
  resolve: (v: { ok: true; leads: number }) => void;
  reject: (e: unknown) => void;
}
const queues = new WeakMap<Db, { waiting: Pending[]; running: number }>();

function pump(db: Db) {
  const q = queues.get(db)!;
  while (q.running < BATCHES_IN_FLIGHT && q.waiting.length) {
    const batch = q.waiting.splice(0, MAX_BATCH);
    q.running++;
    void runBatch(db, batch).finally(() => {
      q.running--;
      pump(db);
    });
  }
}

async function runBatch(db: Db, batch: Pending[]) {
  const outcomes: ({ ok: true; value: { ok: true; leads: number } } | { ok: false; error: unknown })[] = [];
  try {
    await db.transaction(async (tx) => {
      const audit: AuditEntryInput[] = [];
      for (const p of batch) {
        const mine: AuditEntryInput[] = [];
        try {
          const value = await tx.transaction((sp) => store(sp, p.x, mine));
          for (const e of mine) audit.push(e);
          outcomes.push({ ok: true, value });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      await appendAudit(tx, SURVEY_ACTOR, audit);
    });
  } catch (error) {
    for (const p of batch) p.reject(error);
    return;
  }
  batch.forEach((p, i) => {
    const o = outcomes[i];
    if (o.ok) p.resolve(o.value);
    else p.reject(o.error);
  });
}

/**
 * Stores one response and makes its leads, all or nothing. A personal token is spent by
 * `UPDATE … WHERE used_at IS NULL` — of two phones sending at once exactly one wins, the other gets
 * 409; a person answers an activity once (unique index), a walk-in included. Nothing is written
 * before the token passes.
 */
export async function submitSurvey(db: Db, token: string, b: z.infer<typeof SubmitBody>, now: Date): Promise<{ ok: true; leads: number }> {
  const secret = await surveySecret(db, now);
  const { row, expiresAt } = await resolveToken(db, secret, token, now);
  const walkIn = row.kind === 'generic';
  const phone = walkIn ? cleanMobile(b.phone ?? '') : null;
  if (walkIn && (!b.name || !phone)) throw new AppError('SURVEY.WALK_IN_DETAILS');
  const x: Submission = { row, expiresAt, walkIn, name: b.name ?? null, phone, answers: normaliseAnswers(b.answers), consent: b.consent, now };
  if (!queues.has(db)) queues.set(db, { waiting: [], running: 0 });
  return new Promise((resolve, reject) => {
    queues.get(db)!.waiting.push({ x, resolve, reject });
    pump(db);
  });
}
