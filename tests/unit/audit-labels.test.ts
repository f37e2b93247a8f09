/**
 * Every kind of audit entry has words in the audit log's filter and rows: a coordinator never
 * reads a raw key such as "organisation.verified".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuditActionSchema } from '../../shared/api/index.ts';

const en = JSON.parse(readFileSync(new URL('../../client/i18n/locales/en.json', import.meta.url), 'utf8')) as { audit: { action: Record<string, string> } };

describe('audit log labels', () => {
  it('names every audit action in words', () => {
    const missing = AuditActionSchema.options.filter((action) => !en.audit.action[action]);
    expect(missing).toEqual([]);
  });
});
