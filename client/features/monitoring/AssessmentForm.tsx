import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AssessmentRatingSchema, type Assessment, type AssessmentRating } from '../../../shared/api/index.ts';
import { monitoringApi } from '../../api/monitoring.ts';
import { usePublicRecordQuery } from '../../api/publicRecord.ts';
import { useFormat } from '../../i18n/format.ts';
import { Button, FormError, describeError, useFocusFirstInvalid } from '../../ui/forms.tsx';
import { Field } from '../actions/Field.tsx';
import { described } from '../actions/fieldValues.ts';
import { withWebScheme } from '../../ui/webAddress.ts';
import { RatingBadge } from './badges.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

interface Props {
  planId: string;
  roundId: string;
  targetType: 'action' | 'recommendation';
  targetId: string;
  organisationName: string;
  /** The organisation's current assessment, which this revises. */
  existing: Assessment | null;
  onClose: () => void;
  onSaved: () => void;
}

/** Civil society's own assessment on UPR Info's scale, recorded for (and only revisable by) one organisation. */
/**
 * When the public sees this: the public record is a snapshot a coordinator publishes, so a new or
 * revised assessment reaches it only at the next publication. Said here, so civil society is not
 * left believing its revision is already public.
 */
function WhenPublic({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const current = usePublicRecordQuery(planId).data?.current;
  if (current === undefined) return null;
  return (
    <p className="muted small" data-testid="assessment-when-public">
      {current ? t('monitoring.assess.publicNext', { date: format.date(current.publishedAt) }) : t('monitoring.assess.publicNone')}
    </p>
  );
}

export function AssessmentForm({ planId, roundId, targetType, targetId, organisationName, existing, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  // Saving is the server's to do: offline it waits, and says why; what is written stays.
  const offline = useOffline();
  const id = useId();
  // The button that opened the form is gone: the form's heading takes the focus, so keyboard and screen-reader users land in it.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const [rating, setRating] = useState<AssessmentRating>(existing?.rating ?? 'no_information');
  const [justification, setJustification] = useState(existing?.justification ?? '');
  const [links, setLinks] = useState((existing?.evidenceLinks ?? []).join('\n'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fields);

  const save = async () => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const evidenceLinks = links
        .split(/\s+/)
        .map(withWebScheme)
        .filter(Boolean);
      await monitoringApi.saveAssessment(planId, roundId, { targetType, targetId, rating, justification: justification.trim(), evidenceLinks });
      onSaved();
      onClose();
    } catch (err) {
      const d = describeError(err, t);
      setError(d.message);
      setFields(d.fields);
    } finally {
      setBusy(false);
    }
  };

  const justificationError = fields.justification;
  // The server names a link by its place in the list (`evidenceLinks.2`): said on the box of links.
  const linksError = Object.entries(fields).find(([k]) => k.startsWith('evidenceLinks'))?.[1];
  return (
    <form ref={form} className="mon-form" aria-labelledby={`${id}-h`} data-testid="assessment-form" onSubmit={(e) => (e.preventDefault(), void save())} noValidate>
      <h4 id={`${id}-h`} ref={headingRef} tabIndex={-1}>{existing ? t('monitoring.assess.reviseTitle') : t('monitoring.assess.title')}</h4>
      <p className="muted small" data-testid="assessment-recorded-by">
        {t('monitoring.assess.recordedBy', { organisation: organisationName })}
      </p>
      <WhenPublic planId={planId} />
      <fieldset className="mon-form__ratings">
        <legend>{t('monitoring.assess.rating')}</legend>
        {AssessmentRatingSchema.options.map((r) => (
          <label key={r} className="radio">
            <input type="radio" name={`${id}-rating`} value={r} checked={rating === r} onChange={() => setRating(r)} data-testid={`assessment-rating-${r}`} />{' '}
            {t(`monitoring.rating.${r}`)}
          </label>
        ))}
      </fieldset>
      <Field id={`${id}-just`} label={t('monitoring.assess.justification')} hint={t('monitoring.assess.justificationHint')} error={justificationError}>
        <textarea
          id={`${id}-just`}
          rows={4}
          value={justification}
          onChange={(e) => setJustification(e.target.value)}
          required
          {...described(`${id}-just`, true, justificationError)}
          data-testid="assessment-justification"
        />
      </Field>
      <Field id={`${id}-links`} label={t('monitoring.assess.links')} hint={t('monitoring.assess.linksHintWeb')} error={linksError}>
        <textarea id={`${id}-links`} rows={2} value={links} onChange={(e) => setLinks(e.target.value)} {...described(`${id}-links`, true, linksError)} data-testid="assessment-links" />
      </Field>
      <FormError message={error} saidAtFields={[justificationError, linksError]} />
      <div className="mon-actions">
        <Button type="submit" busy={busy} disabled={offline} data-testid="assessment-save">
          {t('monitoring.assess.save')}
        </Button>
        <Button variant="link" disabled={busy} onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
      <OfflineNote testId="assessment-offline" kept />
    </form>
  );
}

/** The assessments of an item, each attributed to its organisation; nobody can hide one. */
export function AssessmentList({ assessments }: { assessments: Assessment[] }) {
  const { t, i18n } = useTranslation();
  if (assessments.length === 0) return <p className="muted">{t('monitoring.assess.none')}</p>;
  return (
    <ul className="mon-assessments" data-testid="assessment-list">
      {assessments.map((a) => (
        <li key={a.id} data-testid="assessment" data-organisation={a.organisation.name} data-rating={a.rating}>
          <p>
            <strong>{a.organisation.name}</strong> <RatingBadge rating={a.rating} testId="assessment-rating" />
          </p>
          <p className="mon-assessments__text">{a.justification}</p>
          {a.evidenceLinks.length > 0 && (
            <ul className="mon-assessments__links">
              {a.evidenceLinks.map((l) => (
                <li key={l}>
                  <a href={l} target="_blank" rel="noopener noreferrer nofollow">
                    {l}
                  </a>
                </li>
              ))}
            </ul>
          )}
          <p className="muted small" data-testid="assessment-byline">
            {t('monitoring.assess.by', { name: a.author, organisation: a.organisation.name, date: formatDateTime(a.updatedAt, i18n.language) })}
          </p>
        </li>
      ))}
    </ul>
  );
}

