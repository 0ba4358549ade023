import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type * as C from './contract';

/** /api/projects (营销项目, SPEC §4, issue 13); types derived from server/modules/projects/projects.schemas.ts. */
export type Project = C.Project;
export type ProjectBoard = C.ProjectBoard;
export type Activity = C.Activity;
export type ActivityDetail = C.ActivityDetail;
export type Invitee = C.Invitee;
export type Handover = C.Handover;
export type PhaseGoal = C.PhaseGoal;
export type MarketingPlan = C.MarketingPlan;
export type PlanTemplate = C.PlanTemplate;
export type MemberRole = C.ProjectMember['role'];
export type ActivityKind = C.Activity['kind'];

export const MEMBER_ROLES: MemberRole[] = ['leader', 'corporate_am', 'personal_am', 'product_manager', 'outlet_am'];
export const ACTIVITY_KINDS: ActivityKind[] = ['introduction', 'visit', 'salon', 'roadshow', 'wealth_report'];
export const ASSET_CLASSES = ['deposit', 'wealth', 'fund', 'insurance', 'gold', 'pension'] as const;

export interface ProjectFilters {
  q?: string;
  status?: 'active' | 'closed';
  mine?: 'true' | 'false';
  page?: number;
  pageSize?: number;
}

export const useProjects = (f: ProjectFilters) => useQuery({ queryKey: queryKeys.projects.list(f), queryFn: () => api<C.Paged<Project>>('/projects', { query: { ...f } }) });
export const useBoard = (id: number | undefined) =>
  useQuery({ queryKey: queryKeys.projects.board(id ?? 0), queryFn: () => api<ProjectBoard>(`/projects/${id}/board`, { silent: true }), enabled: !!id, retry: false });
export const useActivity = (id: number | undefined) =>
  useQuery({ queryKey: queryKeys.projects.activity(id ?? 0), queryFn: () => api<ActivityDetail>(`/projects/activities/${id}`, { silent: true }), enabled: !!id, retry: false });
export const useUnitPeople = (id: number | undefined, activityId?: number, enabled = true) =>
  useQuery({
    queryKey: queryKeys.projects.people(id ?? 0, activityId),
    queryFn: () => api<{ items: C.UnitPerson[] }>(`/projects/${id}/people`, { query: { activityId } }).then((r) => r.items),
    enabled: !!id && enabled,
  });
export const usePlans = (id: number | undefined) =>
  useQuery({ queryKey: queryKeys.projects.plans(id ?? 0), queryFn: () => api<{ items: MarketingPlan[] }>(`/projects/${id}/plans`).then((r) => r.items), enabled: !!id });
export const usePlanTemplates = () =>
  useQuery({ queryKey: ['projects', 'templates'], queryFn: () => api<{ items: PlanTemplate[] }>('/projects/plan-templates').then((r) => r.items), staleTime: Infinity });
export const useCandidates = (enabled: boolean) =>
  useQuery({ queryKey: ['projects', 'candidates'], queryFn: () => api<{ items: C.Candidate[] }>('/projects/candidates').then((r) => r.items), enabled });
export const useGoals = (enabled = true) => useQuery({ queryKey: queryKeys.projects.goals, queryFn: () => api<{ items: PhaseGoal[] }>('/projects/goals').then((r) => r.items), enabled });
export const useHandovers = (view: 'mine' | 'all') =>
  useQuery({ queryKey: queryKeys.projects.handovers(view), queryFn: () => api<{ items: Handover[] }>('/projects/handovers', { query: { view } }).then((r) => r.items) });
export const useReceivers = (id: number | undefined, enabled: boolean) =>
  useQuery({ queryKey: ['projects', 'receivers', id ?? 0], queryFn: () => api<{ items: C.Receiver[] }>(`/projects/${id}/receivers`).then((r) => r.items), enabled: !!id && enabled });

/** Every project mutation refreshes the projects' queries (and the leads, which a hand-over reads). */
function useProjectMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.projects.all });
      void qc.invalidateQueries({ queryKey: queryKeys.leads.all });
    },
  });
}

export const useCreateProject = () => useProjectMutation((body: C.CreateProjectBody) => api<C.ProjectDetail>('/projects', { method: 'POST', body, silent: true }));
export const useCreateGoal = () => useProjectMutation((body: C.GoalBody) => api<PhaseGoal>('/projects/goals', { method: 'POST', body, silent: true }));
export const useCreateActivity = () =>
  useProjectMutation(({ projectId, body }: { projectId: number; body: C.ActivityBody }) => api<Activity>(`/projects/${projectId}/activities`, { method: 'POST', body, silent: true }));
export const useUpdateActivity = () =>
  useProjectMutation(({ id, body }: { id: number; body: C.ActivityPatch }) => api<Activity>(`/projects/activities/${id}`, { method: 'PATCH', body, silent: true }));
export const useInvite = () =>
  useProjectMutation(({ id, personIds }: { id: number; personIds: number[] }) =>
    api<{ invited: number; already: number }>(`/projects/activities/${id}/invitees`, { method: 'POST', body: { personIds } }),
  );
export const useRsvp = () =>
  useProjectMutation(({ id, inviteeId, rsvp }: { id: number; inviteeId: number; rsvp: Invitee['rsvp'] }) =>
    api(`/projects/activities/${id}/invitees/${inviteeId}/rsvp`, { method: 'PUT', body: { rsvp } }),
  );
export const useManualCheckIn = () =>
  useProjectMutation(({ id, inviteeId }: { id: number; inviteeId: number }) => api<C.CheckIn>(`/projects/activities/${id}/invitees/${inviteeId}/checkin`, { method: 'POST' }));
export const useCodeCheckIn = () => useProjectMutation((code: string) => api<C.CheckIn>(`/projects/checkin/${encodeURIComponent(code)}`, { method: 'POST', silent: true }));
export const useWritePlan = () =>
  useProjectMutation(({ projectId, body }: { projectId: number; body: C.PlanBody }) => api<MarketingPlan>(`/projects/${projectId}/plans`, { method: 'POST', body, silent: true }));
export const useHandOver = () => useProjectMutation((body: C.HandoverBody) => api<Handover>('/projects/handovers', { method: 'POST', body, silent: true }));
export const useFeedback = () =>
  useProjectMutation(({ id, feedback }: { id: number; feedback: string }) => api<Handover>(`/projects/handovers/${id}/feedback`, { method: 'POST', body: { feedback } }));
export const useCloseProject = () => useProjectMutation((id: number) => api<C.ProjectDetail>(`/projects/${id}/close`, { method: 'POST' }));
