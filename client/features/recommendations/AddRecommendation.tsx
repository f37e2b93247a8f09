import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Position, Recommendation } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { Button, FormError } from '../../ui/forms.tsx';
import { blankSource, lines, POSITION_AND_THEMES_FIELDS, saidAt, sdgEntries, SOURCE_FIELDS, sourceBody, type SourceValues } from './recommendationEntry.ts';
import { useEntrySubmit } from './useEntrySubmit.ts';
import { PositionAndThemesFields } from './PositionAndThemesFields.tsx';
import { RecommendationSourceFields } from './RecommendationSourceFields.tsx';

/**
 * Entering a recommendation that no importable file holds: a treaty body's concluding observations
 * on paper, a special procedure's letter. Only the mechanism, the State and the text are needed; the
 * server assigns a reference when none is given.
 */
export function AddRecommendation({
  planId,
  country,
  onAdded,
  onCancel,
}: {
  planId: string;
  /** The plan's country: the State under review unless the person says otherwise. */
  country: string;
  onAdded: (r: Recommendation) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [source, setSource] = useState<SourceValues>(() => blankSource(country));
  const [position, setPosition] = useState<Position>('pending');
  const [themes, setThemes] = useState('');
  const [sdgs, setSdgs] = useState('');
  const { busy, error, fields, submit: send } = useEntrySubmit(formRef);

  // The form opens above the list: reading starts at its heading.
  useEffect(() => headingRef.current?.focus(), []);

  function changeSource(change: Partial<SourceValues>) {
    setSource((s) => ({ ...s, ...change }));
    // A pledge is the State's own commitment: it supports it, unless the person says otherwise.
    if (change.pledge && position === 'pending') setPosition('supported');
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void send(source, async () => onAdded(await api.createRecommendation(planId, { ...sourceBody(source), position, themes: lines(themes), sdgTargets: sdgEntries(sdgs) })));
  }

  return (
    <section className="panel rec-add" aria-labelledby={`${id}-h`} data-testid="rec-add">
      <h2 id={`${id}-h`} ref={headingRef} tabIndex={-1}>
        {t('recs.addTitle')}
      </h2>
      <p className="muted">{t('recs.addIntro')}</p>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="rec-add-form">
        <FormError message={error} saidAtFields={saidAt(fields, [...SOURCE_FIELDS, ...POSITION_AND_THEMES_FIELDS])} />
        <RecommendationSourceFields id={id} testId="rec-add" values={source} onChange={changeSource} fields={fields} referenceHint={t('recs.referenceHint')} />
        <PositionAndThemesFields id={id} testId="rec-add" position={position} onPosition={setPosition} positionHint={t('recs.addPositionHint')} themes={themes} onThemes={setThemes} sdgs={sdgs} onSdgs={setSdgs} fields={fields} />
        <div className="button-row">
          <Button type="submit" busy={busy} data-testid="rec-add-save">
            {t('recs.addSubmit')}
          </Button>
          <Button variant="link" onClick={onCancel} disabled={busy} data-testid="rec-add-cancel">
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
