import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import type { SignoffRuleChange, SignoffRules } from '../../../shared/api/index.ts';
import { agreementApi } from '../../api/index.ts';
import { queryKeys, useInvalidate, useOrganisationsQuery, useSignoffRulesQuery } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { RuleChangeResult } from './RuleChangeResult.tsx';
import { SignoffRuleFields, useRuleEditor } from './SignoffRuleForm.tsx';
import { describeRule } from './signoffRuleText.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';

export { describeRule } from './signoffRuleText.ts';

/**
 * Who must sign for a section to be agreed. Everyone reads the plan's rule in words, and which
 * chapters have their own; coordinators choose a kind of rule and save, after a confirmation, and
 * then read which sections in review became agreed under it.
 */
const EMPTY: never[] = [];

export function SignoffRulePanel({ planId, canEdit }: { planId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  // Saving the rule is the server's to record: offline it waits, and says why; the choices stay.
  const offline = useOffline();
  const headingId = useId();
  // Refetched on `signoff-rule`, `outline`, `members` and `organisations` events.
  const rulesQuery = useSignoffRulesQuery(planId);
  const orgsQuery = useOrganisationsQuery(planId);
  const rules: SignoffRules | null = rulesQuery.data ?? null;
  const organisations = orgsQuery.data ?? EMPTY;
  const loadError = rulesQuery.error ?? orgsQuery.error;
  const error = loadError ? describeError(loadError, t).message : null;
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [change, setChange] = useState<SignoffRuleChange | null>(null);
  const { editor, setEditor, reset, draft, problem } = useRuleEditor(organisations, rules);

  function startEditing() {
    if (!rules) return;
    reset(rules.plan);
    setSaveError(null);
    setChange(null);
    setEditing(true);
  }

  async function save() {
    if (!draft) return;
    setBusy(true);
    setSaveError(null);
    try {
      setChange(await agreementApi.setSignoffRule(planId, draft));
      setConfirming(false);
      setEditing(false);
      const p = queryKeys.plan(planId);
      await invalidate(p.signoffRules(), p.signoffRule(), p.agreement(), p.outline());
    } catch (err) {
      setSaveError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  const lng = i18n.language;

  return (
    <section className="panel spaced" aria-labelledby={headingId} data-testid="signoff-rule-panel" data-kind={rules?.plan.kind ?? ''}>
      <h2 id={headingId}>{t('signoffRule.title')}</h2>
      <FormError message={error} />
      {rules === null ? (
        !error && <NotLoadedNote failure={rulesQuery.failureReason} testId="signoff-rule-not-loaded" />
      ) : (
        <>
          <p data-testid="signoff-rule-text">{describeRule(rules.plan, organisations, t, lng)}</p>
          {rules.chapters.length > 0 && (
            <div data-testid="signoff-rule-chapters">
              <p className="muted small">{t('signoffRule.chaptersOwn')}</p>
              <ul className="rule-chapters">
                {rules.chapters.map((c) => (
                  <li key={c.chapterId} data-testid="signoff-rule-chapter" data-chapter-id={c.chapterId}>
                    <strong>{c.chapterTitle}</strong>: {describeRule(c.rule, organisations, t, lng)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
      <p className="muted small">{t('signoffRule.hint')}</p>
      {change && (
        <div data-testid="signoff-rule-saved">
          <RuleChangeResult planId={planId} change={change} />
        </div>
      )}
      {canEdit && rules && !editing && (
        <Button variant="secondary" onClick={startEditing} data-testid="signoff-rule-edit">
          {t('signoffRule.change')}
        </Button>
      )}
      {canEdit && editing && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft && !offline) setConfirming(true);
          }}
          data-testid="signoff-rule-form"
        >
          <SignoffRuleFields editor={editor} setEditor={setEditor} organisations={organisations} overview={rules} problem={problem} />
          <div className="inline-form">
            <Button type="submit" disabled={!draft || offline} data-testid="signoff-rule-save">
              {t('signoffRule.save')}
            </Button>
            <Button variant="link" onClick={() => setEditing(false)} data-testid="signoff-rule-cancel">
              {t('common.cancel')}
            </Button>
          </div>
          <OfflineNote testId="signoff-rule-offline" />
        </form>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('signoffRule.confirmTitle')}
        confirmLabel={t('signoffRule.confirm')}
        confirmVariant="primary"
        confirmTestId="signoff-rule-confirm"
        testId="signoff-rule-dialog"
        onConfirm={() => void save()}
        onCancel={() => setConfirming(false)}
        busy={busy}
        error={saveError}
      >
        {draft && (
          <>
            <p>{t('signoffRule.confirmBody')}</p>
            <p>
              <strong>{describeRule(draft, organisations, t, lng)}</strong>
            </p>
            {rules && rules.chapters.length > 0 && <p className="muted small">{t('signoffRule.confirmChapters', counted(rules.chapters.length))}</p>}
            <p className="muted small">{t('signoffRule.confirmNote')}</p>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
