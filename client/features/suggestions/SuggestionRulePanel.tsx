import { useEffect, useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SIDES, type Side, type SuggestionRule } from '../../../shared/api/index.ts';
import { suggestionsApi } from '../../api/index.ts';
import { queryKeys, useSuggestionRuleQuery } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';

/** The rule in words, e.g. "Commenters may suggest changes. Drafters of Civil society must suggest." */
export function describeSuggestionRule(rule: SuggestionRule, t: (key: string, opts?: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (rule.commentersSuggest) parts.push(t('suggestionRule.summaryCommenters'));
  if (rule.suggestOnlySides.length > 0) parts.push(t('suggestionRule.summarySides', { sides: rule.suggestOnlySides.map((s) => t(`side.${s}`)).join(', ') }));
  return parts.length ? parts.join(' ') : t('suggestionRule.summaryNone');
}

/**
 * Who must propose changes as suggestions (Members page). Everyone reads it; coordinators change
 * it after a confirmation, and the server reconnects people whose rights changed.
 */
export function SuggestionRulePanel({ planId, canEdit }: { planId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  // Saving the rule is the server's to record: offline it waits, and says why; the choices stay.
  const offline = useOffline();
  const headingId = useId();
  const idBase = useId();
  const queryClient = useQueryClient();
  // Refetched on `suggestion-rule` events; the draft starts over from each rule loaded.
  const ruleQuery = useSuggestionRuleQuery(planId);
  const rule = ruleQuery.data ?? null;
  const [draft, setDraft] = useState<SuggestionRule | null>(null);
  useEffect(() => {
    if (ruleQuery.data) setDraft(ruleQuery.data);
  }, [ruleQuery.data]);
  const [saveError, setError] = useState<string | null>(null);
  const error = saveError ?? (ruleQuery.error ? describeError(ruleQuery.error, t).message : null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  async function save() {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      queryClient.setQueryData(queryKeys.plan(planId).suggestionRule(), await suggestionsApi.setRule(planId, draft));
      setConfirming(false);
      setSaved(true);
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  const changed = rule !== null && draft !== null && JSON.stringify(rule) !== JSON.stringify({ ...draft, suggestOnlySides: SIDES.filter((s) => draft.suggestOnlySides.includes(s)) });
  const toggleSide = (side: Side, on: boolean) =>
    setDraft((d) => d && { ...d, suggestOnlySides: on ? SIDES.filter((s) => s === side || d.suggestOnlySides.includes(s)) : d.suggestOnlySides.filter((s) => s !== side) });

  return (
    <section className="panel spaced suggestion-rule" aria-labelledby={headingId} data-testid="suggestion-rule-panel">
      <h2 id={headingId}>{t('suggestionRule.heading')}</h2>
      <FormError message={error} />
      {rule && <p data-testid="suggestion-rule-text">{describeSuggestionRule(rule, t)}</p>}
      {!rule && !error && <NotLoadedNote failure={ruleQuery.failureReason} testId="suggestion-rule-not-loaded" />}
      <p className="muted small">{t('suggestionRule.intro')}</p>
      {saved && (
        <p className="alert alert--success" role="status" data-testid="suggestion-rule-saved">
          {t('suggestionRule.saved')}
        </p>
      )}
      {canEdit && draft && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(false);
            if (changed && !offline) setConfirming(true);
          }}
        >
          <div className="checkbox">
            <input
              type="checkbox"
              id={`${idBase}-commenters`}
              checked={draft.commentersSuggest}
              onChange={(e) => setDraft({ ...draft, commentersSuggest: e.target.checked })}
              data-testid="suggestion-rule-commenters"
            />
            <label htmlFor={`${idBase}-commenters`}>{t('suggestionRule.commenters')}</label>
          </div>
          <fieldset>
            <legend>{t('suggestionRule.sides')}</legend>
            {SIDES.map((side) => (
              <div className="checkbox" key={side}>
                <input
                  type="checkbox"
                  id={`${idBase}-${side}`}
                  checked={draft.suggestOnlySides.includes(side)}
                  onChange={(e) => toggleSide(side, e.target.checked)}
                  data-testid="suggestion-rule-side"
                  data-side={side}
                />
                <label htmlFor={`${idBase}-${side}`}>{t(`side.${side}`)}</label>
              </div>
            ))}
          </fieldset>
          <Button type="submit" disabled={!changed || offline} data-testid="suggestion-rule-save">
            {t('suggestionRule.save')}
          </Button>
          {changed && <OfflineNote testId="suggestion-rule-offline" />}
        </form>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('suggestionRule.confirmTitle')}
        confirmLabel={t('suggestionRule.save')}
        confirmVariant="primary"
        confirmTestId="suggestion-rule-confirm"
        onConfirm={() => void save()}
        onCancel={() => setConfirming(false)}
        busy={busy}
        error={error}
      >
        {draft && (
          <>
            <p>{t('suggestionRule.confirmText')}</p>
            <p>
              <strong>{describeSuggestionRule(draft, t)}</strong>
            </p>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
