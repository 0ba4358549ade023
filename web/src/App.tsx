import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { putLanguage, useMe } from './api/auth';
import { configureApi } from './api/client';
import { queryKeys } from './api/keys';
import { FullPageSpin } from './components/FullPageSpin';
import { BasicLayout } from './layouts/BasicLayout';
import { I18nProvider, useI18n } from './locales';
import LoginPage from './pages/login';
import SetupPage from './pages/setup';
import NotFoundPage from './pages/not-found';
import OverviewPage from './pages/overview';

// Pages past the overview load on first visit (one chunk each).
const OrgPage = lazy(() => import('./pages/org'));
const StaffPage = lazy(() => import('./pages/staff'));
const ImportsPage = lazy(() => import('./pages/imports'));
const AuditPage = lazy(() => import('./pages/audit'));
const SettingsPage = lazy(() => import('./pages/settings'));
const RolesPage = lazy(() => import('./pages/roles'));
const CompaniesPage = lazy(() => import('./pages/customers/companies'));
const CompanyPage = lazy(() => import('./pages/customers/company'));
const PeoplePage = lazy(() => import('./pages/customers/people'));
const PersonPage = lazy(() => import('./pages/customers/person'));
const NominatePage = lazy(() => import('./pages/targets/nominate'));
const ReviewPage = lazy(() => import('./pages/targets/review'));
const VersionsPage = lazy(() => import('./pages/targets/versions'));
const CriteriaPage = lazy(() => import('./pages/targets/criteria'));
const ProductsPage = lazy(() => import('./pages/products'));
const DevelopmentsPage = lazy(() => import('./pages/sales/developments'));
const SalesPage = lazy(() => import('./pages/sales/list'));
const SalePage = lazy(() => import('./pages/sales/sale'));
const StatementsPage = lazy(() => import('./pages/statements'));
const PeriodsPage = lazy(() => import('./pages/periods'));
const PeriodDetailPage = lazy(() => import('./pages/periods/detail'));
const NoticePage = lazy(() => import('./pages/periods/notice'));
const NoticesPage = lazy(() => import('./pages/notices'));
const ObjectionsPage = lazy(() => import('./pages/objections'));
const ObjectionPage = lazy(() => import('./pages/objections/detail'));
const LeadsPage = lazy(() => import('./pages/leads'));
const LeadPage = lazy(() => import('./pages/leads/detail'));
const ProjectsPage = lazy(() => import('./pages/projects'));
const ProjectPage = lazy(() => import('./pages/projects/detail'));
const ActivityPage = lazy(() => import('./pages/projects/activity'));
const CheckInPage = lazy(() => import('./pages/projects/checkin'));
const SurveyPage = lazy(() => import('./pages/survey'));
const VipPage = lazy(() => import('./pages/vip'));
const ReportsPage = lazy(() => import('./pages/reports'));
const ReportIssuesPage = lazy(() => import('./pages/reports/issues'));
const ReportIssuePage = lazy(() => import('./pages/reports/issue'));
const FiRegistryPage = lazy(() => import('./pages/interbank/RegistryPage'));
const FiSigningsPage = lazy(() => import('./pages/interbank/SigningsPage'));
const FiProspectsPage = lazy(() => import('./pages/interbank/ProspectsPage'));
const FiVisitsPage = lazy(() => import('./pages/interbank/VisitsPage'));
const FiLandingsPage = lazy(() => import('./pages/interbank/LandingsPage'));
const FiPoolsPage = lazy(() => import('./pages/interbank/PoolsPage'));
const IbCoveragePage = lazy(() => import('./pages/interbank/CoveragePage'));
const IbBriefingPage = lazy(() => import('./pages/interbank/BriefingPage'));
const IbRankingsPage = lazy(() => import('./pages/interbank/RankingsPage'));
const IbSupervisionPage = lazy(() => import('./pages/interbank/SupervisionPage'));
const IbPlansPage = lazy(() => import('./pages/interbank/PlansPage'));
const WarningRoutes = lazy(() => import('./pages/warnings/routes'));
const HandoversPage = lazy(() => import('./pages/handovers'));
const NotificationsPage = lazy(() => import('./pages/notifications'));
const QuotasPage = lazy(() => import('./pages/quotas'));
const DashboardsPage = lazy(() => import('./pages/dashboards'));
const AssessmentPage = lazy(() => import('./pages/assessment'));
import { RequireAccess } from './components/RequireAccess';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (n, e) => n < 1 && (e as { status?: number }).status === 0, refetchOnWindowFocus: false },
  },
});

