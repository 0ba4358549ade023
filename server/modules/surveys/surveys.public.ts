import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { beijingDay } from '../../calendar/index.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { intArray, textArray } from '../../db/arrays.js';
import { AppError } from '../../errors.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { createSystemLeads } from '../leads/leads.system.js';
import { getSetting } from '../settings/settings.routes.js';
import { cleanMobile, leadsFor, normaliseAnswers, QUESTIONS, type SurveyAnswers, verifyToken } from './surveys.rules.js';
import type { SubmitBody } from './surveys.schemas.js';
import { judgeToken, resolveToken, surveySecret, tokenRows, type TokenRow, type VerifiedToken } from './surveys.tokens.js';

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

type Stored = { ok: true; leads: number };
type Outcome = { ok: true; value: Stored } | { ok: false; error: unknown };

/** What a response's audit entry says. */
const submitEntry = (x: Submission, id: number, personId: number, created: boolean, leadIds: number[]): AuditEntryInput => ({
  action: 'survey.submit',
  entity: 'survey_response',
  entityId: id,
  nodeId: x.row.projectNodeId,
  after: { activityId: x.row.activityId, personId, walkIn: x.walkIn, personCreated: created, consent: x.consent, leadIds },
});

/** The leads a response's answers make (decision 0030, 7), as system leads keyed by the response. */
const leadsOf = (x: Submission, responseId: number, personId: number, contactName: string) =>
  leadsFor(x.answers, x.consent).map((l) => ({
    nodeId: x.row.projectNodeId,
    productCode: l.productCode,
    personId,
    companyId: null,
    contactName,
    source: 'survey' as const,
    note: l.reason,
    sourceKey: `survey:${responseId}:${l.productCode}`,
    projectId: x.row.projectId,
    activityId: x.row.activityId,
    now: x.now,
  }));

