import { z } from 'zod';
import { Limits } from '../limits.ts';

export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'Not a valid identifier');

export const SideSchema = z.enum(['government', 'civil_society', 'independent', 'international']);
export type Side = z.infer<typeof SideSchema>;
export const SIDES = SideSchema.options;

export const RoleSchema = z.enum(['coordinator', 'drafter', 'commenter', 'observer']);
export type Role = z.infer<typeof RoleSchema>;
export const ROLES = RoleSchema.options;

/** Roles whose sync connections may change section text. */
export function canEditText(role: Role): boolean {
  return role === 'coordinator' || role === 'drafter';
}

export const TitleSchema = z.string().trim().min(1, 'Required').max(Limits.titleLength);
export const NameSchema = z.string().trim().min(1, 'Required').max(Limits.nameLength);
export const EmailSchema = z.string().trim().toLowerCase().max(Limits.emailLength).email('Not a valid e-mail address');
export const PasswordSchema = z
  .string()
  .min(Limits.passwordMinLength, `At least ${Limits.passwordMinLength} characters`)
  .max(Limits.passwordMaxLength);

/** Every REST error has this body, with a stable machine-readable code. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
