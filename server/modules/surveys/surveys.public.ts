import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { beijingDay } from '../../calendar/index.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { appendAudit } from '../audit/audit.service.js';
import { createSystemLead } from '../leads/leads.service.js';
import { getSetting } from '../settings/settings.routes.js';
import { cleanMobile, leadsFor, normaliseAnswers, QUESTIONS } from './surveys.rules.js';
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

/**
 * Stores one response and makes its leads, all or nothing. A personal token is spent by
 * `UPDATE … WHERE used_at IS NULL` — of two phones sending at once exactly one wins, the other gets
 * 409; a person answers an activity once (unique index), a walk-in included.
 */
export async function submitSurvey(db: Db, token: string, b: z.infer<typeof SubmitBody>, now: Date): Promise<{ ok: true; leads: number }> {
  const secret = await surveySecret(db, now);
  const { row, expiresAt } = await resolveToken(db, secret, token, now);
  const walkIn = row.kind === 'generic';
  const phone = walkIn ? cleanMobile(b.phone ?? '') : null;
  if (walkIn && (!b.name || !phone)) throw new AppError('SURVEY.WALK_IN_DETAILS');
  const answers = normaliseAnswers(b.answers);
  return db.transaction(async (tx) => {
    let personId: number;
    let contactName: string;
    let created = false;
    if (walkIn) {
      const p = await walkInPerson(tx, row, b.name!, phone!, now);
      personId = p.id;
      created = p.created;
      contactName = b.name!;
    } else {
      const spent = await rows<{ id: number }>(
        tx,
        sql`UPDATE survey_tokens SET used_at = ${now.toISOString()} WHERE id = ${row.id} AND used_at IS NULL AND expires_at = ${expiresAt.toISOString()} RETURNING id`,
      );
      if (!spent.length) throw new AppError('SURVEY.USED');
      personId = row.personId!;
      contactName = row.personName!;
    }
    const [r] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO survey_responses (token_id, activity_id, project_id, person_id, walk_in, answers, consent, submitted_at)
          VALUES (${row.id}, ${row.activityId}, ${row.projectId}, ${personId}, ${walkIn}, ${JSON.stringify(answers)}::jsonb, ${b.consent}, ${now.toISOString()})
          ON CONFLICT (activity_id, person_id) DO NOTHING RETURNING id`,
    );
    if (!r) throw new AppError('SURVEY.USED');
    const leadIds: number[] = [];
    for (const l of leadsFor(answers, b.consent)) {
      const id = await createSystemLead(
        tx,
        {
          nodeId: row.projectNodeId,
          productCode: l.productCode,
          personId,
          companyId: null,
          contactName,
          source: 'survey',
          sourceKey: `survey:${r.id}:${l.productCode}`,
          note: l.reason,
          projectId: row.projectId,
          activityId: row.activityId,
        },
        now,
      );
      if (id !== null) leadIds.push(id);
    }
    if (leadIds.length) await tx.execute(sql`UPDATE survey_responses SET lead_ids = ${`{${leadIds.join(',')}}`}::int[] WHERE id = ${r.id}`);
    await appendAudit(tx, SURVEY_ACTOR, {
      action: 'survey.submit',
      entity: 'survey_response',
      entityId: r.id,
      nodeId: row.projectNodeId,
      after: { activityId: row.activityId, personId, walkIn, personCreated: created, consent: b.consent, leadIds },
    });
    return { ok: true as const, leads: leadIds.length };
  });
}
