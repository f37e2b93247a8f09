import { sql } from 'kysely';
import { expect } from 'vitest';
import { z } from 'zod';
import { AuditEntrySchema } from '../../shared/api/index.ts';
import { summaryOf } from '../../client/features/audit/auditSummary.ts';
import type { TestServer } from './server.ts';
import { translator } from './i18n.ts';

/**
 * Every audit entry the server has written holds what its sentence in the reader's language needs
 * (client/features/audit/auditSummary.ts): none would fall back to the bare action name. Read from
 * the server's database (either engine), so it covers every plan a test made.
 */
export async function expectAuditWorded(server: TestServer): Promise<void> {
  const t = await translator('ru');
  const rows = await server.sql.rows(
    z.object({ details: z.string() }).passthrough(),
    sql`SELECT id, at, actor_id AS "actorId", actor_name AS "actorName", actor_organisation AS "actorOrganisation", actor_role AS "actorRole",
              action, target_type AS "targetType", target_id AS "targetId", summary, details FROM audit_log`,
  );
  expect(rows.length).toBeGreaterThan(0);
  const unworded = rows
    .map((r) => AuditEntrySchema.parse({ ...r, details: JSON.parse(r.details) }))
    .filter((e) => summaryOf(e, t, 'ru') === null)
    .map((e) => `${e.action}: ${JSON.stringify(e.details)}`);
  expect(unworded).toEqual([]);
}
