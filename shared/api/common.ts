import { z } from 'zod';
import { Limits } from '../limits.ts';

export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid_id');

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

export const TitleSchema = z.string().trim().min(1, 'required').max(Limits.titleLength);
export const NameSchema = z.string().trim().min(1, 'required').max(Limits.nameLength);
export const EmailSchema = z.string().trim().toLowerCase().max(Limits.emailLength).email('invalid_email');
export const PasswordSchema = z
  .string()
  .min(Limits.passwordMinLength)
  .max(Limits.passwordMaxLength);

/** Every REST error has this body, with a stable machine-readable code. */
export const ApiErrorSchema = z.object({
  error: z.object({
    /** One of ERROR_CODES (shared/api/errors.ts); a string here so a newer server's code still parses. */
    code: z.string(),
    /** English, for logs and API users; people read `errors.<code>`. */
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    /** Field path → field error code (FIELD_ERROR_CODES). */
    fields: z.record(z.string(), z.string()).optional(),
    fieldParams: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
