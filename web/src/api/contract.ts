/**
 * The API contract as the console sees it (issue 11 #4): every type here is derived from the
 * server's zod response schema, so a changed response fails to compile in the console instead of
 * drifting. Type-only imports (`@server/*`, web/tsconfig.json): nothing of the server reaches the
 * bundle. The api/*.ts modules re-export these under the names the pages use.
 */
import type { z } from 'zod';
import type * as lists from '@server/http/lists.js';
import type * as vip from '@server/modules/vip/vip.schemas.js';
import type * as interbank from '@server/modules/interbank/interbank.schemas.js';
import type * as reports from '@server/modules/reports/reports.schemas.js';
import type * as reportViews from '@server/modules/reports/views.js';
import type * as reportFeeds from '@server/modules/reports/feeds.js';
import type * as audit from '@server/modules/audit/audit.schemas.js';
import type * as auth from '@server/modules/auth/auth.schemas.js';
import type * as imports from '@server/modules/imports/imports.schemas.js';
import type * as notifications from '@server/modules/notifications/notifications.schemas.js';
import type * as scoring from '@server/modules/scoring/scoring.schemas.js';
import type * as settings from '@server/modules/settings/settings.schemas.js';
import type * as assessment from '@server/modules/assessment/assessment.schemas.js';
import type * as customers from '@server/modules/customers/customers.schemas.js';
import type * as dashboards from '@server/modules/dashboards/dashboards.schemas.js';
import type * as developments from '@server/modules/developments/developments.schemas.js';
import type * as objections from '@server/modules/objections/objections.schemas.js';
import type * as org from '@server/modules/org/org.schemas.js';
import type * as periods from '@server/modules/periods/periods.schemas.js';
import type * as products from '@server/modules/products/products.schemas.js';
import type * as quotas from '@server/modules/quotas/quotas.schemas.js';
import type * as sales from '@server/modules/sales/sales.schemas.js';
import type * as spotchecks from '@server/modules/spotchecks/spotchecks.schemas.js';
import type * as staff from '@server/modules/staff/staff.schemas.js';
import type * as statements from '@server/modules/statements/statement.schemas.js';
import type * as targets from '@server/modules/targets/targets.schemas.js';
import type * as setup from '@server/modules/setup/setup.schemas.js';
import type * as criteria from '@server/modules/targets/criteria.schemas.js';
import type * as surveys from '@server/modules/surveys/surveys.schemas.js';
import type * as workbench from '@server/modules/workbench/workbench.schemas.js';
import type * as leads from '@server/modules/leads/leads.schemas.js';
import type * as projects from '@server/modules/projects/projects.schemas.js';
import type * as ibc from '@server/modules/interbank/coverage.schemas.js';
import type * as perf from '@server/modules/inclusive/inclusive.schemas.js';

/** What JSON makes of a value: a Date leaves the server as its ISO string. */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** The body a response schema sends. */
export type Out<S extends z.ZodType> = Wire<z.output<S>>;

type Item<S extends z.ZodType> = Out<S> extends { items: (infer I)[] } ? I : never;

// ---- list envelopes (server/http/lists.ts) ----
/** One page of a list: `{ items, total, page, pageSize }`. */
export type Paged<T> = lists.Paged<T>;
/** A list with the count of all matching rows: `{ items, total }`. */
export type Counted<T> = { items: T[]; total: number };

// ---- statements and scoring ----
export type Points = Out<typeof statements.PointsOut>;
export type SaleSplit = Out<typeof statements.SaleSplitOut>;
export type Statement = Out<typeof statements.StatementOut>;
export type DevelopmentLine = Statement['developments'][number];
export type AdjustmentLine = Statement['adjustments'][number];
export type RecomputeResult = Out<typeof statements.RecomputeOut>;
export type StatementMonth = Out<typeof statements.MonthsOut>['items'][number];
export type BranchLine = Out<typeof statements.BranchesOut>['items'][number];
export type LedgerEntry = Out<typeof scoring.TraceOut>;
export type SaleSplitWithTrace = Out<typeof scoring.SplitTraceOut>;
export type SplitRule = Out<typeof scoring.SplitRuleOut>;

