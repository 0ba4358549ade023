import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { maskPhoneNumber } from '../customers/ids.rules.js';
import { assertMayWork, loadProject, mayWork, type ProjectRow } from './projects.access.js';
import type { ActivityBody, ActivityPatch, InviteBody } from './projects.schemas.js';
import { actorOf } from './projects.service.js';

const iso = (v: Date | string) => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null) => (v === null ? null : iso(v));

/** An invitation's QR code: 16 random bytes, base64url — unguessable, printed, scanned at the door. */
export const newCheckinCode = () => randomBytes(16).toString('base64url');
/** The console path the QR code opens on a team member's phone. */
export const checkinPath = (code: string) => `/checkin/${code}`;

interface ActivityRow {
  id: number;
  projectId: number;
  projectName: string;
  companyName: string;
  kind: z.infer<typeof ActivityBody>['kind'];
  title: string;
  startsAt: Date | string;
  place: string | null;
  status: 'planned' | 'held' | 'cancelled';
  outcome: string | null;
  invited: number;
  accepted: number;
  declined: number;
  attended: number;
}

const activitySelect = sql`SELECT a.id, a.project_id AS "projectId", p.name AS "projectName", c.name AS "companyName", a.kind, a.title, a.starts_at AS "startsAt", a.place, a.status, a.outcome,
       (SELECT count(*)::int FROM activity_invitees v WHERE v.activity_id = a.id) AS invited,
       (SELECT count(*)::int FROM activity_invitees v WHERE v.activity_id = a.id AND v.rsvp = 'accepted') AS accepted,
       (SELECT count(*)::int FROM activity_invitees v WHERE v.activity_id = a.id AND v.rsvp = 'declined') AS declined,
       (SELECT count(*)::int FROM activity_invitees v WHERE v.activity_id = a.id AND v.checked_in_at IS NOT NULL) AS attended
  FROM activities a JOIN projects p ON p.id = a.project_id JOIN corporate_clients c ON c.id = p.company_id`;

const presentActivity = (r: ActivityRow) => ({ ...r, startsAt: iso(r.startsAt) });

/** The project's activities, in time order (the board's timeline). */
export async function projectActivities(db: DbOrTx, projectId: number) {
  return (await rows<ActivityRow>(db, sql`${activitySelect} WHERE a.project_id = ${projectId} ORDER BY a.starts_at, a.id`)).map(presentActivity);
}

/** An activity and its project, if the caller reads the project. */
async function loadActivity(db: DbOrTx, auth: AuthContext, id: number, lock = false): Promise<{ a: ActivityRow; p: ProjectRow }> {
  const [head] = await rows<{ projectId: number }>(db, sql`SELECT project_id AS "projectId" FROM activities WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`);
  if (!head) throw new AppError('ACTIVITY.NOT_FOUND', { id });
  let p: ProjectRow;
  try {
    p = await loadProject(db, auth, head.projectId);
  } catch {
    // Another branch's activity is "not found", never "forbidden": nothing is said about it.
    throw new AppError('ACTIVITY.NOT_FOUND', { id });
  }
  const [a] = await rows<ActivityRow>(db, sql`${activitySelect} WHERE a.id = ${id}`);
  return { a, p };
}

