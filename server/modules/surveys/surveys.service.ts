import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { maskPhoneNumber } from '../customers/ids.rules.js';
import { assertMayWork, loadProject, mayWork, type ProjectRow } from '../projects/projects.access.js';
import { getSetting } from '../settings/settings.routes.js';
import { expiryOf, QUESTIONS, type SurveyAnswers, signToken, surveyPath } from './surveys.rules.js';
import { surveySecret } from './surveys.tokens.js';

const iso = (v: Date | string) => new Date(v).toISOString();
const actorOf = (auth: AuthContext) => ({ id: auth.staffId, name: auth.name });

interface ActivityHead {
  id: number;
  title: string;
  status: 'planned' | 'held' | 'cancelled';
  startsAt: Date | string;
  place: string | null;
  companyAmId: number | null;
}

/** An activity and its project, if the caller reads the project; another branch's is "not found". */
async function loadActivity(db: DbOrTx, auth: AuthContext, id: number, lock = false): Promise<{ a: ActivityHead; p: ProjectRow }> {
  const [a] = await rows<ActivityHead & { projectId: number }>(
    db,
    sql`SELECT a.id, a.project_id AS "projectId", a.title, a.status, a.starts_at AS "startsAt", a.place, c.account_manager_id AS "companyAmId"
          FROM activities a JOIN projects p ON p.id = a.project_id JOIN corporate_clients c ON c.id = p.company_id WHERE a.id = ${id} ${lock ? sql`FOR UPDATE OF a` : sql``}`,
  );
  if (!a) throw new AppError('ACTIVITY.NOT_FOUND', { id });
  try {
    return { a, p: await loadProject(db, auth, a.projectId) };
  } catch {
    throw new AppError('ACTIVITY.NOT_FOUND', { id });
  }
}

/**
 * Issues the activity's survey codes: one personal token per invitee who has none, a fresh expiry
 * for those that expired unanswered (the old link then says "expired"), and the one generic code for
 * walk-ins. Valid tokens are kept, so a printed sheet stays good. Audited.
 */
export async function issueTokens(db: Db, auth: AuthContext, activityId: number, now: Date) {
  return db.transaction(async (tx) => {
    const { a, p } = await loadActivity(tx, auth, activityId, true);
    assertMayWork(auth, p);
    if (a.status === 'cancelled') throw new AppError('ACTIVITY.CANCELLED');
    const expires = expiryOf(now, await getSetting(tx, 'survey.tokenDays')).toISOString();
    const at = now.toISOString();
    const issued = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO survey_tokens (activity_id, kind, person_id, issued_at, issued_by, expires_at)
          SELECT v.activity_id, 'personal', v.person_id, ${at}, ${auth.staffId}, ${expires} FROM activity_invitees v WHERE v.activity_id = ${activityId} ORDER BY v.id
          ON CONFLICT (activity_id, person_id) WHERE kind = 'personal' DO NOTHING RETURNING id`,
    );
    const renewed = await rows<{ id: number }>(
      tx,
      sql`UPDATE survey_tokens SET expires_at = ${expires}, issued_at = ${at}, issued_by = ${auth.staffId}
           WHERE activity_id = ${activityId} AND used_at IS NULL AND expires_at <= ${at} RETURNING id`,
    );
    const generic = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO survey_tokens (activity_id, kind, issued_at, issued_by, expires_at) VALUES (${activityId}, 'generic', ${at}, ${auth.staffId}, ${expires})
          ON CONFLICT (activity_id) WHERE kind = 'generic' DO NOTHING RETURNING id`,
    );
    const out = { issued: issued.length, renewed: renewed.length, generic: generic.length > 0 };
    await appendAudit(tx, actorOf(auth), { action: 'survey.issue', entity: 'activity', entityId: activityId, nodeId: p.nodeId, after: { ...out, expiresAt: expires } });
    return out;
  });
}

/** Full answers: the project's team and the unit's account manager; everyone else sees them masked. */
const seesAnswers = (auth: AuthContext, a: ActivityHead, p: ProjectRow) => p.member || a.companyAmId === auth.staffId;

