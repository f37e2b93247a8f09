import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Engine, Sql } from '../db/sql/Sql.ts';
import { lowerAsStored } from '../db/sql/portable.ts';
import { conflict } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import type { Principal } from '../auth/sessions.ts';
import {
  LanguageSchema,
  OrganisationSchema,
  SideSchema,
  type Language,
  type Me,
  type Organisation,
  type Side,
} from '../../shared/api/index.ts';
import { browserLanguage } from '../../shared/language/pickLanguage.ts';

/**
 * Colours per side, all dark enough for white text and 4.5:1 on white. Government is blue and
 * civil society orange (a pair colour-blind readers also tell apart), so who wrote what is
 * visible at a glance; independent bodies are purple, international ones teal/green.
 */
export const ORGANISATION_PALETTE: Record<Side, readonly string[]> = {
  government: ['#1d4ed8', '#1e40af', '#0369a1', '#3730a3'],
  civil_society: ['#c2410c', '#9a3412', '#b45309', '#a21caf'],
  independent: ['#7e22ce', '#6b21a8'],
  international: ['#0f766e', '#047857', '#115e59'],
};

/** A stable colour for an organisation: the same name always gets the same colour within its side. */
export function organisationColor(name: string, side: Side): string {
  const palette = ORGANISATION_PALETTE[side];
  let hash = 0;
  for (const ch of name.trim().toLowerCase()) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return palette[hash % palette.length]!;
}

const CountRow = rowShape({ n: col.int });
const IdRow = rowShape({ id: col.text });
const EmailRow = rowShape({ email: col.text });
const Credentials = rowShape({ id: col.text, passwordHash: col.text });
const MeRow = rowShape({
  id: col.text,
  name: col.text,
  email: col.text,
  language: LanguageSchema.nullable(),
  orgId: col.text,
  orgName: col.text,
  side: SideSchema,
  color: col.text,
});

// Names differing only in Latin capitals are one organisation (the unique index on lower(name)).
const organisationNamedQuery = (engine: Engine, name: string) => sql`SELECT id FROM organisations WHERE lower(name) = ${lowerAsStored(engine, name)}`;
// ON CONFLICT: the name check above it cannot see a name another transaction is adding at the same
// moment (PostgreSQL); the unique index on lower(name) then decides, and the later one is refused.
const organisationInsert = (org: Organisation) =>
  sql`INSERT INTO organisations (id, name, side, color, created_at) VALUES (${org.id}, ${org.name}, ${org.side}, ${org.color}, ${nowIso()})
      ON CONFLICT DO NOTHING`;
const organisationTaken = (name: string) =>
  conflict('organisation_exists', `An organisation named "${name}" already exists. Choose it from the list instead.`);
const newOrganisation = (input: { name: string; side: Side }): Organisation => ({
  id: newId(),
  name: input.name,
  side: input.side,
  color: organisationColor(input.name, input.side),
});

/**
 * Creates an organisation; a name already used (ignoring the case of Latin letters, as both engines
 * fold it: portable.ts) is a 409, since names identify sides to readers.
 */
export async function createOrganisation(q: Sql, input: { name: string; side: Side }): Promise<Organisation> {
  if (await q.row(IdRow, organisationNamedQuery(q.engine, input.name))) throw organisationTaken(input.name);
  const org = newOrganisation(input);
  if ((await q.run(organisationInsert(org))).changes !== 1) throw organisationTaken(input.name);
  return org;
}

/** The id of the organisation with this name (ignoring the case of Latin letters), if there is one. */
export async function organisationNamed(q: Sql, name: string): Promise<string | undefined> {
  return (await q.row(IdRow, organisationNamedQuery(q.engine, name)))?.id;
}

export async function findOrganisation(q: Sql, id: string): Promise<Organisation | null> {
  return (await q.row(OrganisationSchema, sql`SELECT id, name, side, color FROM organisations WHERE id = ${id}`)) ?? null;
}