/** The team plans an activity (introduction, visit, 理财沙龙, roadshow, wealth report). */
export async function createActivity(db: Db, auth: AuthContext, projectId: number, b: z.infer<typeof ActivityBody>, now: Date) {
  return db.transaction(async (tx) => {
    const p = await loadProject(tx, auth, projectId, true);
    assertMayWork(auth, p);
    const [r] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO activities (project_id, kind, title, starts_at, place, created_by, created_at)
          VALUES (${projectId}, ${b.kind}, ${b.title}, ${b.startsAt}, ${b.place ?? null}, ${auth.staffId}, ${now.toISOString()}) RETURNING id`,
    );
    const [a] = await rows<ActivityRow>(tx, sql`${activitySelect} WHERE a.id = ${r.id}`);
    await appendAudit(tx, actorOf(auth), { action: 'activity.create', entity: 'activity', entityId: r.id, nodeId: p.nodeId, after: presentActivity(a) });
    return presentActivity(a);
  });
}

/** Records what happened (held / cancelled, the outcome). */
export async function updateActivity(db: Db, auth: AuthContext, id: number, b: z.infer<typeof ActivityPatch>) {
  return db.transaction(async (tx) => {
    const { a, p } = await loadActivity(tx, auth, id, true);
    assertMayWork(auth, p);
    await tx.execute(
      sql`UPDATE activities SET status = ${b.status ?? a.status}, outcome = ${b.outcome === undefined ? a.outcome : b.outcome}, place = ${b.place === undefined ? a.place : b.place} WHERE id = ${id}`,
    );
    const [after] = await rows<ActivityRow>(tx, sql`${activitySelect} WHERE a.id = ${id}`);
    await appendAudit(tx, actorOf(auth), { action: 'activity.update', entity: 'activity', entityId: id, nodeId: p.nodeId, before: presentActivity(a), after: presentActivity(after) });
    return presentActivity(after);
  });
}

async function invitees(db: DbOrTx, activityId: number, showCodes: boolean) {
  const list = await rows<{
    id: number;
    personId: number;
    name: string;
    phone: string | null;
    title: string | null;
    rsvp: 'pending' | 'accepted' | 'declined';
    invitedAt: Date | string;
    checkedInAt: Date | string | null;
    checkInMethod: 'qr' | 'manual' | null;
    checkedInBy: string | null;
    code: string;
  }>(
    db,
    sql`SELECT v.id, v.person_id AS "personId", i.name, i.phone,
               (SELECT cp.title FROM company_people cp JOIN activities a ON a.id = v.activity_id JOIN projects p ON p.id = a.project_id
                 WHERE cp.company_id = p.company_id AND cp.person_id = v.person_id ORDER BY cp.until DESC NULLS FIRST LIMIT 1) AS title,
               v.rsvp, v.invited_at AS "invitedAt", v.checked_in_at AS "checkedInAt", v.check_in_method AS "checkInMethod", s.name AS "checkedInBy", v.checkin_code AS code
          FROM activity_invitees v JOIN individuals i ON i.id = v.person_id LEFT JOIN staff s ON s.id = v.checked_in_by
         WHERE v.activity_id = ${activityId} ORDER BY v.id`,
  );
  return list.map(({ code, ...v }) => ({
    ...v,
    phone: maskPhoneNumber(v.phone),
    invitedAt: iso(v.invitedAt),
    checkedInAt: isoOrNull(v.checkedInAt),
    checkinPath: showCodes ? checkinPath(code) : null,
  }));
}

/** The event page: the activity, each invitee's RSVP and attendance; the QR paths for the team only. */
export async function activityDetail(db: DbOrTx, auth: AuthContext, id: number) {
  const { a, p } = await loadActivity(db, auth, id);
  const work = mayWork(auth, p);
  return { ...presentActivity(a), invitees: await invitees(db, id, work), mayWork: work && p.status === 'active' };
}

/** Invites people linked to the unit (company_people); inviting someone twice changes nothing. */
export async function invite(db: Db, auth: AuthContext, id: number, b: z.infer<typeof InviteBody>, now: Date) {
  return db.transaction(async (tx) => {
    const { a, p } = await loadActivity(tx, auth, id, true);
    assertMayWork(auth, p);
    if (a.status === 'cancelled') throw new AppError('ACTIVITY.CANCELLED');
    const ids = [...new Set(b.personIds)];
    const linked = await rows<{ id: number }>(
      tx,
      sql`SELECT DISTINCT cp.person_id AS id FROM company_people cp WHERE cp.company_id = ${p.companyId} AND cp.person_id = ANY(${`{${ids.join(',')}}`}::int[])`,
    );
    if (linked.length !== ids.length) throw new AppError('ACTIVITY.NOT_UNIT_PERSON', { missing: ids.filter((x) => !linked.some((l) => l.id === x)) });
    const added: number[] = [];
    for (const personId of ids) {
      const r = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO activity_invitees (activity_id, person_id, invited_at, invited_by, checkin_code)
            VALUES (${id}, ${personId}, ${now.toISOString()}, ${auth.staffId}, ${newCheckinCode()})
            ON CONFLICT (activity_id, person_id) DO NOTHING RETURNING id`,
      );
      if (r.length) added.push(personId);
    }
    if (added.length) await appendAudit(tx, actorOf(auth), { action: 'activity.invite', entity: 'activity', entityId: id, nodeId: p.nodeId, after: { personIds: added } });
    return { invited: added.length, already: ids.length - added.length };
  });
}