/** Wires the fetch wrapper to antd's message API and the router (401 → sign-in). */
function ApiBridge() {
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  // Configured during render as well as in the effect: the first page's queries may start first.
  configureApi({ notifyError: (text) => void message.error(text) });
  useEffect(() => {
    configureApi({
      notifyError: (text) => void message.error(text),
      onUnauthorized: (_code, text) => {
        qc.setQueryData(queryKeys.me, null);
        if (!location.pathname.startsWith('/login') && !location.pathname.startsWith('/setup')) {
          navigate('/login', { replace: true, state: { reason: text, from: location.pathname } });
        }
      },
      // The password is temporary: fetch /me again, whose mustChangePassword opens the change dialog.
      onPasswordChangeRequired: () => void qc.invalidateQueries({ queryKey: queryKeys.me }),
    });
  }, [message, navigate, location.pathname, qc]);
  return null;
}

/** Only signed-in people get past here. */
function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isLoading) return <FullPageSpin />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

function Themed() {
  const { antdLocale, lang } = useI18n();
  useEffect(() => {
    // Keep the server's language cookie in step with the console's choice.
    void putLanguage(lang);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once on start; later changes are sent by the language switch itself
  return (
    <ConfigProvider locale={antdLocale} theme={{ token: { colorPrimary: '#c7000b', borderRadius: 4 } }}>
      <AntApp>
        <BrowserRouter>
          <ApiBridge />
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/setup" element={<SetupPage />} />
            {/* 金融需求调查表 on a phone: no login, the signed link decides (decision 0030). */}
            <Route
              path="/s/:token"
              element={
                <Suspense fallback={<FullPageSpin />}>
                  <SurveyPage />
                </Suspense>
              }
            />
            <Route
              element={
                <RequireAuth>
                  <BasicLayout />
                </RequireAuth>
              }
            >
              <Route index element={<Navigate to="/overview" replace />} />
              <Route path="/overview" element={<OverviewPage />} />
              <Route
                path="/org"
                element={
                  <RequireAccess need="canReadOrg">
                    <OrgPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/staff"
                element={
                  <RequireAccess need="canReadStaff">
                    <StaffPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/imports"
                element={
                  <RequireAccess need="canImport">
                    <ImportsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/audit"
                element={
                  <RequireAccess need="canReadAudit">
                    <AuditPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/settings"
                element={
                  <RequireAccess need="canReadSettings">
                    <SettingsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/roles"
                element={
                  <RequireAccess need="canReadSettings">
                    <RolesPage />
                  </RequireAccess>
                }
              />
              <Route path="/customers" element={<Navigate to="/customers/companies" replace />} />
              <Route
                path="/customers/companies"
                element={
                  <RequireAccess need="canReadCustomers">
                    <CompaniesPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/customers/companies/:id"
                element={
                  <RequireAccess need="canReadCustomers">
                    <CompanyPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/customers/people"
                element={
                  <RequireAccess need="canReadCustomers">
                    <PeoplePage />
                  </RequireAccess>
                }
              />
              <Route
                path="/customers/people/:id"
                element={
                  <RequireAccess need="canReadCustomers">
                    <PersonPage />
                  </RequireAccess>
                }
              />
              <Route path="/targets" element={<Navigate to="/targets/versions" replace />} />
              <Route
                path="/targets/nominate"
                element={
                  <RequireAccess need="canNominate">
                    <NominatePage />
                  </RequireAccess>
                }
              />
              <Route
                path="/targets/review"
                element={
                  <RequireAccess need="canReview">
                    <ReviewPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/targets/versions"
                element={
                  <RequireAccess need="canReadCustomers">
                    <VersionsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/targets/criteria"
                element={
                  <RequireAccess need="canReadCustomers">
                    <CriteriaPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/products"
                element={
                  <RequireAccess need="canReadProducts">
                    <ProductsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/developments"
                element={
                  <RequireAccess need="canReadSales">
                    <DevelopmentsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/sales"
                // Everyone: without sale.read, the sales one took part in (the server checks each).
                element={<SalesPage />}
              />
              <Route
                path="/sales/:id"
                // Everyone: without sale.read, the sales one took part in (the server checks each).
                element={<SalePage />}
              />
              <Route
                path="/statements"
                element={
                  <RequireAccess need="canReadStatements">
                    <StatementsPage />
                  </RequireAccess>
                }
              />
              {/* The month's life (SPEC §9): the API decides who reads a branch's month and its notice. */}
              <Route
                path="/periods"
                element={
                  <RequireAccess need="canReadPeriods">
                    <PeriodsPage />
                  </RequireAccess>
                }
              />
              <Route path="/periods/:nodeId/:month" element={<PeriodDetailPage />} />
              <Route path="/periods/:nodeId/:month/notice" element={<NoticePage />} />
              <Route path="/notices" element={<NoticesPage />} />
              <Route path="/objections" element={<ObjectionsPage />} />
              <Route path="/objections/:id" element={<ObjectionPage />} />
              <Route path="/notifications" element={<NotificationsPage />} />
              <Route path="/warnings/*" element={<WarningRoutes />} />
              {/* 商机 (SPEC §4): the API decides whose leads a person reads. */}
              <Route
                path="/leads"
                element={
                  <RequireAccess need="canReadLeads">
                    <LeadsPage />
                  </RequireAccess>
                }
              />
              <Route path="/leads/:id" element={<LeadPage />} />
              {/* 营销项目 (SPEC §4): the API decides which projects a person reads and works. */}
              <Route
                path="/projects"
                element={
                  <RequireAccess need="canReadProjects">
                    <ProjectsPage />
                  </RequireAccess>
                }
              />
              <Route path="/projects/:id" element={<ProjectPage />} />
              <Route path="/projects/activities/:id" element={<ActivityPage />} />
              <Route path="/checkin/:code" element={<CheckInPage />} />
              <Route path="/handovers" element={<HandoversPage />} />
              {/* 贵宾客户识别 (SPEC §5): the API decides whom a person screens and registers. */}
              <Route
                path="/vip"
                element={
                  <RequireAccess need="canReadVip">
                    <VipPage />
                  </RequireAccess>
                }
              />
              {/* 同业合作平台 (SPEC §11): the API decides which branches' institutions a person reads and keeps. */}
              <Route
                path="/interbank/registry"
                element={
                  <RequireAccess need="canReadInterbank">
                    <FiRegistryPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/signings"
                element={
                  <RequireAccess need="canReadInterbank">
                    <FiSigningsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/prospects"
                element={
                  <RequireAccess need="canReadInterbank">
                    <FiProspectsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/visits"
                element={
                  <RequireAccess need="canReadInterbank">
                    <FiVisitsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/landings"
                element={
                  <RequireAccess need="canReadInterbank">
                    <FiLandingsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/pools"
                element={
                  <RequireAccess need="canReadInterbank">
                    <FiPoolsPage />
                  </RequireAccess>
                }
              />
              {/* 同业合作平台 (SPEC §11): coverage, the weekly briefing, rankings, supervision, caliber and plans. */}
              <Route
                path="/interbank/coverage"
                element={
                  <RequireAccess need="canReadInterbank">
                    <IbCoveragePage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/briefing"
                element={
                  <RequireAccess need="canReadInterbank">
                    <IbBriefingPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/rankings"
                element={
                  <RequireAccess need="canReadInterbank">
                    <IbRankingsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/supervision"
                element={
                  <RequireAccess need="canReadInterbank">
                    <IbSupervisionPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/interbank/plans"
                element={
                  <RequireAccess need="canReadInterbank">
                    <IbPlansPage />
                  </RequireAccess>
                }
              />
              {/* 报表与通报 (SPEC §13): the server filters each issue to the reader's subtree. */}
              <Route
                path="/reports"
                element={
                  <RequireAccess need="canReadReports">
                    <ReportsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/reports/:code"
                element={
                  <RequireAccess need="canReadReports">
                    <ReportIssuesPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/reports/issues/:id"
                element={
                  <RequireAccess need="canReadReports">
                    <ReportIssuePage />
                  </RequireAccess>
                }
              />
              {/* Quotas, dashboards and the year-end assessment (SPEC §10). */}
              <Route
                path="/quotas"
                element={
                  <RequireAccess need="canReadQuotas">
                    <QuotasPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/dashboards"
                element={
                  <RequireAccess need="canReadDashboards">
                    <DashboardsPage />
                  </RequireAccess>
                }
              />
              <Route
                path="/assessment"
                element={
                  <RequireAccess need="canReadAssessment">
                    <AssessmentPage />
                  </RequireAccess>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Themed />
      </I18nProvider>
    </QueryClientProvider>
  );
}
