import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { SlugSchema, fieldIssue, type PublicRecordState } from '../../../shared/api/index.ts';
import { ApiError } from '../../api/index.ts';
import { publicRecordApi } from '../../api/publicRecord.ts';
import { queryKeys } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { fieldErrorText } from '../../i18n/errorText.ts';
import { publicUrl } from './address.ts';
import { AddressField } from './AddressField.tsx';
import { AddressText } from './AddressText.tsx';
import { WhatBecomesPublic } from './WhatBecomesPublic.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

type Dialog = 'publish' | 'unpublish' | null;

/**
 * A coordinator's controls: choose the address the first time, publish (or publish again, which
 * replaces what the public sees), and unpublish. Both ask first, saying what will happen.
 */
export function PublishPanel({ planId, state }: { planId: string; state: PublicRecordState }) {
  const { t } = useTranslation();
  // Publishing is the server's to do: offline it waits, and says why; the address typed stays.
  const offline = useOffline();
  const queryClient = useQueryClient();
  const keys = queryKeys.plan(planId);
  // Until the coordinator edits it, the field holds the server's suggestion.
  const [typedSlug, setTypedSlug] = useState<string | null>(null);
  const slug = typedSlug ?? state.suggestedSlug;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [slugError, setSlugError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const firstTime = state.slug === null;
  const address = publicUrl(state.slug ?? SlugSchema.safeParse(slug).data ?? slug);

  const askToPublish = () => {
    setNotice(null);
    setError(null);
    if (firstTime) {
      const parsed = SlugSchema.safeParse(slug);
      if (!parsed.success) {
        const issue = fieldIssue(parsed.error.issues[0]!);
        setSlugError(fieldErrorText(t, issue.code, issue.params));
        setError(t('publicRecord.publish.fixAddress'));
        return;
      }
    }
    setSlugError(undefined);
    setDialog('publish');
  };

  const run = async (call: () => Promise<PublicRecordState>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      queryClient.setQueryData(keys.publication(), await call());
      void queryClient.invalidateQueries({ queryKey: keys.audit() });
      setDialog(null);
      setNotice(done);
    } catch (err) {
      const d = describeError(err, t);
      // The address is the one thing the coordinator can fix here: its errors go by the field.
      const byField = d.fields.slug ?? (err instanceof ApiError && err.code === 'slug_taken' ? d.message : undefined);
      setSlugError(byField);
      setError(byField && !d.fields.slug ? null : d.message);
      if (byField) setDialog(null);
      void queryClient.invalidateQueries({ queryKey: keys.publication() });
    } finally {
      setBusy(false);
    }
  };

  const publish = () => run(() => publicRecordApi.publish(planId, firstTime ? { slug: SlugSchema.parse(slug) } : {}), t('publicRecord.publish.done'));
  const unpublish = () => run(() => publicRecordApi.unpublish(planId), t('publicRecord.unpublish.done'));

  return (
    <section className="panel pub-controls" aria-labelledby="pub-controls-h" data-testid="publish-panel">
      <h2 id="pub-controls-h">{t('publicRecord.publish.title')}</h2>
      <p data-testid="publish-next-kind" data-kind={state.nextKind}>
        {t(state.nextKind === 'adopted' ? 'publicRecord.publish.nextAdopted' : 'publicRecord.publish.nextConsultation')}
      </p>
      {state.current && <p>{t('publicRecord.publish.againIntro')}</p>}
      {firstTime && (
        <AddressField
          value={slug}
          onChange={(value) => {
            setTypedSlug(value);
            setSlugError(undefined);
          }}
          error={slugError}
        />
      )}
      {notice && (
        <p className="alert alert--success" role="status" data-testid="publish-notice">
          {notice}
        </p>
      )}
      {!dialog && <FormError message={error} />}
      <OfflineNote testId="publish-offline" />
      <div className="pub-controls__actions">
        <Button disabled={offline} onClick={askToPublish} data-testid="publish-open">
          {t(state.current ? 'publicRecord.publish.again' : 'publicRecord.publish.button')}
        </Button>
        {state.current && (
          <Button variant="danger" disabled={offline} onClick={() => (setNotice(null), setError(null), setDialog('unpublish'))} data-testid="unpublish-open">
            {t('publicRecord.unpublish.button')}
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={dialog === 'publish'}
        title={t(`publicRecord.publish.confirmTitle.${state.nextKind}`)}
        confirmLabel={t(state.current ? 'publicRecord.publish.confirmAgain' : 'publicRecord.publish.confirm')}
        confirmVariant="primary"
        busy={busy}
        error={dialog === 'publish' ? error : null}
        onConfirm={() => void publish()}
        onCancel={() => (setDialog(null), setError(null))}
        testId="publish-dialog"
        confirmTestId="publish-confirm"
      >
        <WhatBecomesPublic kind={state.nextKind} address={address} replacing={state.current} />
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'unpublish'}
        title={t('publicRecord.unpublish.confirmTitle')}
        confirmLabel={t('publicRecord.unpublish.confirm')}
        busy={busy}
        error={dialog === 'unpublish' ? error : null}
        onConfirm={() => void unpublish()}
        onCancel={() => (setDialog(null), setError(null))}
        testId="unpublish-dialog"
        confirmTestId="unpublish-confirm"
      >
        <p>
          <AddressText i18nKey="publicRecord.unpublish.confirmBody" address={address} />
        </p>
        <p>{t('publicRecord.unpublish.keeps')}</p>
      </ConfirmDialog>
    </section>
  );
}
