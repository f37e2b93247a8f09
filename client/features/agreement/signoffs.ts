import { SIDES, type Signoff } from '../../../shared/api/index.ts';
import type { Agreement } from '../../api/index.ts';

/** What the rule still needs, in words: a side ("civil_society") or an organisation's name. */
export function missingText(t: (key: string, opts?: Record<string, unknown>) => string, missing: string): string {
  return (SIDES as readonly string[]).includes(missing) ? t(`agreement.missingSide.${missing}`) : t('agreement.missingOrg', { name: missing });
}

/** The sign-offs that still count: not withdrawn by an edit or otherwise. */
export function activeSignoffs(agreement: Agreement): Signoff[] {
  return agreement.signoffs.filter((s) => s.withdrawnAt === null);
}
