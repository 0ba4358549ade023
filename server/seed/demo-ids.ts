/**
 * Fixed ids and accounts of the demo bank, shared by the seed, the tests and the README.
 * Changing one is a breaking change for every test that names it.
 */
export const DEMO_PASSWORD = 'Linkage@2026';

export const DEMO_NODES = {
  head: 1, // 总行
  province: 2, // 广东省分行
  foshan: 11, // 佛山分行 (tier-2)
  heyuan: 12, // 河源分行 (tier-2)
} as const;

/** Demo sign-in accounts (工号 → who). All use DEMO_PASSWORD and need no password change. */
export const DEMO_ACCOUNTS = {
  admin: { staffNo: 'admin', role: 'admin', scope: DEMO_NODES.province, zh: '省分行系统管理员' },
  fsAdmin: { staffNo: 'fs_admin', role: 'admin', scope: DEMO_NODES.foshan, zh: '佛山分行系统管理员（二级分行管理员）' },
  fsPresident: { staffNo: 'fs_president', role: 'committee_chair', scope: DEMO_NODES.foshan, zh: '佛山分行行长、交叉营销管理委员会主任' },
  fsHr: { staffNo: 'fs_hr', role: 'hr', scope: DEMO_NODES.foshan, zh: '佛山分行人力资源部' },
  fsCompliance: { staffNo: 'fs_compliance', role: 'compliance', scope: DEMO_NODES.foshan, zh: '佛山分行内控合规部' },
  fsStaff: { staffNo: 'fs_staff', role: 'staff', scope: DEMO_NODES.foshan, zh: '佛山分行普通员工' },
  hyAdmin: { staffNo: 'hy_admin', role: 'admin', scope: DEMO_NODES.heyuan, zh: '河源分行系统管理员' },
} as const;
