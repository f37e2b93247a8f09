import { useTranslation } from 'react-i18next';
import type { Publication, PublicationKind } from '../../../shared/api/index.ts';

import { AddressText } from './AddressText.tsx';
import { formatDateTime } from '../../i18n/format.ts';

/**
 * The confirmation's body: exactly what a publication makes readable by anyone, so a coordinator
 * never publishes more than they meant to. It mirrors the snapshot the server builds
 * (server/services/publicRecord/snapshot.ts): organisations, never people.
 */
export function WhatBecomesPublic({ kind, address, replacing }: { kind: PublicationKind; address: string; replacing: Publication | null }) {
  const { t, i18n } = useTranslation();
  const items = ['text', 'agreement', 'dissent', 'actions', ...(kind === 'adopted' ? ['monitoring'] : [])];
  return (
    <div data-testid="publish-what" data-kind={kind}>
      <p>
        <AddressText i18nKey="publicRecord.publish.confirmAddress" address={address} />
      </p>
      <ul className="pub-what">
        {items.map((item) => (
          <li key={item} data-testid={`publish-what-${item}`}>
            {t(`publicRecord.publish.what.${item}`)}
          </li>
        ))}
      </ul>
      <p>
        <strong>{t('publicRecord.publish.notPeople')}</strong>
      </p>
      <p>{t('publicRecord.publish.snapshot')}</p>
      {replacing && (
        <p data-testid="publish-replaces">
          {t('publicRecord.publish.replaces', {
            kind: t(`publicRecord.kind.${replacing.kind}`).toLowerCase(),
            date: formatDateTime(replacing.publishedAt, i18n.language),
          })}
        </p>
      )}
    </div>
  );
}
