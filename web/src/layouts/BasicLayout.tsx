import { ApartmentOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { ProLayout } from '@ant-design/pro-components';
import { Dropdown, Grid, Space, Tag, Typography } from 'antd';
import { type ReactNode, Suspense, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useLogout, useMe } from '../api/auth';
import { accessOf } from '../access';
import { ChangePasswordModal } from '../components/ChangePasswordModal';
import { FullPageSpin } from '../components/FullPageSpin';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NotificationBell } from '../components/NotificationBell';
import { useI18n } from '../locales';
import { MENU, type MenuRoute } from '../routes';
import type { Access } from '../access';
import type { Translate } from '../locales';

interface LayoutRoute {
  path: string;
  name: string;
  icon: ReactNode;
  routes?: LayoutRoute[];
}

/** The menu the person may see: entries by access flag, groups only when a child is left. */
function visibleMenu(menu: MenuRoute[], access: Access, t: Translate): LayoutRoute[] {
  return menu.flatMap((m): LayoutRoute[] => {
    if (m.access && !access[m.access]) return [];
    if (!m.children) return [{ path: m.path, name: t(m.name), icon: m.icon }];
    const routes = visibleMenu(m.children, access, t);
    return routes.length ? [{ path: m.path, name: t(m.name), icon: m.icon, routes }] : [];
  });
}

/** The console shell: title, permission-filtered menu, and the person's header actions. */
export function BasicLayout() {
  const { t, lang } = useI18n();
  const narrow = !Grid.useBreakpoint().md;
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [pwdOpen, setPwdOpen] = useState(false);
  const access = accessOf(me);

  const permissionsKey = me?.permissions.join(',');
  const route = useMemo(
    () => ({
      path: '/',
      routes: visibleMenu(MENU, access, t),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- access and t are new objects each render; the menu changes only with the language and the permission set
    [lang, permissionsKey],
  );

  if (!me) return null;
  const forced = me.mustChangePassword;

  return (
    <>
      <ProLayout
        title={t('app.title')}
        logo={<ApartmentOutlined style={{ fontSize: 24, color: '#c7000b' }} />}
        layout="mix"
        fixSiderbar
        fixedHeader
        splitMenus={false}
        token={{ header: { colorBgHeader: '#fff' } }}
        locale={lang === 'en' ? 'en-US' : 'zh-CN'}
        menu={{ locale: false }}
        route={route}
        location={{ pathname: location.pathname }}
        onMenuHeaderClick={() => navigate('/overview')}
        menuItemRender={(item, dom) => (item.path ? <Link to={item.path}>{dom}</Link> : dom)}
        actionsRender={() => [
          // On a phone (check-in at the door, the workbench) the header keeps the bell, language and
          // avatar; the node and role would wrap letter by letter.
          ...(narrow
            ? []
            : [
                <Space key="node" size={4} data-testid="header-node">
                  <ApartmentOutlined />
                  <Typography.Text>{me.nodeName}</Typography.Text>
                </Space>,
              ]),
          // Nothing but the password change answers while the password is temporary.
          ...(forced ? [] : [<NotificationBell key="bell" />]),
          <LanguageSwitch key="lang" />,
        ]}
        avatarProps={{
          icon: <UserOutlined />,
          size: 'small',
          title: (
            <span data-testid="header-user">
              {me.name}
              {me.grants[0] && !narrow ? (
                <Tag style={{ marginInlineStart: 8 }} color="red">
                  {lang === 'en' ? me.grants[0].roleEn : me.grants[0].roleZh}
                </Tag>
              ) : null}
            </span>
          ),
          render: (_props, dom) => (
            <Dropdown
              menu={{
                items: [{ key: 'password', icon: <KeyOutlined />, label: t('header.changePassword') }, { type: 'divider' }, { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout') }],
                onClick: ({ key }) => {
                  if (key === 'password') setPwdOpen(true);
                  if (key === 'logout') logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
                },
              }}
            >
              {dom}
            </Dropdown>
          ),
        }}
      >
        {forced ? null : (
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        )}
      </ProLayout>
      <ChangePasswordModal open={pwdOpen || forced} forced={forced} onClose={() => setPwdOpen(false)} />
    </>
  );
}
