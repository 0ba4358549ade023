import { lazy } from 'react';
import { Route } from 'react-router-dom';
import { RequireAccess } from '../../components/RequireAccess';

const ReportDrillPage = lazy(() => import('./drill'));
const ReportDrillPersonPage = lazy(() => import('./drill-person'));
const ReportDrillSalePage = lazy(() => import('./drill-sale'));

/** 钻取 (issue 16 part B): the routes of the drill-down pages, placed by App.tsx beside the other report routes. */
export function reportDrillRoutes() {
  return [
    ['/reports/drill', <ReportDrillPage key="n" />],
    ['/reports/drill/people/:id', <ReportDrillPersonPage key="p" />],
    ['/reports/drill/sales/:id', <ReportDrillSalePage key="s" />],
  ].map(([path, page]) => <Route key={path as string} path={path as string} element={<RequireAccess need="canReadReports">{page}</RequireAccess>} />);
}