/** The survey panel of the event page: each invitee's status, the counts, the responses. */
export async function activitySurvey(db: Db, auth: AuthContext, activityId: number, now: Date) {
  const { a, p } = await loadActivity(db, auth, activityId);
  const work = mayWork(auth, p);
  const full = seesAnswers(auth, a, p);
  const secret = work ? await surveySecret(db, now) : null;
  const link = (id: number | null, exp: Date | string | null) => (secret && id !== null && exp !== null ? surveyPath(signToken(secret, id, new Date(exp))) : null);
  const people = await rows<{
    inviteeId: number;
    personId: number;
    name: string;
    phone: string | null;
    tokenId: number | null;
    expiresAt: Date | string | null;
    usedAt: Date | string | null;
    answered: boolean;
  }>(
    db,
    sql`SELECT v.id AS "inviteeId", v.person_id AS "personId", i.name, i.phone, t.id AS "tokenId", t.expires_at AS "expiresAt", t.used_at AS "usedAt",
               EXISTS (SELECT 1 FROM survey_responses r WHERE r.activity_id = v.activity_id AND r.person_id = v.person_id) AS answered
          FROM activity_invitees v JOIN individuals i ON i.id = v.person_id
          LEFT JOIN survey_tokens t ON t.activity_id = v.activity_id AND t.person_id = v.person_id AND t.kind = 'personal'
         WHERE v.activity_id = ${activityId} ORDER BY v.id`,
  );
  const [generic] = await rows<{ id: number; expiresAt: Date | string }>(db, sql`SELECT id, expires_at AS "expiresAt" FROM survey_tokens WHERE activity_id = ${activityId} AND kind = 'generic'`);
  const responses = await rows<{
    id: number;
    personId: number;
    name: string;
    phone: string | null;
    walkIn: boolean;
    consent: boolean;
    submittedAt: Date | string;
    leadIds: number[];
    answers: SurveyAnswers;
  }>(
    db,
    sql`SELECT r.id, r.person_id AS "personId", i.name, i.phone, r.walk_in AS "walkIn", r.consent, r.submitted_at AS "submittedAt", r.lead_ids AS "leadIds", r.answers
          FROM survey_responses r JOIN individuals i ON i.id = r.person_id WHERE r.activity_id = ${activityId} ORDER BY r.submitted_at, r.id`,
  );
  const invitees = people.map((v) => {
    const expired = v.expiresAt !== null && new Date(v.expiresAt).getTime() <= now.getTime();
    const status = v.answered || v.usedAt ? 'answered' : v.tokenId === null ? 'none' : expired ? 'expired' : 'sent';
    return {
      inviteeId: v.inviteeId,
      personId: v.personId,
      name: v.name,
      phone: maskPhoneNumber(v.phone),
      status: status as 'none' | 'sent' | 'expired' | 'answered',
      expiresAt: v.expiresAt === null ? null : iso(v.expiresAt),
      surveyPath: status === 'sent' ? link(v.tokenId, v.expiresAt) : null,
    };
  });
  return {
    activityId,
    issued: Boolean(generic) || invitees.some((v) => v.status !== 'none'),
    mayWork: work && p.status === 'active',
    fullAnswers: full,
    counts: {
      invited: invitees.length,
      sent: invitees.filter((v) => v.status !== 'none').length,
      answered: responses.length,
      walkIns: responses.filter((r) => r.walkIn).length,
      leads: responses.reduce((n, r) => n + r.leadIds.length, 0),
    },
    generic: generic ? { surveyPath: link(generic.id, generic.expiresAt), expiresAt: iso(generic.expiresAt) } : null,
    invitees,
    responses: responses.map((r) => ({ ...r, phone: maskPhoneNumber(r.phone), submittedAt: iso(r.submittedAt), answers: full ? r.answers : null })),
    questions: QUESTIONS,
  };
}

/** The printable survey sheet: the generic code first, then each invitee's unanswered, valid code. */
export async function surveySheet(db: Db, auth: AuthContext, activityId: number, now: Date) {
  const { a, p } = await loadActivity(db, auth, activityId);
  assertMayWork(auth, p, false);
  const secret = await surveySecret(db, now);
  const codes = await rows<{ id: number; name: string; expiresAt: Date | string; title: string | null }>(
    db,
    sql`SELECT t.id, i.name, t.expires_at AS "expiresAt",
               (SELECT cp.title FROM company_people cp WHERE cp.company_id = ${p.companyId} AND cp.person_id = t.person_id LIMIT 1) AS title
          FROM survey_tokens t JOIN individuals i ON i.id = t.person_id JOIN activity_invitees v ON v.activity_id = t.activity_id AND v.person_id = t.person_id
         WHERE t.activity_id = ${activityId} AND t.kind = 'personal' AND t.used_at IS NULL AND t.expires_at > ${now.toISOString()} ORDER BY v.id`,
  );
  const [generic] = await rows<{ id: number; expiresAt: Date | string }>(
    db,
    sql`SELECT id, expires_at AS "expiresAt" FROM survey_tokens WHERE activity_id = ${activityId} AND kind = 'generic' AND expires_at > ${now.toISOString()}`,
  );
  return {
    activity: { title: a.title, startsAt: iso(a.startsAt), place: a.place },
    project: { name: p.name, companyName: p.companyName, outlet: p.coOutletName },
    people: codes.map((c) => ({ name: c.name, title: c.title, path: surveyPath(signToken(secret, c.id, new Date(c.expiresAt))) })),
    generic: generic ? surveyPath(signToken(secret, generic.id, new Date(generic.expiresAt))) : null,
  };
}