// ---- auth, audit, settings, imports, notifications ----
export type Me = Out<typeof auth.Me>;
export type Grant = Me['grants'][number];
export type SetupState = Out<typeof setup.SetupState>;
export type SetupResult = Out<typeof setup.SetupResult>;
export type AuditEntry = Out<typeof audit.AuditOut>;
export type AuditVerify = Out<typeof audit.ChainReportOut>;
export type LedgerReport = Out<typeof audit.LedgerReportOut>;
export type Setting = Out<typeof settings.SettingOut>;
export type Role = Out<typeof settings.RoleOut>;
export type ImportJob = Out<typeof imports.ImportOut>;
export type ImportKindOut = Out<typeof imports.ImportKindOut>;
export type ImportError = Out<typeof imports.ImportErrorOut>;
export type Notification = Out<typeof notifications.NotificationOut>;

// ---- sales and developments ----
export type Sale = Out<typeof sales.SaleOut>;
export type RecordResult = Out<typeof sales.RecordOut>;
export type BatchResult = Out<typeof sales.BatchOut>;
export type Development = Out<typeof developments.DevelopmentOut>;
export type Figures = Out<typeof developments.FigureOut>;

// ---- org and staff ----
export type OrgNode = Out<typeof org.OrgNodeOut>;
export type Department = Out<typeof org.DepartmentOut>;
export type CommitteeMember = Out<typeof org.CommitteeMemberOut>;
export type OrgNodeDetail = Out<typeof org.NodeDetailOut>;
export type Staff = Out<typeof staff.StaffOut>;

// ---- products ----
export type ProductLine = Out<typeof products.ProductLineOut>;
export type Product = Out<typeof products.ProductOut>;
export type ScoreVersion = Out<typeof products.ScoreOut>;

// ---- quotas ----
export type Quota = Out<typeof quotas.QuotaOut>;
export type QuotaPlan = Out<typeof quotas.PlanOut>;
export type QuotaList = Out<typeof quotas.QuotaListOut>;
export type PlanVersion = Out<typeof quotas.VersionOut>;
export type LineTarget = Out<typeof quotas.LineTargetOut>;
export type Proposal = Out<typeof quotas.ProposalOut>;
/** Who did it: `{ id, name }`. */
export type Who = NonNullable<Quota['updatedBy']>;
/** A text in both languages. */
export type Text2 = Proposal['rule'];

// ---- periods, objections, spot checks ----
export type PeriodView = Out<typeof periods.PeriodOut>;
export type PeriodListItem = Item<typeof periods.PeriodListOut>;
export type Notice = Out<typeof periods.NoticeOut>;
export type NoticeListItem = Item<typeof periods.NoticeListOut>;
export type Objection = Out<typeof objections.ObjectionOut>;
export type SpotCheck = Out<typeof spotchecks.SpotCheckOut>;
export type VerifyResult = Out<typeof spotchecks.VerifyOut>;
export type SpotSummaryLine = Item<typeof spotchecks.SummaryListOut>;
export type SpotSummary = Out<typeof spotchecks.Summary>;
export type SpotItem = SpotCheck['items'][number];
export type Evidence = SpotItem['evidence'][number];

// ---- dashboards ----
export type CompletionRow = Out<typeof dashboards.CompletionRowOut>;
export type CompletionBoard = Out<typeof dashboards.CompletionOut>;
export type Rankings = Out<typeof dashboards.RankingsOut>;
export type Trend = Out<typeof dashboards.TrendOut>;
export type Drill = Out<typeof dashboards.DrillOut>;

// ---- assessment ----
export type Money = Out<typeof assessment.MoneyOut>;
export type AssessmentResult = Out<typeof assessment.ResultOut>;
export type RunSummary = Out<typeof assessment.RunSummaryOut>;
export type Run = Out<typeof assessment.RunOut>;
export type WhatIf = Out<typeof assessment.WhatIfOut>;
export type RuleSet = Out<typeof assessment.RuleSetOut>;
export type RulesView = Out<typeof assessment.RulesOut>;
export type YearStatus = Out<typeof assessment.YearStatusOut>;
export type GateLine = AssessmentResult['gate'][number];
export type DepartmentResult = AssessmentResult['departments'][number];
export type PersonResult = AssessmentResult['people'][number];

