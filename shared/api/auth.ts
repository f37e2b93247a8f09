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

// ----- The signed-in person's own account (the Account page) -----

/**
 * POST /auth/password: the person changes their own password. The current one proves it is them
 * and not whoever found their open laptop; the new one follows the same rules as at set-up and in
 * a reset (PasswordSchema).
 */
export const ChangePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'required').max(200),
  newPassword: PasswordSchema,
});
export type ChangePassword = z.infer<typeof ChangePasswordSchema>;
/** How many other sessions the change ended (this one stays signed in). */
export const PasswordChangedSchema = z.object({ endedSessions: z.number().int() });
export type PasswordChanged = z.infer<typeof PasswordChangedSchema>;

/**
 * One signed-in session of the caller's account. `userAgent` is the browser's own description of
 * itself, null for sessions from before Accord kept it; `current` marks the one asking.
 */
export const AccountSessionSchema = z.object({
  id: IdSchema,
  createdAt: z.string(),
  /** Null for a session from before Accord kept it and not used since. */
  lastUsedAt: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type AccountSession = z.infer<typeof AccountSessionSchema>;
export const AccountSessionsSchema = z.object({ sessions: z.array(AccountSessionSchema) });
export type AccountSessions = z.infer<typeof AccountSessionsSchema>;
/** POST /auth/sessions/end-others: how many sessions were signed out. */
export const SessionsEndedSchema = z.object({ ended: z.number().int() });
export type SessionsEnded = z.infer<typeof SessionsEndedSchema>;

/**
 * A browser Accord recognises for the caller's account (it signed in with the right password):
 * its sign-in attempts are slowed only by its own wrong passwords, not by someone else guessing.
 */
export const TrustedBrowserSchema = z.object({
  id: IdSchema,
  /** When it first signed in, and when it last did. */
  createdAt: z.string(),
  lastUsedAt: z.string(),
  userAgent: z.string().nullable(),
  /** The browser asking: its session was signed in from it. */
  current: z.boolean(),
});
export type TrustedBrowser = z.infer<typeof TrustedBrowserSchema>;
export const TrustedBrowsersSchema = z.object({ browsers: z.array(TrustedBrowserSchema) });
export type TrustedBrowsers = z.infer<typeof TrustedBrowsersSchema>;
