import { describe, expect, it } from 'vitest';
import {
  AcceptInviteSchema,
  CreatePlanSchema,
  IdSchema,
  PlanEventSchema,
  SetupRequestSchema,
  UpdateChapterSchema,
  UpdateSectionSchema,
} from '../../shared/api/index.ts';

describe('shared API schemas', () => {
  it('normalises setup input and defaults loadSample to false', () => {
    const parsed = SetupRequestSchema.parse({
      name: '  Olga  ',
      email: ' Olga@MFA.Example ',
      password: 'long enough password',
      organisation: { name: 'MFA', side: 'government' },
    });
    expect(parsed).toMatchObject({ name: 'Olga', email: 'olga@mfa.example', loadSample: false });
  });

  it('refuses short passwords, bad e-mails and unknown sides', () => {
    const result = SetupRequestSchema.safeParse({
      name: 'Olga',
      email: 'olga',
      password: 'short',
      organisation: { name: 'MFA', side: 'ministry' },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['email', 'organisation.side', 'password']);
  });

  it('refuses a plan period that ends before it starts', () => {
    expect(CreatePlanSchema.safeParse({ title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }).success).toBe(true);
    const bad = CreatePlanSchema.safeParse({ title: 'P', country: 'Belarus', periodStart: 2030, periodEnd: 2026 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['periodEnd']);
    expect(CreatePlanSchema.safeParse({ title: 'P', country: 'Belarus', periodStart: 2026.5, periodEnd: 2030 }).success).toBe(false);
  });

  it('requires something to change in outline updates, and whole non-negative positions', () => {
    expect(UpdateChapterSchema.safeParse({}).success).toBe(false);
    expect(UpdateChapterSchema.safeParse({ position: 0 }).success).toBe(true);
    expect(UpdateChapterSchema.safeParse({ position: 1.5 }).success).toBe(false);
    expect(UpdateSectionSchema.safeParse({ chapterId: 'AAAAAAAAAAAAAAAAAAAAAA' }).success).toBe(true);
    expect(UpdateSectionSchema.safeParse({ title: '   ' }).success).toBe(false);
  });

  it('accepts ids of the generated shape only', () => {
    expect(IdSchema.safeParse('Zm9vYmFyYmF6cXV4cXV1eA').success).toBe(true);
    expect(IdSchema.safeParse('short').success).toBe(false);
    expect(IdSchema.safeParse('../../etc/passwd').success).toBe(false);
  });

  it('accepts an invite with an existing or a new organisation, or nothing when signed in', () => {
    expect(AcceptInviteSchema.parse({})).toEqual({});
    const account = { name: 'Nina', email: 'nina@ngo.example', password: 'long enough password' };
    expect(AcceptInviteSchema.safeParse({ account: { ...account, organisation: { id: 'AAAAAAAAAAAAAAAAAAAAAA' } } }).success).toBe(true);
    expect(AcceptInviteSchema.safeParse({ account: { ...account, organisation: { name: 'Lawtrend', side: 'civil_society' } } }).success).toBe(true);
    expect(AcceptInviteSchema.safeParse({ account: { ...account, organisation: { name: 'Lawtrend' } } }).success).toBe(false);
  });

  it('parses plan events', () => {
    expect(PlanEventSchema.parse({ type: 'access', role: null })).toEqual({ type: 'access', role: null });
    expect(PlanEventSchema.safeParse({ type: 'access' }).success).toBe(false);
    expect(PlanEventSchema.safeParse({ type: 'other' }).success).toBe(false);
  });
});
