import { lazy } from 'react';
import { Route } from 'react-router-dom';
import { RequireAccess } from '../../components/RequireAccess';
import { whitelistRoutes } from '../whitelists/routes';

const PerformancePage = lazy(() => import('./PerformancePage'));
const GroupsPage = lazy(() => import('./GroupsPage'));
const VisitsPage = lazy(() => import('./VisitsPage'));
const SupplyChainArea = lazy(() => import('../supplychain/Area'));
const WarningRoutes = lazy(() => import('../warnings/routes'));

/**
 * 普惠金融 (SPEC §12): whitelists, supply-chain credit, post-loan warnings, outlet performance, groups and 蹲点 — the
 * console's routes, placed by App.tsx; the API keeps each reader to its subtree.
 */
export function inclusiveRoutes() {
  return (
    <>
      {whitelistRoutes}
      <Route path="/supplychain/*" element={<SupplyChainArea />} />
      <Route path="/warnings/*" element={<WarningRoutes />} />
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
