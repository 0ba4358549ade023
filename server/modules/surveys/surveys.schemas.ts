import { z } from 'zod';
import { CONTACT_TIMES, INTERESTS, INVEST_BANDS, LOAN_HORIZONS, LOAN_INTENTS, TOKEN_PATTERN } from './surveys.rules.js';

export const TokenParams = z.strictObject({ token: z.string().max(64) });
export { TOKEN_PATTERN };

export const AnswersIn = z.strictObject({
  interests: z.array(z.enum(INTERESTS)).max(INTERESTS.length),
  loanIntent: z.enum(LOAN_INTENTS),
  loanHorizon: z.enum(LOAN_HORIZONS).nullable(),
  investBand: z.enum(INVEST_BANDS),
  contactTime: z.enum(CONTACT_TIMES),
  note: z.string().max(200).nullable(),
});

export const SubmitBody = z.strictObject({
  answers: AnswersIn,
  /** 同意银行工作人员联系我: without it the answers are kept, no lead is made. */
  consent: z.boolean(),
  /** The generic (walk-in) code only: who is answering. */
  name: z.string().trim().min(1).max(40).optional(),
  phone: z.string().trim().max(20).optional(),
});

const OptionOut = z.object({ value: z.string(), zh: z.string(), en: z.string() });
export const QuestionOut = z.object({
  key: z.string(),
  kind: z.enum(['multi', 'single', 'text']),
  zh: z.string(),
  en: z.string(),
  required: z.boolean(),
  options: z.array(OptionOut),
  unless: z.object({ key: z.string(), value: z.string() }).nullable(),
});

/** What the phone sees: its own name (a personal link) and the questions — nothing else about anyone. */
export const PublicSurveyOut = z.object({
  kind: z.enum(['personal', 'generic']),
  personName: z.string().nullable(),
  activityTitle: z.string(),
  bankName: z.string(),
  expiresAt: z.string(),
  questions: z.array(QuestionOut),
});
export const SubmitOut = z.object({ ok: z.literal(true), leads: z.number() });

const AnswersOut = z.object({
  interests: z.array(z.string()),
  loanIntent: z.string(),
  loanHorizon: z.string().nullable(),
  investBand: z.string(),
  contactTime: z.string(),
  note: z.string().nullable(),
});

export const SurveyInviteeOut = z.object({
  inviteeId: z.number(),
  personId: z.number(),
  name: z.string(),
  phone: z.string().nullable(),
  status: z.enum(['none', 'sent', 'expired', 'answered']),
  expiresAt: z.string().nullable(),
  /** The link (team only): /s/<token>. */
  surveyPath: z.string().nullable(),
});

export const SurveyResponseOut = z.object({
  id: z.number(),
  personId: z.number(),
  name: z.string(),
  phone: z.string().nullable(),
  walkIn: z.boolean(),
  consent: z.boolean(),
  submittedAt: z.string(),
  leadIds: z.array(z.number()),
  /** null when the caller is neither on the team nor the unit's account manager (masked). */
  answers: AnswersOut.nullable(),
});

export const ActivitySurveyOut = z.object({
  activityId: z.number(),
  issued: z.boolean(),
  mayWork: z.boolean(),
  fullAnswers: z.boolean(),
  counts: z.object({ invited: z.number(), sent: z.number(), answered: z.number(), walkIns: z.number(), leads: z.number() }),
  generic: z.object({ surveyPath: z.string().nullable(), expiresAt: z.string() }).nullable(),
  invitees: z.array(SurveyInviteeOut),
  responses: z.array(SurveyResponseOut),
  /** The form, so answers read as their labels. */
  questions: z.array(QuestionOut),
});

export const IssueOut = z.object({ issued: z.number(), renewed: z.number(), generic: z.boolean() });
