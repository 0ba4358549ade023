import { lazy } from 'react';
import { Route } from 'react-router-dom';
import { RequireAccess } from '../../components/RequireAccess';
import { reportDrillRoutes } from './drill-routes';

const ReportSubscriptionsPage = lazy(() => import('./subscriptions'));
const ReportDeliveryPage = lazy(() => import('./delivery'));
const ReportRankingsPage = lazy(() => import('./rankings'));

/**
 * The routes of report subscriptions, delivered issues (read receipts) and rankings (issue 16,
 * decision 0040), kept here so App.tsx takes one line: `{reportSubscriptionRoutes()}`.
 */
export function reportSubscriptionRoutes() {
  return [
    ['/reports/subscriptions', <ReportSubscriptionsPage key="s" />],
    ['/reports/deliveries/:id', <ReportDeliveryPage key="d" />],
    ['/reports/rankings/:code', <ReportRankingsPage key="r" />],
  ].map(([path, page]) => <Route key={path as string} path={path as string} element={<RequireAccess need="canReadReports">{page}</RequireAccess>} />);
}

/** Every report route that lives outside App.tsx: subscriptions, deliveries and rankings, then drill-down. */
export function reportRoutes() {
  return [...reportSubscriptionRoutes(), ...reportDrillRoutes()];
}
