import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape, scalar, theRow } from '../db/rows.ts';
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

/** Creates an organisation; a name already used (ignoring case) is a 409, since names identify sides to readers. */
export function createOrganisation(db: Db, input: { name: string; side: Side }): Organisation {
  const existing = db.prepare('SELECT id FROM organisations WHERE lower(name) = lower(?)').get(input.name);
  if (existing) {
    throw conflict(
      'organisation_exists',
      `An organisation named "${input.name}" already exists. Choose it from the list instead.`,
    );
  }
  const org: Organisation = { id: newId(), name: input.name, side: input.side, color: organisationColor(input.name, input.side) };
  db.prepare('INSERT INTO organisations (id, name, side, color, created_at) VALUES (?, ?, ?, ?, ?)').run(
    org.id,
    org.name,
    org.side,
    org.color,
    nowIso(),
  );
  return org;
}

export function findOrganisation(db: Db, id: string): Organisation | null {
  return oneRow(db.prepare('SELECT id, name, side, color FROM organisations WHERE id = ?'), OrganisationSchema, id) ?? null;
}

/** Every organisation, by name: newcomers pick theirs when accepting an invite. */
export function listOrganisations(db: Db): Organisation[] {
  return allRows(db.prepare('SELECT id, name, side, color FROM organisations ORDER BY name COLLATE NOCASE'), OrganisationSchema);
}

export function countUsers(db: Db): number {
  return theRow(db.prepare('SELECT count(*) AS n FROM users'), CountRow).n;
}

export function findUserByEmail(db: Db, email: string): { id: string; passwordHash: string } | null {
  return oneRow(db.prepare('SELECT id, password_hash AS passwordHash FROM users WHERE email = ?'), Credentials, email) ?? null;
}

/** A person's e-mail address; null when there is no such user. */
export function userEmail(db: Db, userId: string): string | null {
  return scalar(db.prepare('SELECT email FROM users WHERE id = ?'), col.text, userId) ?? null;
}

/**
 * Creates a user. The password must already be hashed: argon2 is asynchronous and SQLite
 * transactions here are synchronous, so hashing happens before the transaction starts.
 */
export function createUser(
  db: Db,
  input: { name: string; email: string; passwordHash: string; organisationId: string },
): { id: string } {
  if (findUserByEmail(db, input.email)) {
    throw conflict('email_taken', 'An account with this e-mail address already exists. Sign in instead.');
  }
  const id = newId();
  db.prepare(
    'INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(id, input.email, input.name, input.passwordHash, input.organisationId, nowIso());
  return { id };
}

/** The MeSchema answer for a user, read fresh from the database. */
export function meForUser(db: Db, userId: string): Me {
  const row = oneRow(
    db.prepare(
      `SELECT u.id, u.name, u.email, u.language, o.id AS orgId, o.name AS orgName, o.side, o.color
         FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ?`,
    ),
    MeRow,
    userId,
  );
  if (!row) throw new Error(`No user ${userId}`);
  return {
    user: { id: row.id, name: row.name, email: row.email, language: row.language },
    organisation: { id: row.orgId, name: row.orgName, side: row.side, color: row.color },
  };
}

const LanguageRow = rowShape({ language: LanguageSchema.nullable() });

/** The language a person chose to read Accord in, or null until they choose one. */
export function accountLanguage(db: Db, userId: string): Language | null {
  return oneRow(db.prepare('SELECT language FROM users WHERE id = ?'), LanguageRow, userId)?.language ?? null;
}

/** Keeps the language a person reads Accord in with their account. */
export function setUserLanguage(db: Db, userId: string, language: Language): void {
  db.prepare('UPDATE users SET language = ? WHERE id = ?').run(language, userId);
}

/**
 * Keeps the language the person's browser asks for (its Accept-Language, picked by the page's own
 * rules), for writing to someone who never chose one in the language they read Accord in. A request
 * that names no language leaves what was kept.
 */
export function rememberBrowserLanguage(db: Db, userId: string, acceptLanguage: string | undefined): void {
  const language = browserLanguage(acceptLanguage);
  if (language) db.prepare('UPDATE users SET browser_language = ? WHERE id = ?').run(language, userId);
}

/** The MeSchema answer for the signed-in person. */
export function meForPrincipal(p: Principal): Me {
  return {
    user: { id: p.userId, name: p.name, email: p.email, language: p.language },
    organisation: { id: p.organisationId, name: p.organisationName, side: p.side, color: p.color },
  };
}
