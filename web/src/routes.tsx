import {
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { AccessKey } from './access';
import type { MessageKey } from './locales';

export interface MenuRoute {
  path: string;
  name: MessageKey;
  icon: ReactNode;
  /** Shown only with this access flag. */
  access?: AccessKey;
}

/** The left menu, in the order a bank's admin works. */
export const MENU: MenuRoute[] = [
  { path: '/overview', name: 'menu.overview', icon: <DashboardOutlined /> },
  { path: '/org', name: 'menu.org', icon: <ApartmentOutlined />, access: 'canReadOrg' },
  { path: '/staff', name: 'menu.staff', icon: <TeamOutlined />, access: 'canReadStaff' },
  { path: '/imports', name: 'menu.imports', icon: <CloudUploadOutlined />, access: 'canImport' },
  { path: '/audit', name: 'menu.audit', icon: <AuditOutlined />, access: 'canReadAudit' },
  { path: '/settings', name: 'menu.settings', icon: <SettingOutlined />, access: 'canReadSettings' },
  { path: '/roles', name: 'menu.roles', icon: <SafetyCertificateOutlined />, access: 'canReadSettings' },
];