/** A walk-in's response inside the batch's transaction (its own savepoint): the person, the answers, the leads. */
async function storeWalkIn(tx: DbOrTx, x: Submission, audit: AuditEntryInput[]): Promise<Stored> {
  const { row, now } = x;
  const p = await walkInPerson(tx, row, x.name!, x.phone!, now);
  const [r] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO survey_responses (token_id, activity_id, project_id, person_id, walk_in, answers, consent, submitted_at)
        VALUES (${row.id}, ${row.activityId}, ${row.projectId}, ${p.id}, true, ${JSON.stringify(x.answers)}::jsonb, ${x.consent}, ${now.toISOString()})
        ON CONFLICT (activity_id, person_id) DO NOTHING RETURNING id`,
  );
  if (!r) throw new AppError('SURVEY.USED');
  const leadIds = (await createSystemLeads(tx, leadsOf(x, r.id, p.id, x.name!), audit)).filter((id): id is number => id !== null);
  if (leadIds.length) await tx.execute(sql`UPDATE survey_responses SET lead_ids = ${intArray(leadIds)}::int[] WHERE id = ${r.id}`);
  audit.push(submitEntry(x, r.id, p.id, p.created, leadIds));
  return { ok: true, leads: leadIds.length };
}

/**
 * The batch's personal links, set-based: each statement once for the whole batch, whatever its
 * size. A link twice in the batch: the first goes on, the others are told it was used. Links are
 * spent in id order (`FOR UPDATE` in a fixed order: two batches never deadlock), and one spent by
 * another batch meanwhile is not spent again (its lock waited for that commit, then `used_at` is
 * no longer null): 409. A person who has answered the activity already (a walk-in with their
 * number) gets 409 and the link stays unspent — as a savepoint's rollback would leave it.
 */
async function storePersonal(tx: DbOrTx, items: { k: number; x: Submission }[], outcomes: Outcome[], audit: AuditEntryInput[][]) {
  const used = (k: number) => (outcomes[k] = { ok: false, error: new AppError('SURVEY.USED') });
  const seen = new Set<number>();
  const first = items.filter(({ k, x }) => (seen.has(x.row.id) ? (used(k), false) : (seen.add(x.row.id), true)));
  if (first.length === 0) return;
  // One statement: the links spent and the answers stored; a link spent by another batch meanwhile is not returned.
  const tokenIds = intArray(first.map((f) => f.x.row.id));
  const done = await rows<{ tokenId: number; responseId: number | null }>(
    tx,
    sql`WITH mine AS (SELECT id FROM survey_tokens WHERE id = ANY(${tokenIds}::int[]) AND used_at IS NULL ORDER BY id FOR UPDATE),
        v AS (SELECT * FROM unnest(${tokenIds}::int[], ${textArray(first.map((f) => f.x.expiresAt.toISOString()))}::timestamptz[],
                                   ${intArray(first.map((f) => f.x.row.activityId))}::int[], ${intArray(first.map((f) => f.x.row.projectId))}::int[],
                                   ${intArray(first.map((f) => f.x.row.personId))}::int[], ${textArray(first.map((f) => JSON.stringify(f.x.answers)))}::text[],
                                   ${`{${first.map((f) => (f.x.consent ? 't' : 'f')).join(',')}}`}::boolean[], ${textArray(first.map((f) => f.x.now.toISOString()))}::timestamptz[])
                          WITH ORDINALITY AS v(token, exp, activity, project, person, answers, consent, at, k)),
        spent AS (UPDATE survey_tokens t SET used_at = v.at FROM mine, v WHERE t.id = mine.id AND t.id = v.token AND t.used_at IS NULL AND t.expires_at = v.exp RETURNING t.id),
        ins AS (INSERT INTO survey_responses (token_id, activity_id, project_id, person_id, walk_in, answers, consent, submitted_at)
                SELECT v.token, v.activity, v.project, v.person, false, v.answers::jsonb, v.consent, v.at FROM v JOIN spent ON spent.id = v.token ORDER BY v.k
                ON CONFLICT (activity_id, person_id) DO NOTHING RETURNING id, token_id)
        SELECT spent.id AS "tokenId", ins.id AS "responseId" FROM spent LEFT JOIN ins ON ins.token_id = spent.id`,
  );
  const responseOf = new Map(done.flatMap((d) => (d.responseId === null ? [] : [[d.tokenId, d.responseId] as const])));
  const refused = done.filter((d) => d.responseId === null).map((d) => d.tokenId);
  if (refused.length) await tx.execute(sql`UPDATE survey_tokens SET used_at = NULL WHERE id = ANY(${intArray(refused)}::int[])`);
  const go = first.filter(({ k, x }) => responseOf.has(x.row.id) || (used(k), false));
  const stored = go.map((g) => ({ ...g, responseId: responseOf.get(g.x.row.id)! }));
  const wanted = stored.map(({ x, responseId }) => leadsOf(x, responseId, x.row.personId!, x.row.personName!));
  const leadAudit: AuditEntryInput[] = [];
  const ids = await createSystemLeads(tx, wanted.flat(), leadAudit);
  const entryOf = new Map(leadAudit.map((e) => [Number(e.entityId), e]));
  let n = 0;
  const leadIdsOf = wanted.map((w) => ids.slice(n, (n += w.length)).filter((id): id is number => id !== null));
  const withLeads = stored.flatMap((s, i) => (leadIdsOf[i].length ? [{ id: s.responseId, ids: intArray(leadIdsOf[i]) }] : []));
  if (withLeads.length)
    await tx.execute(
      sql`UPDATE survey_responses r SET lead_ids = v.ids::int[]
            FROM unnest(${intArray(withLeads.map((w) => w.id))}::int[], ${textArray(withLeads.map((w) => w.ids))}::text[]) AS v(id, ids) WHERE r.id = v.id`,
    );
  stored.forEach(({ k, x, responseId }, i) => {
    audit[k] = [...leadIdsOf[i].map((id) => entryOf.get(id)!), submitEntry(x, responseId, x.row.personId!, false, leadIdsOf[i])];
    outcomes[k] = { ok: true, value: { ok: true, leads: leadIdsOf[i].length } };
  });
}

/**
 * Group commit (decision 0030, 11): submissions that arrive while earlier ones are being written
 * wait and go together in one transaction. The personal links of a batch are written set-based —
 * one statement per step for the whole batch (spend, answers, leads, their events and
 * notifications), each product, department and department's account managers looked up once — and
 * a refused one fails alone; walk-ins each in their own savepoint. The batch's audit entries (one
 * per response and per lead, as before) are appended once at the end, so the audit chain's lock is
 * held once per batch; one commit makes them all durable, and only then is any phone answered. At
 * most BATCHES_IN_FLIGHT batches run at once.
 */
const BATCHES_IN_FLIGHT = 4;
const MAX_BATCH = 64;
/** A submission whose link's signature holds, waiting for its batch (which reads the link's row). */
interface Arrival {
  check: VerifiedToken;
  name: string | null;
  phone: string | null;
  answers: SurveyAnswers;
  consent: boolean;
  now: Date;
}
interface Pending {
  a: Arrival;
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
  const outcomes: Outcome[] = [];
  try {
    await db.transaction(async (tx) => {
      const audit: AuditEntryInput[][] = batch.map(() => []);
      // The links' rows in one query; a refused link (used, expired, voided, cancelled) fails alone, before anything is written.
      const tokens = await tokenRows(tx, [...new Set(batch.map((p) => p.a.check.id))]);
      const items = batch.flatMap(({ a }, k) => {
        try {
          return [{ k, x: submission(a, judgeToken(a.check, tokens.get(a.check.id), a.now)) }];
        } catch (error) {
          outcomes[k] = { ok: false, error };
          return [];
        }
      });
      await storePersonal(
        tx,
        items.filter((i) => !i.x.walkIn),
        outcomes,
        audit,
      );
      for (const { k, x } of items.filter((i) => i.x.walkIn)) {
        const mine: AuditEntryInput[] = [];
        try {
          outcomes[k] = { ok: true, value: await tx.transaction((sp) => storeWalkIn(sp, x, mine)) };
          audit[k] = mine;
        } catch (error) {
          outcomes[k] = { ok: false, error };
        }
      }
      await appendAudit(tx, SURVEY_ACTOR, audit.flat());
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

/** A submission on a link that passed: a walk-in must give a name and a mobile number. */
function submission(a: Arrival, t: { row: TokenRow; expiresAt: Date }): Submission {
  const walkIn = t.row.kind === 'generic';
  if (walkIn && (!a.name || !a.phone)) throw new AppError('SURVEY.WALK_IN_DETAILS');
  return { ...t, walkIn, name: a.name, phone: walkIn ? a.phone : null, answers: a.answers, consent: a.consent, now: a.now };
}

/**
 * Stores one response and makes its leads, all or nothing. A forged link is refused at once; the
 * rest wait for their batch, which reads the links' rows and refuses the used, expired or voided
 * ones before anything is written. A personal token is spent by `UPDATE … WHERE used_at IS NULL` —
 * of two phones sending at once exactly one wins, the other gets 409; a person answers an activity
 * once (unique index), a walk-in included. The answer comes after the batch's commit.
 */
export async function submitSurvey(db: Db, token: string, b: z.infer<typeof SubmitBody>, now: Date): Promise<{ ok: true; leads: number }> {
  const check = verifyToken(await surveySecret(db, now), token, now);
  if (!check.ok) throw new AppError('SURVEY.BAD_TOKEN');
  const a: Arrival = { check, name: b.name ?? null, phone: cleanMobile(b.phone ?? ''), answers: normaliseAnswers(b.answers), consent: b.consent, now };
  if (!queues.has(db)) queues.set(db, { waiting: [], running: 0 });
  return new Promise((resolve, reject) => {
    queues.get(db)!.waiting.push({ a, resolve, reject });
    pump(db);
  });
}
