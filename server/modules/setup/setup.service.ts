import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { orgNodes, settings, staff, staffRoles } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { insertDefaultRoles } from '../access/default-roles.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { assertPolicy, hashPassword } from '../auth/auth.service.js';
import { childPath } from '../org/org.rules.js';
import { addStandardDepartments } from '../org/standard-departments.js';
import { installationState, lockInstallation, SETUP_ACTION } from './installation.js';
import { oneTimePassword, ONE_TIME_PASSWORD_LENGTH } from './setup.rules.js';
import { SetupBody, type SetupInput, type SetupResult } from './setup.schemas.js';
import { clock } from '../../calendar/clock.js';

/** The root node's 机构号 when none is given. */
export const DEFAULT_BANK_CODE = '0001';
const DEFAULT_ADMIN_NAME = '系统管理员';

/**
 * The first run of a clean install (issue 18): the root of the org tree (the 省分行, with the
 * standard departments), the default roles, and the first administrator holding the `admin` role
 * over the whole tree — in one transaction, under an advisory lock, refused with
 * SETUP.ALREADY_DONE once any user or org node exists. Without a password a one-time password is
 * made and returned; its holder must change it at first sign-in (`must_change_password`).
 * Migrations and the configuration defaults (ops/prepare.ts) have run before.
 */
export async function setUpBank(db: Db, input: SetupInput, via: 'cli' | 'console'): Promise<z.infer<typeof SetupResult>> {
  const v = SetupBody.parse(input);
  const generated = v.password === undefined ? oneTimePassword(randomBytes(ONE_TIME_PASSWORD_LENGTH)) : null;
  const password = v.password ?? generated!;
  assertPolicy(password, v.adminStaffNo);
  if ((await installationState(db)).installed) throw new AppError('SETUP.ALREADY_DONE');
  // argon2 is slow: hashed before the lock is taken.
  const passwordHash = await hashPassword(password);
  const actor: Actor = { id: null, name: via === 'cli' ? 'setup (command line)' : 'setup (console)' };

  return db.transaction(async (tx) => {
    await lockInstallation(tx);
    // Checked again under the lock: the loser of a race sees the winner's rows.
    if ((await installationState(tx)).installed) throw new AppError('SETUP.ALREADY_DONE');
    await insertDefaultRoles(tx);
    const code = v.bankCode ?? DEFAULT_BANK_CODE;
    const [created] = await tx.insert(orgNodes).values({ code, name: v.bankName, level: 'province', parentId: null, path: '', sort: 0 }).returning({ id: orgNodes.id });
    const path = childPath('/', created.id);
    await tx.update(orgNodes).set({ path }).where(eq(orgNodes.id, created.id));
    const opened = await addStandardDepartments(tx, created.id);
    const tech = opened.find((d) => d.kind === 'tech');
    const [admin] = await tx
      .insert(staff)
      .values({
        staffNo: v.adminStaffNo,
        name: v.adminName ?? DEFAULT_ADMIN_NAME,
        nodeId: created.id,
        departmentId: tech?.id ?? null,
        title: DEFAULT_ADMIN_NAME,
        passwordHash,
        mustChangePassword: generated !== null,
        passwordChangedAt: clock.now(),
      })
      .returning({ id: staff.id });
    await tx.insert(staffRoles).values({ staffId: admin.id, roleCode: 'admin', scopeNodeId: created.id });
    await tx
      .insert(settings)
      .values({ key: 'bank.name', value: v.bankName })
      .onConflictDoUpdate({ target: settings.key, set: { value: v.bankName, updatedAt: clock.now() } });
    await appendAudit(tx, actor, [
      {
        action: SETUP_ACTION,
        entity: 'system',
        entityId: 'setup',
        nodeId: created.id,
        after: { bankName: v.bankName, bankCode: code, adminStaffNo: v.adminStaffNo, via, oneTimePassword: generated !== null },
      },
      { action: 'org.create', entity: 'org_node', entityId: created.id, nodeId: created.id, after: { code, name: v.bankName, level: 'province', parentId: null } },
      ...opened.map((d) => ({ action: 'department.create', entity: 'department', entityId: d.id, nodeId: created.id, after: { nodeId: created.id, code: d.code, name: d.name, kind: d.kind } })),
      {
        action: 'staff.create',
        entity: 'staff',
        entityId: admin.id,
        nodeId: created.id,
        after: { staffNo: v.adminStaffNo, name: v.adminName ?? DEFAULT_ADMIN_NAME, roles: [{ role: 'admin', scopeNodeId: created.id }] },
      },
    ]);
    return { nodeId: created.id, staffId: admin.id, staffNo: v.adminStaffNo, ...(generated ? { oneTimePassword: generated } : {}) };
  });
}
