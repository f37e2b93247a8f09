import { useTranslation } from 'react-i18next';
import type { PublicRecordState } from '../../../shared/api/index.ts';

import { publicUrl } from './address.ts';
import { AddressText } from './AddressText.tsx';
import { KindBadge } from './KindBadge.tsx';
import { formatDateTime } from '../../i18n/format.ts';

/**
 * What the public sees now: the address, what kind of publication, when and by whom, and the
 * snapshot's hash (the one printed on every public page, so a reader's copy can be checked).
 * Before the first publication, and after unpublishing, it says plainly that nothing is public.
 */
export function PublicationStatus({ state, isCoordinator }: { state: PublicRecordState; isCoordinator: boolean }) {
  const { t, i18n } = useTranslation();
  const current = state.current;
  const lastEnded = state.history[0];
  return (
    <section className="panel pub-status" aria-labelledby="pub-status-h" data-testid="publication-status" data-published={current ? 'yes' : 'no'}>
      <h2 id="pub-status-h">
        {t('publicRecord.status.title')}{' '}
        <span className={`badge pub-state pub-state--${current ? 'published' : 'not-published'}`} data-testid="publication-state">
          {t(current ? 'publicRecord.status.published' : 'publicRecord.status.notPublished')}
        </span>
      </h2>
      {current ? (
        <>
          <dl className="facts pub-facts" data-testid="publication-current">
            <dt>{t('publicRecord.status.address')}</dt>
            <dd>
              <a href={publicUrl(current.slug)} target="_blank" rel="noopener noreferrer" data-testid="publication-address">
                {publicUrl(current.slug)}
              </a>{' '}
              <span className="muted small">{t('publicRecord.status.newTab')}</span>
            </dd>
            <dt>{t('publicRecord.status.kind')}</dt>
            <dd>
              <KindBadge kind={current.kind} testId="publication-kind" />
            </dd>
            <dt>{t('publicRecord.status.when')}</dt>
            <dd data-testid="publication-when">
              {t('publicRecord.status.whenBy', { date: formatDateTime(current.publishedAt, i18n.language), name: current.publishedBy })}
            </dd>
            <dt>{t('publicRecord.status.hash')}</dt>
            <dd>
              <code className="pub-hash" data-testid="publication-hash">
                {current.hash}
              </code>
            </dd>
          </dl>
          <p className="muted">{t('publicRecord.status.snapshot')}</p>
          {current.kind === 'consultation' && state.nextKind === 'adopted' && (
            <p className="alert alert--info" data-testid="publication-adopted-since">
              {t('publicRecord.status.adoptedSince')}
            </p>
          )}
        </>
      ) : state.slug && lastEnded?.endedAt ? (
        <p className="empty-state" data-testid="publication-unpublished">
          <AddressText i18nKey="publicRecord.status.unpublished" address={publicUrl(state.slug)} values={{ date: formatDateTime(lastEnded.endedAt, i18n.language) }} />
        </p>
      ) : (
        <p className="empty-state" data-testid="publication-empty">
          {t(isCoordinator ? 'publicRecord.status.emptyCoordinator' : 'publicRecord.status.emptyMember')}
        </p>
      )}
    </section>
  );
}
