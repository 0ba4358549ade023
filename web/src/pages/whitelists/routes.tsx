import { lazy } from 'react';
import { Route } from 'react-router-dom';
import { RequireAccess } from '../../components/RequireAccess';

const WhitelistsPage = lazy(() => import('./WhitelistsPage'));
const MyClientsPage = lazy(() => import('./MyClientsPage'));

/** 普惠金融 (SPEC §12): the API decides which outlets' whitelists a person reads; placed inside the console's <Routes>. */
export const whitelistRoutes = (
  <>
    <Route
      path="/inclusive/whitelists"
      element={
        <RequireAccess need="canReadWhitelists">
          <WhitelistsPage />
        </RequireAccess>
      }
    />
    <Route
      path="/inclusive/my-clients"
      element={
        <RequireAccess need="canWorkWhitelists">
          <MyClientsPage />
        </RequireAccess>
      }
    />
  </>
);