/** Records a reply to the invitation. */
export async function setRsvp(db: Db, auth: AuthContext, id: number, inviteeId: number, rsvp: 'pending' | 'accepted' | 'declined') {
  return db.transaction(async (tx) => {
    const { p } = await loadActivity(tx, auth, id, true);
    assertMayWork(auth, p);
    const [before] = await rows<{ rsvp: string }>(tx, sql`SELECT rsvp FROM activity_invitees WHERE id = ${inviteeId} AND activity_id = ${id}`);
    if (!before) throw new AppError('ACTIVITY.NOT_INVITED');
    await tx.execute(sql`UPDATE activity_invitees SET rsvp = ${rsvp} WHERE id = ${inviteeId}`);
    await appendAudit(tx, actorOf(auth), { action: 'activity.rsvp', entity: 'activity_invitee', entityId: inviteeId, nodeId: p.nodeId, before, after: { rsvp } });
    return { id: inviteeId, rsvp };
  });
}

/**
 * Checks a person in: by the invitation's QR code (a team member's phone opens /checkin/<code>) or
 * by hand from the event page. Checking in twice keeps the first time and says so (a queue at the
 * door scans a code again). A code of another branch's event is unknown, as is a made-up one.
 */
export async function checkIn(db: Db, auth: AuthContext, by: { code: string } | { activityId: number; inviteeId: number }, now: Date) {
  return db.transaction(async (tx) => {
    const [v] = await rows<{ id: number; activityId: number; personName: string; checkedInAt: Date | string | null }>(
      tx,
      'code' in by
        ? sql`SELECT v.id, v.activity_id AS "activityId", i.name AS "personName", v.checked_in_at AS "checkedInAt" FROM activity_invitees v JOIN individuals i ON i.id = v.person_id WHERE v.checkin_code = ${by.code} FOR UPDATE OF v`
        : sql`SELECT v.id, v.activity_id AS "activityId", i.name AS "personName", v.checked_in_at AS "checkedInAt" FROM activity_invitees v JOIN individuals i ON i.id = v.person_id WHERE v.id = ${by.inviteeId} AND v.activity_id = ${by.activityId} FOR UPDATE OF v`,
    );
    if (!v) throw new AppError('code' in by ? 'ACTIVITY.BAD_CODE' : 'ACTIVITY.NOT_INVITED');
    let loaded: { a: ActivityRow; p: ProjectRow };
    try {
      loaded = await loadActivity(tx, auth, v.activityId);
    } catch {
      throw new AppError('ACTIVITY.BAD_CODE');
    }
    const { a, p } = loaded;
    assertMayWork(auth, p);
    if (a.status === 'cancelled') throw new AppError('ACTIVITY.CANCELLED');
    const already = v.checkedInAt !== null;
    if (!already) {
      await tx.execute(
        sql`UPDATE activity_invitees SET checked_in_at = ${now.toISOString()}, check_in_method = ${'code' in by ? 'qr' : 'manual'}, checked_in_by = ${auth.staffId}, rsvp = 'accepted' WHERE id = ${v.id}`,
      );
      await appendAudit(tx, actorOf(auth), { action: 'activity.checkin', entity: 'activity_invitee', entityId: v.id, nodeId: p.nodeId, after: { method: 'code' in by ? 'qr' : 'manual' } });
    }
    const [counts] = await rows<{ attended: number; invited: number }>(
      tx,
      sql`SELECT count(*) FILTER (WHERE checked_in_at IS NOT NULL)::int AS attended, count(*)::int AS invited FROM activity_invitees WHERE activity_id = ${v.activityId}`,
    );
    return { activityId: v.activityId, activityTitle: a.title, personName: v.personName, already, checkedInAt: iso(v.checkedInAt ?? now), ...counts };
  });
}

/** The sheet of QR codes: one per invitee (their check-in) — what the PDF prints. */
export async function qrSheet(db: DbOrTx, auth: AuthContext, id: number) {
  const { a, p } = await loadActivity(db, auth, id);
  assertMayWork(auth, p, false);
  const people = await rows<{ name: string; code: string; title: string | null }>(
    db,
    sql`SELECT i.name, v.checkin_code AS code,
               (SELECT cp.title FROM company_people cp WHERE cp.company_id = ${p.companyId} AND cp.person_id = v.person_id LIMIT 1) AS title
          FROM activity_invitees v JOIN individuals i ON i.id = v.person_id WHERE v.activity_id = ${id} ORDER BY v.id`,
  );
  return { activity: presentActivity(a), project: { name: p.name, companyName: p.companyName, outlet: p.coOutletName }, people: people.map((x) => ({ ...x, path: checkinPath(x.code) })) };
}

/** 参会名单: the attendees export (phones masked). */
export async function attendeeRows(db: DbOrTx, auth: AuthContext, id: number) {
  const d = await activityDetail(db, auth, id);
  return { activity: d, rows: d.invitees };
}
