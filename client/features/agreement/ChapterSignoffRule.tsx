import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Chapter, ChapterSignoffRule as OwnRule, SignoffRuleChange, SignoffRules } from '../../../shared/api/index.ts';
import { agreementApi, type PlanOrganisation } from '../../api/index.ts';
import { queryKeys, useInvalidate, useOrganisationsQuery, useSignoffRulesQuery } from '../../api/queries.ts';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { RuleChangeResult } from './RuleChangeResult.tsx';
import { SignoffRuleFields, useRuleEditor } from './SignoffRuleForm.tsx';
import { describeRule } from './signoffRuleText.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/**
 * A chapter's own sign-off rule in the outline: everyone sees that a chapter has one (and what it
 * asks, on hover and for screen readers); coordinators open "Sign-off rule for this chapter" to
 * give it one or go back to the plan's rule, then read which sections became agreed.
 */

/**
 * The plan's rules: a query the `outline` and `signoff-rule` events refetch (a rule change announces
 * both). `reload` is for after a change made here: the rules, and what each section needs.
 */
export function useSignoffRules(planId: string): { rules: SignoffRules | null; reload: () => void } {
  const query = useSignoffRulesQuery(planId);
  const invalidate = useInvalidate();
  const reload = useCallback(() => {
    const p = queryKeys.plan(planId);
    void invalidate(p.signoffRules(), p.signoffRule(), p.agreement(), p.outline());
  }, [invalidate, planId]);
  return { rules: query.isError ? null : (query.data ?? null), reload };
}

const NO_ORGS: PlanOrganisation[] = [];

interface Props {
  planId: string;
  chapter: Chapter;
  rules: SignoffRules | null;
  canManage: boolean;
  onChanged: () => void;
}

export function ChapterSignoffRule({ planId, chapter, rules, canManage, onChanged }: Props) {
  const { t, i18n } = useTranslation();
  const own: OwnRule | undefined = rules?.chapters.find((c) => c.chapterId === chapter.id);
  const [open, setOpen] = useState(false);
  // Named organisations are described by name: fetched only when a chapter's rule names some.
  const organisations = useOrganisationsQuery(planId, own?.rule.kind === 'organisations' || open).data ?? NO_ORGS;
  const lng = i18n.language;
  const text = own ? describeRule(own.rule, organisations, t, lng) : '';

  if (!own && !canManage) return null;
  return (
    <div className="chapter-rule" data-testid="chapter-rule" data-chapter-id={chapter.id} data-own={own ? 'true' : 'false'}>
      {own && (
        <span className="badge badge--rule" title={text} data-testid="chapter-rule-badge">
          {t('chapterRule.badge')}
          <span className="visually-hidden">: {text}</span>
        </span>
      )}
      {canManage && (
        <button type="button" className="button button--link button--small" onClick={() => setOpen(true)} data-testid="chapter-rule-open">
          {t('chapterRule.open')}
          <span className="visually-hidden"> ({chapter.title})</span>
        </button>
      )}
      {open && rules && (
        <ChapterRuleDialog
          planId={planId}
          chapter={chapter}
          rules={rules}
          own={own}
          organisations={organisations}
          onClose={() => setOpen(false)}
          onChanged={onChanged}
        />
      )}
    </div>
  );
}

function ChapterRuleDialog(props: {
  planId: string;
  chapter: Chapter;
  rules: SignoffRules;
  own: OwnRule | undefined;
  organisations: PlanOrganisation[];
  onClose: () => void;
  onChanged: () => void;
}) {
  const { planId, chapter, rules, own, organisations, onClose, onChanged } = props;
  const { t, i18n } = useTranslation();
  // Open when the connection drops, the dialog keeps the choices and waits for it, saying why.
  const offline = useOffline();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const choiceName = useId();
  const [useOwn, setUseOwn] = useState(own !== undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [change, setChange] = useState<SignoffRuleChange | null>(null);
  const { editor, setEditor, reset, draft, problem } = useRuleEditor(organisations, rules);
  const lng = i18n.language;

  useEffect(() => {
    reset(own?.rule ?? rules.plan);
    ref.current?.showModal();
    // Only when the dialog opens: later changes of the rules must not undo what is being chosen.
  }, []);

  const nothingToDo = !useOwn && !own;
  async function save() {
    setBusy(true);
    setError(null);
    try {
      setChange(useOwn ? await agreementApi.setChapterSignoffRule(planId, chapter.id, draft!) : await agreementApi.removeChapterSignoffRule(planId, chapter.id));
      onChanged();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog dialog--primary dialog--wide"
      aria-labelledby={titleId}
      data-testid="chapter-rule-dialog"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {t('chapterRule.title', { chapter: chapter.title })}
      </h2>
      <div className="dialog__body">
        {change ? (
          <RuleChangeResult planId={planId} change={change} />
        ) : (
          <>
            <p className="muted small">{t('chapterRule.intro')}</p>
            <fieldset>
              <legend className="visually-hidden">{t('chapterRule.choiceLegend')}</legend>
              <div className="radio">
                <input type="radio" id={`${choiceName}-plan`} name={choiceName} checked={!useOwn} onChange={() => setUseOwn(false)} data-testid="chapter-rule-use-plan" />
                <label htmlFor={`${choiceName}-plan`}>
                  {t('chapterRule.usePlan')} <span className="muted">({describeRule(rules.plan, organisations, t, lng)})</span>
                </label>
              </div>
              <div className="radio">
                <input type="radio" id={`${choiceName}-own`} name={choiceName} checked={useOwn} onChange={() => setUseOwn(true)} data-testid="chapter-rule-use-own" />
                <label htmlFor={`${choiceName}-own`}>{t('chapterRule.useOwn')}</label>
              </div>
            </fieldset>
            {useOwn && (
              <div className="chapter-rule__fields" data-testid="chapter-rule-fields">
                <SignoffRuleFields editor={editor} setEditor={setEditor} organisations={organisations} overview={rules} problem={problem} />
                {draft && (
                  <p>
                    {t('chapterRule.willBe')} <strong data-testid="chapter-rule-preview">{describeRule(draft, organisations, t, lng)}</strong>
                  </p>
                )}
              </div>
            )}
            <p className="muted small">{t('chapterRule.consequence')}</p>
            {nothingToDo && <p className="muted small">{t('chapterRule.alreadyPlan')}</p>}
          </>
        )}
      </div>
      <FormError message={error} />
      {!change && <OfflineNote testId="chapter-rule-offline" />}
      <div className="dialog__actions">
        {change ? (
          <Button variant="primary" onClick={onClose} autoFocus data-testid="chapter-rule-close">
            {t('chapterRule.close')}
          </Button>
        ) : (
          <>
            <Button variant="primary" onClick={() => void save()} busy={busy} disabled={nothingToDo || (useOwn && !draft) || offline} data-testid="chapter-rule-save">
              {useOwn ? t('chapterRule.saveOwn') : t('chapterRule.savePlan')}
            </Button>
            <Button variant="secondary" onClick={onClose} disabled={busy} data-testid="chapter-rule-cancel">
              {t('common.cancel')}
            </Button>
          </>
        )}
      </div>
    </dialog>
  );
}
