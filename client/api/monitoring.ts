import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import {
  AssessmentSchema,
  EvidenceSchema,
  PlanLifecycleSchema,
  PlanProgressSchema,
  ProgressReportSchema,
  RoundSchema,
  type AdoptPlan,
  type SaveAssessment,
} from '../../shared/api/index.ts';
import { request, upload } from './http.ts';
import { queryKeys } from './queries.ts';

/**
 * The monitoring API (issue #15): the plan's lifecycle and rounds, progress reports with evidence,
 * civil society's assessments and where the plan stands. Every answer is parsed with its shared schema.
 */
const enc = encodeURIComponent;
const plan = (planId: string) => `/plans/${enc(planId)}`;

type ChangeStageBody = { stage: 'in_implementation' | 'midterm_review' | 'completed' | 'superseded'; note?: string };
type ReportBody = {
  status: 'not_started' | 'in_progress' | 'completed' | 'delayed' | 'cancelled';
  reason: string;
  narrative: string;
  spentAmount: number | null;
  values: {
    indicatorId: string;
    value: number;
    date: string;
    source: string;
    disaggregated: { dimension: string; group: string; value: number }[];
  }[];
};

export const monitoringApi = {
  lifecycle: (planId: string) => request('GET', `${plan(planId)}/lifecycle`, PlanLifecycleSchema),
  adopt: (planId: string, body: AdoptPlan) => request('POST', `${plan(planId)}/adoption`, PlanLifecycleSchema, body),
  changeStage: (planId: string, body: ChangeStageBody) => request('POST', `${plan(planId)}/stage`, PlanLifecycleSchema, body),
  setMonitoringBody: (planId: string, organisationId: string | null) =>
    request('PUT', `${plan(planId)}/monitoring-body`, PlanLifecycleSchema, { organisationId }),
  createRound: (planId: string, body: { name: string; dueDate: string }) => request('POST', `${plan(planId)}/rounds`, RoundSchema, body),
  updateRound: (planId: string, roundId: string, body: { name?: string; dueDate?: string; state?: 'open' | 'closed' }) =>
    request('PATCH', `${plan(planId)}/rounds/${enc(roundId)}`, RoundSchema, body),

  reports: (planId: string, roundId: string) => request('GET', `${plan(planId)}/rounds/${enc(roundId)}/reports`, z.array(ProgressReportSchema)),
  createReport: (planId: string, roundId: string, actionId: string, body: ReportBody & { corrects: string | null }) =>
    request('POST', `${plan(planId)}/rounds/${enc(roundId)}/actions/${enc(actionId)}/reports`, ProgressReportSchema, body),
  updateReport: (planId: string, reportId: string, body: ReportBody) =>
    request('PATCH', `${plan(planId)}/reports/${enc(reportId)}`, ProgressReportSchema, body),
  submitReport: (planId: string, reportId: string) => request('POST', `${plan(planId)}/reports/${enc(reportId)}/submit`, ProgressReportSchema, {}),
  deleteReport: (planId: string, reportId: string) => request('DELETE', `${plan(planId)}/reports/${enc(reportId)}`, null),
  uploadEvidence: (planId: string, reportId: string, file: File, onProgress?: (loaded: number, total: number) => void) =>
    upload(`${plan(planId)}/reports/${enc(reportId)}/evidence?name=${enc(file.name)}`, file, EvidenceSchema, onProgress),
  addEvidenceLink: (planId: string, reportId: string, body: { url: string; label: string }) =>
    request('POST', `${plan(planId)}/reports/${enc(reportId)}/evidence-links`, EvidenceSchema, body),
  removeEvidence: (planId: string, evidenceId: string) => request('DELETE', `${plan(planId)}/evidence/${enc(evidenceId)}`, null),

  assessments: (planId: string, roundId: string) => request('GET', `${plan(planId)}/rounds/${enc(roundId)}/assessments`, z.array(AssessmentSchema)),
  saveAssessment: (planId: string, roundId: string, body: SaveAssessment) =>
    request('PUT', `${plan(planId)}/rounds/${enc(roundId)}/assessments`, AssessmentSchema, body),

  progress: (planId: string, roundId: string) => request('GET', `${plan(planId)}/progress?roundId=${enc(roundId)}`, PlanProgressSchema),
};

/*
 * Keys: everything of a round sits under `progress(roundId)`, which the `progress` event
 * invalidates (client/api/liveEvents.ts); a new round or an adoption (`lifecycle`) invalidates
 * every round's.
 */
export const monitoringKeys = {
  summary: (planId: string, roundId: string) => [...queryKeys.plan(planId).progress(roundId), 'summary'] as const,
  reports: (planId: string, roundId: string) => [...queryKeys.plan(planId).progress(roundId), 'reports'] as const,
};

export function useLifecycleQuery(planId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).lifecycle(), queryFn: () => monitoringApi.lifecycle(planId) });
}

export function useProgressQuery(planId: string, roundId: string | null) {
  return useQuery({
    queryKey: monitoringKeys.summary(planId, roundId ?? ''),
    queryFn: () => monitoringApi.progress(planId, roundId ?? ''),
    enabled: roundId !== null,
  });
}

export function useRoundReportsQuery(planId: string, roundId: string | null) {
  return useQuery({
    queryKey: monitoringKeys.reports(planId, roundId ?? ''),
    queryFn: () => monitoringApi.reports(planId, roundId ?? ''),
    enabled: roundId !== null,
  });
}
