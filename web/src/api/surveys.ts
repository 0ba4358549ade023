import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type * as C from './contract';

/** /api/surveys and /api/public/survey (金融需求调查表, issue 13); types from server/modules/surveys/surveys.schemas.ts. */
export type ActivitySurvey = C.ActivitySurvey;
export type SurveyInvitee = C.SurveyInvitee;
export type SurveyResponse = C.SurveyResponse;
export type PublicSurvey = C.PublicSurvey;
export type SurveyQuestion = C.SurveyQuestion;
export type SurveySubmit = C.SurveySubmit;

export const useActivitySurvey = (id: number | undefined) =>
  useQuery({ queryKey: queryKeys.projects.survey(id ?? 0), queryFn: () => api<ActivitySurvey>(`/surveys/activities/${id}`, { silent: true }), enabled: !!id, retry: false });

export function useIssueSurvey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<C.SurveyIssue>(`/surveys/activities/${id}/tokens`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.projects.all }),
  });
}

/** The phone page: no session, no redirect to sign-in; errors are shown in place. */
export const usePublicSurvey = (token: string) =>
  useQuery({
    queryKey: ['public-survey', token],
    queryFn: () => api<PublicSurvey>(`/public/survey/${encodeURIComponent(token)}`, { silent: true, noRedirect: true }),
    retry: false,
    staleTime: Infinity,
  });

export const useSubmitSurvey = (token: string) =>
  useMutation({
    mutationFn: (body: SurveySubmit) => api<{ ok: true; leads: number }>(`/public/survey/${encodeURIComponent(token)}`, { method: 'POST', body, silent: true, noRedirect: true }),
  });