const countUsersQuery = sql`SELECT count(*) AS n FROM users`;

export async function countUsers(q: Sql): Promise<number> {
  return (await q.theRow(CountRow, countUsersQuery)).n;
}

const credentialsQuery = (email: string) => sql`SELECT id, password_hash AS "passwordHash" FROM users WHERE email = ${email}`;

export async function findUserByEmail(q: Sql, email: string): Promise<{ id: string; passwordHash: string } | null> {
  return (await q.row(Credentials, credentialsQuery(email))) ?? null;
}

/** A person's e-mail address; null when there is no such user. */
export async function userEmail(q: Sql, userId: string): Promise<string | null> {
  return (await q.row(EmailRow, sql`SELECT email FROM users WHERE id = ${userId}`))?.email ?? null;
}

interface NewUser {
  name: string;
  email: string;
  passwordHash: string;
  organisationId: string;
}
const emailTaken = () => conflict('email_taken', 'An account with this e-mail address already exists. Sign in instead.');
const userInsert = (id: string, input: NewUser) =>
  sql`INSERT INTO users (id, email, name, password_hash, organisation_id, created_at)
    VALUES (${id}, ${input.email}, ${input.name}, ${input.passwordHash}, ${input.organisationId}, ${nowIso()})`;

/**
 * Creates a user. The password must already be hashed: argon2 is asynchronous, and a transaction
 * awaits nothing but its own queries (decision 0011), so hashing happens before the transaction starts.
 */
export async function createUser(q: Sql, input: NewUser): Promise<{ id: string }> {
  if (await findUserByEmail(q, input.email)) throw emailTaken();
  const id = newId();
  await q.run(userInsert(id, input));
  return { id };
}

/** The MeSchema answer for a user, read fresh from the database. */
export async function meForUser(q: Sql, userId: string): Promise<Me> {
  const row = await q.row(
    MeRow,
    sql`SELECT u.id, u.name, u.email, u.language, o.id AS "orgId", o.name AS "orgName", o.side, o.color
         FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ${userId}`,
  );
  if (!row) throw new Error(`No user ${userId}`);
  return {
    user: { id: row.id, name: row.name, email: row.email, language: row.language },
    organisation: { id: row.orgId, name: row.orgName, side: row.side, color: row.color },
  };
}

const LanguageRow = rowShape({ language: LanguageSchema.nullable() });
const languageQuery = (userId: string) => sql`SELECT language FROM users WHERE id = ${userId}`;

/** The language a person chose to read Accord in, or null until they choose one. */
export async function accountLanguage(q: Sql, userId: string): Promise<Language | null> {
  return (await q.row(LanguageRow, languageQuery(userId)))?.language ?? null;
}

/** Keeps the language a person reads Accord in with their account. */
export async function setUserLanguage(q: Sql, userId: string, language: Language): Promise<void> {
  await q.run(sql`UPDATE users SET language = ${language} WHERE id = ${userId}`);
}

function browserLanguageUpdate(userId: string, acceptLanguage: string | undefined) {
  const language = browserLanguage(acceptLanguage);
  return language ? sql`UPDATE users SET browser_language = ${language} WHERE id = ${userId}` : null;
}

/**
 * Keeps the language the person's browser asks for (its Accept-Language, picked by the page's own
 * rules), for writing to someone who never chose one in the language they read Accord in. A request
 * that names no language leaves what was kept.
 */
export async function rememberBrowserLanguage(q: Sql, userId: string, acceptLanguage: string | undefined): Promise<void> {
  const update = browserLanguageUpdate(userId, acceptLanguage);
  if (update) await q.run(update);
}

/** The MeSchema answer for the signed-in person. */
export function meForPrincipal(p: Principal): Me {
  return {
    user: { id: p.userId, name: p.name, email: p.email, language: p.language },
    organisation: { id: p.organisationId, name: p.organisationName, side: p.side, color: p.color },
  };
}