// ---- targets ----
export type CriterionRow = Out<typeof criteria.CriterionRowOut>;
export type Criterion = Out<typeof criteria.CriterionOut>;
export type CriterionResult = Out<typeof targets.CriterionResultOut>;
export type Evaluation = Out<typeof targets.EvaluationOut>;
export type Preview = Out<typeof targets.PreviewOut>;
export type Nomination = Out<typeof targets.NominationOut>;
export type TargetList = Out<typeof targets.ListOut>;
export type Version = Out<typeof targets.VersionOut>;
export type Entry = Out<typeof targets.EntryOut>;
export type Versions = Out<typeof targets.VersionsOut>;
export type VersionEntries = Out<typeof targets.VersionEntriesOut>;
export type Diff = Out<typeof targets.DiffOut>;
export type DiffEntry = Diff['added'][number];
export type CriterionName = DiffEntry['criteriaNames'][number];
export type FactUsed = CriterionResult['facts'][number];

// ---- customers ----
export type Company = Out<typeof customers.CompanyOut>;
export type CompanyPerson = Out<typeof customers.CompanyPersonOut>;
export type Company360 = Out<typeof customers.Company360Out>;
export type Person = Out<typeof customers.PersonOut>;
export type Holding = Out<typeof customers.HoldingOut>;
export type PersonCompany = Out<typeof customers.PersonCompanyOut>;
export type Person360 = Out<typeof customers.Person360Out>;
export type Graph = Out<typeof customers.GraphOut>;
export type GraphNode = Graph['nodes'][number];
export type LinkedCompany = Company360['parents'][number];
export type RefItem = Out<typeof customers.RefOut>[number];

// ---- workbench (首页) ----
export type Workbench = Out<typeof workbench.WorkbenchOut>;
export type WorkbenchTodo = Workbench['todos'][number];

// ---- 商机 (leads) ----
export type Lead = Out<typeof leads.LeadOut>;
export type LeadDetail = Out<typeof leads.LeadDetailOut>;
export type LeadEvent = LeadDetail['events'][number];
export type LeadRate = Out<typeof leads.RateOut>;
export type LeadWin = Out<typeof leads.WinOut>;
export type LeadAssignee = Out<typeof leads.AssigneesOut>['items'][number];
export type CreateLeadBody = z.input<typeof leads.CreateLeadBody>;
export type WinLeadBody = z.input<typeof leads.WinBody>;

// 营销项目 (issue 13)
export type Project = Item<typeof projects.ProjectListOut>;
export type ProjectDetail = Out<typeof projects.ProjectDetailOut>;
export type ProjectMember = ProjectDetail['team'][number];
export type ProjectBoard = Out<typeof projects.BoardOut>;
export type PhaseGoal = Out<typeof projects.GoalOut>;
export type Activity = Out<typeof projects.ActivityOut>;
export type ActivityDetail = Out<typeof projects.ActivityDetailOut>;
export type Invitee = ActivityDetail['invitees'][number];
export type CheckIn = Out<typeof projects.CheckInOut>;
export type UnitPerson = Item<typeof projects.UnitPeopleOut>;
export type MarketingPlan = Out<typeof projects.PlanOut>;
export type PlanTemplate = Item<typeof projects.TemplateListOut>;
export type Handover = Out<typeof projects.HandoverOut>;
export type Receiver = Item<typeof projects.ReceiversOut>;
export type Candidate = Item<typeof projects.CandidatesOut>;
export type CreateProjectBody = z.input<typeof projects.CreateProjectBody>;
export type GoalBody = z.input<typeof projects.GoalBody>;
export type ActivityBody = z.input<typeof projects.ActivityBody>;
export type ActivityPatch = z.input<typeof projects.ActivityPatch>;
export type PlanBody = z.input<typeof projects.PlanBody>;
export type HandoverBody = z.input<typeof projects.HandoverBody>;

