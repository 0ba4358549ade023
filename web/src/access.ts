import type { Me } from './api/types';

/**
 * What the signed-in person may see and do, from their permissions (ant-design-pro's access.ts).
 * The server enforces the same rules; this only hides what would be refused.
 */
export function accessOf(me: Me | null | undefined) {
  const has = (p: string) => !!me?.permissions.includes(p);
  return {
    canReadOrg: has('org.read'),
    canWriteOrg: has('org.write'),
    canReadStaff: has('staff.read'),
    canWriteStaff: has('staff.write'),
    canResetPassword: has('staff.reset_password'),
    canAssignRoles: has('role.assign'),
    canWriteCommittee: has('committee.write'),
    canReadAudit: has('audit.read'),
    canReadSettings: has('settings.read'),
    canWriteSettings: has('settings.write'),
    /** Imports write org, staff or client data, or batch nominations (the import page lists the kinds one may use). */
    canImport: has('org.write') || has('staff.write') || has('customer.write') || has('target.nominate') || has('sale.write'),
    // Customers and the target list (SPEC §2, §3)
    canReadCustomers: has('customer.read'),
    canWriteCustomers: has('customer.write'),
    /** See a full ID or phone number, with a stated reason (audited). */
    canRevealCustomers: has('customer.reveal'),
    canNominate: has('target.nominate'),
    canReview: has('target.review'),
    canConfigureTargets: has('target.configure'),
    // Products, developments, cross-sales and statements (SPEC §6–§9)
    canReadProducts: has('product.read'),
    /** The catalogue is bank-wide: the server also checks the holder is at province level or above. */
    canWriteProducts: has('product.write'),
    canWriteDevelopments: has('development.write'),
    canReadSales: has('sale.read'),
    canImportSales: has('sale.write'),
    canReadStatements: has('statement.read'),
    canConfigureScoring: has('scoring.configure'),
  };
}

export type Access = ReturnType<typeof accessOf>;
export type AccessKey = keyof Access;
