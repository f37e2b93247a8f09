import { z } from 'zod';
import { EmailSchema, IdSchema, NameSchema, PasswordSchema, SideSchema } from './common.ts';

export const OrganisationSchema = z.object({
  id: IdSchema,
  name: z.string(),
  side: SideSchema,
  color: z.string(),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

export const NewOrganisationSchema = z.object({ name: NameSchema, side: SideSchema });

/**
 * The languages Accord is written in: Belarusian and Russian for the people the plan is for,
 * English for international partners (and the fallback while a catalogue is incomplete).
 */
export const LanguageSchema = z.enum(['be', 'ru', 'en']);
export type Language = z.infer<typeof LanguageSchema>;
export const LANGUAGES = LanguageSchema.options;

/** A person's choice of language, kept with their account. */
export const LanguageRequestSchema = z.object({ language: LanguageSchema });
export type LanguageRequest = z.infer<typeof LanguageRequestSchema>;

export const MeSchema = z.object({
  /** `language` is null until the person chooses one: their browser's preference applies until then. */
  user: z.object({ id: IdSchema, name: z.string(), email: z.string(), language: LanguageSchema.nullable() }),
  organisation: OrganisationSchema,
});
export type Me = z.infer<typeof MeSchema>;

export const SetupStatusSchema = z.object({ needsSetup: z.boolean() });

/**
 * GET /auth/session: whether Accord still needs setting up and who is signed in, if anyone. A
 * visitor without a session is a normal answer (`me: null`), not a 401.
 */
export const SessionSchema = SetupStatusSchema.extend({ me: MeSchema.nullable() });
export type Session = z.infer<typeof SessionSchema>;

/** First start: the first coordinator and their organisation; optionally the Belarus sample plan. */
export const SetupRequestSchema = z.object({
  name: NameSchema,
  email: EmailSchema,
  password: PasswordSchema,
  organisation: NewOrganisationSchema,
  loadSample: z.boolean().default(false),
  /** The language set-up is done in: the sample plan is written in it. */
  language: LanguageSchema.default('en'),
});
export type SetupRequest = z.infer<typeof SetupRequestSchema>;

export const SignInRequestSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1).max(200),
});
export type SignInRequest = z.infer<typeof SignInRequestSchema>;
