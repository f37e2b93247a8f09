import { useTranslation } from 'react-i18next';
import type { PublicationKind } from '../../../shared/api/index.ts';

/** "Adopted plan" or "Draft for public consultation": in words, the colour only repeats them. */
export function KindBadge({ kind, testId }: { kind: PublicationKind; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge pub-kind pub-kind--${kind}`} data-kind={kind} data-testid={testId}>
      {t(`publicRecord.kind.${kind}`)}
    </span>
  );
}