// 金融需求调查表 (server/modules/surveys/surveys.schemas.ts)
export type ActivitySurvey = Out<typeof surveys.ActivitySurveyOut>;
export type SurveyInvitee = ActivitySurvey['invitees'][number];
export type SurveyResponse = ActivitySurvey['responses'][number];
export type PublicSurvey = Out<typeof surveys.PublicSurveyOut>;
export type SurveyQuestion = PublicSurvey['questions'][number];
export type SurveySubmit = z.input<typeof surveys.SubmitBody>;
export type SurveyIssue = Out<typeof surveys.IssueOut>;
// ---- 贵宾客户识别 (SPEC §5) ----
export type VipTier = Item<typeof vip.TierListOut>;
export type VipTierBody = z.input<typeof vip.TierBody>;
export type AmGrade = Item<typeof vip.GradeListOut>;
export type VipScreening = Out<typeof vip.ScreeningOut>;
export type VipScreeningRow = VipScreening['items'][number];
export type VipScreenRun = Out<typeof vip.ScreenRunOut>;
export type VipRegistration = Out<typeof vip.RegistrationOut>;
export type VipAmCandidate = Item<typeof vip.AmCandidatesOut>;
export type VipNear = Out<typeof vip.NearOut>;
export type VipNearRow = VipNear['items'][number];
// ---- 同业合作平台 registry half (SPEC §11) ----
export type FiInstitution = Item<typeof interbank.InstitutionListOut>;
export type FiInstitutionDetail = Out<typeof interbank.InstitutionOut>;
export type FiInstitutionBody = z.input<typeof interbank.InstitutionBody>;
export type FiMoveBody = z.input<typeof interbank.MoveBody>;
export type FiSigning = Out<typeof interbank.SigningOut>;
export type FiSigningBody = z.input<typeof interbank.SigningBody>;
export type FiCorrectBody = z.input<typeof interbank.CorrectBody>;
export type FiFile = Out<typeof interbank.FileOut>;
export type FiPool = Item<typeof interbank.PoolListOut>;
export type FiPoolBody = z.input<typeof interbank.PoolBody>;
export type FiGrant = Item<typeof interbank.GrantListOut>;
export type FiProspect = Out<typeof interbank.ProspectOut>;
export type FiProspectBody = z.input<typeof interbank.ProspectBody>;
export type FiVisit = Out<typeof interbank.VisitOut>;
export type FiVisitBody = z.input<typeof interbank.VisitBody>;
export type FiLanding = Out<typeof interbank.LandingOut>;
export type FiLandingCreate = z.input<typeof interbank.LandingCreate>;
export type FiLandingBody = z.input<typeof interbank.LandingBody>;
export type FiGap = Item<typeof interbank.GapListOut>;
export type FiBranch = Item<typeof interbank.BranchOptionsOut>;

// ---- 同业合作平台: coverage, briefings, rankings, supervision, caliber and plans (issue 14) ----
export type IbCoverage = Out<typeof ibc.CoverageOut>;
export type IbCoverageLine = IbCoverage['lines'][number];
export type IbSnapshotList = Out<typeof ibc.SnapshotListOut>;
export type IbBriefing = Out<typeof ibc.BriefingOut>;
export type IbRankings = Out<typeof ibc.RankingsOut>;
export type IbSubmission = Out<typeof ibc.SubmissionOut>;
export type IbSubmissionList = Out<typeof ibc.SubmissionListOut>;
export type IbCaliber = Item<typeof ibc.CaliberListOut>;
export type IbSteps = Item<typeof ibc.StepsListOut>;
export type IbPlan = Item<typeof ibc.PlanListOut>;
export type IbAdjustmentPreview = Out<typeof ibc.AdjustmentPreviewOut>;
export type IbAdjustment = Item<typeof ibc.AdjustmentListOut>;
export type IbAdjustmentBody = z.input<typeof ibc.AdjustmentBody>;

// ---- 报表与通报 (server/modules/reports, SPEC §13) ----
export type ReportCatalogueItem = Item<typeof reports.CatalogueOut>;
export type ReportIssueSummary = Item<typeof reports.IssueListOut>;
export type ReportIssue = Out<typeof reports.IssueOut>;
/** The frozen snapshot an issue carries (`data`), by view: the console narrows `unknown` to these. */
export type ReportSalesData = reportViews.SalesData;
export type ReportCompletionData = reportViews.CompletionData;
export type ReportFeedData = reportFeeds.FeedData;

// ---- 普惠金融: outlet performance, sub-branch groups, quarterly results, 蹲点 visits (SPEC §12) ----
export type PerfOutletLine = Item<typeof perf.OutletsOut>;
export type PerfPersonLine = Item<typeof perf.PeopleOut>;
export type PerfGroups = Out<typeof perf.GroupsOut>;
export type PerfMeasure = Item<typeof perf.MeasuresOut>;
export type PerfResults = Out<typeof perf.ResultsOut>;
export type PerfResult = Out<typeof perf.ResultOut>;
export type PerfVisit = Out<typeof perf.VisitOut>;
export type PerfTally = Item<typeof perf.TallyOut>;
export type PerfSuggestions = Out<typeof perf.SuggestOut>;
export type PerfStaff = Item<typeof perf.StaffOut>;
export type PerfGroupBody = z.input<typeof perf.GroupBody>;
export type PerfPlanBody = z.input<typeof perf.PlanBody>;
export type PerfRecordBody = z.input<typeof perf.RecordBody>;
