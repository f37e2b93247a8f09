import { z } from 'zod';
import {
  AcceptedInviteSchema,
  CreatedInviteSchema,
  InviteInfoSchema,
  InviteSchema,
  MemberSchema,
  MeSchema,
  PlanOutlineSchema,
  PlanSummarySchema,
  SetupStatusSchema,
  type AcceptInvite,
  type CreatePlan,
  type Role,
  type SetupRequest,
  type SignInRequest,
} from '../../shared/api/index.ts';
import { request } from './http.ts';

export { ApiError } from './http.ts';

const enc = encodeURIComponent;
export type Invite = z.infer<typeof InviteSchema>;

/** One typed function per REST endpoint (see shared/api for the contracts). */
export const api = {
  setupStatus: () => request('GET', '/setup/status', SetupStatusSchema),
  setup: (body: SetupRequest) => request('POST', '/setup', MeSchema, body),

  signIn: (body: SignInRequest) => request('POST', '/auth/sign-in', MeSchema, body),
  signOut: () => request('POST', '/auth/sign-out', null, {}),
  me: () => request('GET', '/auth/me', MeSchema),

  plans: () => request('GET', '/plans', z.array(PlanSummarySchema)),
  createPlan: (body: CreatePlan) => request('POST', '/plans', PlanSummarySchema, body),
  outline: (planId: string) => request('GET', `/plans/${enc(planId)}`, PlanOutlineSchema),

  addChapter: (planId: string, title: string) =>
    request('POST', `/plans/${enc(planId)}/chapters`, PlanOutlineSchema, { title }),
  updateChapter: (planId: string, chapterId: string, body: { title?: string; position?: number }) =>
    request('PATCH', `/plans/${enc(planId)}/chapters/${enc(chapterId)}`, PlanOutlineSchema, body),
  deleteChapter: (planId: string, chapterId: string) =>
    request('DELETE', `/plans/${enc(planId)}/chapters/${enc(chapterId)}`, PlanOutlineSchema),
  addSection: (planId: string, chapterId: string, title: string) =>
    request('POST', `/plans/${enc(planId)}/sections`, PlanOutlineSchema, { chapterId, title }),
  updateSection: (planId: string, sectionId: string, body: { title?: string; chapterId?: string; position?: number }) =>
    request('PATCH', `/plans/${enc(planId)}/sections/${enc(sectionId)}`, PlanOutlineSchema, body),
  deleteSection: (planId: string, sectionId: string) =>
    request('DELETE', `/plans/${enc(planId)}/sections/${enc(sectionId)}`, PlanOutlineSchema),

  members: (planId: string) => request('GET', `/plans/${enc(planId)}/members`, z.array(MemberSchema)),
  updateMember: (planId: string, userId: string, role: Role) =>
    request('PATCH', `/plans/${enc(planId)}/members/${enc(userId)}`, null, { role }),
  removeMember: (planId: string, userId: string) =>
    request('DELETE', `/plans/${enc(planId)}/members/${enc(userId)}`, null),

  invites: (planId: string) => request('GET', `/plans/${enc(planId)}/invites`, z.array(InviteSchema)),
  createInvite: (planId: string, role: Role) =>
    request('POST', `/plans/${enc(planId)}/invites`, CreatedInviteSchema, { role }),
  revokeInvite: (planId: string, inviteId: string) =>
    request('DELETE', `/plans/${enc(planId)}/invites/${enc(inviteId)}`, null),

  inviteInfo: (token: string) => request('GET', `/invites/${enc(token)}`, InviteInfoSchema),
  acceptInvite: (token: string, body: AcceptInvite) =>
    request('POST', `/invites/${enc(token)}/accept`, AcceptedInviteSchema, body),
};

export function planEventsUrl(planId: string): string {
  return `/api/plans/${enc(planId)}/events`;
}
