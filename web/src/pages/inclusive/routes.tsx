import { lazy } from 'react';
import { Route } from 'react-router-dom';
import { RequireAccess } from '../../components/RequireAccess';

const PerformancePage = lazy(() => import('./PerformancePage'));
const GroupsPage = lazy(() => import('./GroupsPage'));
const VisitsPage = lazy(() => import('./VisitsPage'));

/** 普惠金融网点业绩、分组考核与蹲点调研 (SPEC §12): the console's routes, placed by App.tsx; the API keeps each reader to its subtree. */
export function inclusiveRoutes() {
  return (
    <>
      <Route
        path="/inclusive/performance"
        element={
          <RequireAccess need="canReadPerformance">
            <PerformancePage />
          </RequireAccess>
        }
      />
      <Route
        path="/inclusive/groups"
        element={
          <RequireAccess need="canReadPerformance">
            <GroupsPage />
          </RequireAccess>
        }
      />
      <Route
        path="/inclusive/visits"
        element={
          <RequireAccess need="canReadPerformance">
            <VisitsPage />
          </RequireAccess>
        }
      />
    </>
  );
}
