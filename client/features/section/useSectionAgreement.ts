import { useTranslation } from 'react-i18next';
import { useAgreementQuery } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

/** The open section's agreement (status, sign-offs, content hash), kept fresh by the live events. */
export function useSectionAgreement(planId: string, sectionId: string | undefined) {
  const { t } = useTranslation();
  const query = useAgreementQuery(planId, sectionId);
  // Another section's agreement may still be cached while this one loads: never show it here.
  const agreement = query.data && query.data.sectionId === sectionId ? query.data : null;
  return { agreement, error: query.error ? describeError(query.error, t).message : null };
}
