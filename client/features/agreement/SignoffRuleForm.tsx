import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_SIGNOFF_RULE, SIDES, type Side, type SignoffRule, type SignoffRules } from '../../../shared/api/index.ts';
import type { PlanOrganisation } from '../../api/index.ts';

/**
 * Choosing a sign-off rule: its kind, and the sides, organisations or numbers it needs. Used for
 * the plan's rule (SignoffRulePanel) and a chapter's own (ChapterSignoffRule). The server checks
 * the same things again (server/services/signoffRules.ts ruleProblem).
 */

type Kind = SignoffRule['kind'];
const KINDS: Kind[] = ['sides', 'organisations', 'quorum', 'coordinators'];

export interface RuleEditor {
  kind: Kind;
  sides: Side[];
  orgIds: string[];
  /** Per side: how many verified organisations must sign (0: that side need not). */
  quorum: Partial<Record<Side, number>>;
  coordinatorSides: Side[];
}

function editorFor(rule: SignoffRule): RuleEditor {
  return {
    kind: rule.kind,
    sides: rule.kind === 'sides' ? rule.sides : ['government', 'civil_society'],
    orgIds: rule.kind === 'organisations' ? rule.organisationIds : [],
    quorum: rule.kind === 'quorum' ? rule.minimum : { government: 1, civil_society: 1 },
    coordinatorSides: rule.kind === 'coordinators' ? rule.sides : ['government', 'civil_society'],
  };
}

/** The rule the editor describes, or why it cannot be saved (a translated sentence). */
function draftOf(
  e: RuleEditor,
  organisations: PlanOrganisation[],
  overview: SignoffRules | null,
  t: (key: string, opts?: Record<string, unknown>) => string,
): { draft: SignoffRule | null; problem: string | null } {
  switch (e.kind) {
    case 'sides': {
      const sides = SIDES.filter((s) => e.sides.includes(s));
      return sides.length ? { draft: { kind: 'sides', sides }, problem: null } : { draft: null, problem: t('signoffRule.chooseSide') };
    }
    case 'organisations': {
      const ids = organisations.filter((o) => e.orgIds.includes(o.id)).map((o) => o.id);
      return ids.length ? { draft: { kind: 'organisations', organisationIds: ids }, problem: null } : { draft: null, problem: t('signoffRule.chooseOrganisation') };
    }
    case 'quorum': {
      const entries = SIDES.map((s) => [s, e.quorum[s] ?? 0] as const).filter(([, n]) => n > 0);
      if (entries.length === 0) return { draft: null, problem: t('signoffRule.chooseQuorum') };
      const tooMany = entries.find(([s, n]) => !Number.isInteger(n) || n > (overview?.verified[s] ?? 0));
      if (tooMany) {
        const [side, count] = tooMany;
        const max = overview?.verified[side] ?? 0;
        return { draft: null, problem: t('signoffRule.quorumTooMany', { side: t(`side.${side}`), count, max }) };
      }
      return { draft: { kind: 'quorum', minimum: Object.fromEntries(entries) }, problem: null };
    }
    case 'coordinators': {
      const sides = SIDES.filter((s) => e.coordinatorSides.includes(s));
      if (sides.length === 0) return { draft: null, problem: t('signoffRule.chooseSide') };
      const missing = sides.find((s) => overview && !overview.coordinatorSides.includes(s));
      if (missing) return { draft: null, problem: t('signoffRule.noCoordinator', { side: t(`signoffRule.sideWord.${missing}`) }) };
      return { draft: { kind: 'coordinators', sides }, problem: null };
    }
  }
}

/** State of one rule being chosen, starting from `initial`; `draft` is null while it cannot be saved. */
export function useRuleEditor(organisations: PlanOrganisation[], overview: SignoffRules | null) {
  const { t } = useTranslation();
  const [editor, setEditor] = useState<RuleEditor>(() => editorFor(DEFAULT_SIGNOFF_RULE));
  const { draft, problem } = draftOf(editor, organisations, overview, t);
  return { editor, setEditor, reset: (rule: SignoffRule) => setEditor(editorFor(rule)), draft, problem };
}

interface FieldsProps {
  editor: RuleEditor;
  setEditor: (update: (e: RuleEditor) => RuleEditor) => void;
  organisations: PlanOrganisation[];
  overview: SignoffRules | null;
  problem: string | null;
}

/** The fields of the rule editor (kind, then what that kind needs). */
export function SignoffRuleFields({ editor, setEditor, organisations, overview, problem }: FieldsProps) {
  const { t } = useTranslation();
  const base = useId();
  const toggle = <V,>(list: V[], value: V, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));
  const set = (patch: Partial<RuleEditor>) => setEditor((e) => ({ ...e, ...patch }));
  const kindTestId: Record<Kind, string> = {
    sides: 'signoff-rule-kind-sides',
    organisations: 'signoff-rule-kind-organisations',
    quorum: 'signoff-rule-kind-quorum',
    coordinators: 'signoff-rule-kind-coordinators',
  };

  return (
    <>
      <fieldset>
        <legend className="visually-hidden">{t('signoffRule.kindLegend')}</legend>
        <div className="radios">
          {KINDS.map((kind) => (
            <div className="radio" key={kind}>
              <input type="radio" id={`${base}-${kind}`} name={`${base}-kind`} checked={editor.kind === kind} onChange={() => set({ kind })} data-testid={kindTestId[kind]} />
              <label htmlFor={`${base}-${kind}`}>{t(`signoffRule.kind.${kind}`)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      {editor.kind === 'sides' && (
        <fieldset data-testid="signoff-rule-sides">
          <legend>{t('signoffRule.sidesLegend')}</legend>
          {SIDES.map((side) => (
            <div className="checkbox" key={side}>
              <input
                type="checkbox"
                id={`${base}-side-${side}`}
                checked={editor.sides.includes(side)}
                onChange={(e) => set({ sides: toggle(editor.sides, side, e.target.checked) })}
                data-testid="signoff-rule-side"
                data-side={side}
              />
              <label htmlFor={`${base}-side-${side}`}>{t(`side.${side}`)}</label>
            </div>
          ))}
        </fieldset>
      )}
      {editor.kind === 'organisations' && (
        <fieldset data-testid="signoff-rule-organisations">
          <legend>{t('signoffRule.organisationsLegend')}</legend>
          {organisations.length === 0 && <p className="muted">{t('signoffRule.noOrganisations')}</p>}
          {organisations.map((o) => (
            <div className="checkbox" key={o.id}>
              <input
                type="checkbox"
                id={`${base}-org-${o.id}`}
                checked={editor.orgIds.includes(o.id)}
                onChange={(e) => set({ orgIds: toggle(editor.orgIds, o.id, e.target.checked) })}
                data-testid="signoff-rule-organisation"
                data-organisation-id={o.id}
              />
              <label htmlFor={`${base}-org-${o.id}`}>
                {o.name} ({t(`side.${o.side}`)}){!o.verified && <> · {t('orgs.unverified')}</>}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {editor.kind === 'quorum' && (
        <fieldset data-testid="signoff-rule-quorum">
          <legend>{t('signoffRule.quorumLegend')}</legend>
          <p className="muted small">{t('signoffRule.quorumHint')}</p>
          <div className="quorum-fields">
            {SIDES.map((side) => {
              const verified = overview?.verified[side] ?? 0;
              return (
                <div className="quorum-field" key={side}>
                  <label htmlFor={`${base}-quorum-${side}`}>{t(`side.${side}`)}</label>
                  <input
                    type="number"
                    id={`${base}-quorum-${side}`}
                    min={0}
                    max={verified}
                    step={1}
                    inputMode="numeric"
                    value={editor.quorum[side] ?? 0}
                    onChange={(e) => set({ quorum: { ...editor.quorum, [side]: Math.max(0, Math.floor(Number(e.target.value) || 0)) } })}
                    aria-describedby={`${base}-quorum-${side}-verified`}
                    data-testid="signoff-rule-quorum-input"
                    data-side={side}
                  />
                  <span id={`${base}-quorum-${side}-verified`} className="muted small" data-testid="signoff-rule-quorum-verified" data-side={side}>
                    {t('signoffRule.verifiedCount', { count: verified })}
                  </span>
                </div>
              );
            })}
          </div>
        </fieldset>
      )}
      {editor.kind === 'coordinators' && (
        <fieldset data-testid="signoff-rule-coordinators">
          <legend>{t('signoffRule.coordinatorsLegend')}</legend>
          {SIDES.map((side) => (
            <div className="checkbox" key={side}>
              <input
                type="checkbox"
                id={`${base}-coord-${side}`}
                checked={editor.coordinatorSides.includes(side)}
                onChange={(e) => set({ coordinatorSides: toggle(editor.coordinatorSides, side, e.target.checked) })}
                data-testid="signoff-rule-coordinator-side"
                data-side={side}
              />
              <label htmlFor={`${base}-coord-${side}`}>
                {t(`side.${side}`)}
                {overview && !overview.coordinatorSides.includes(side) && <span className="muted small"> · {t('signoffRule.noCoordinatorShort')}</span>}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {problem && (
        <p className="field__error" role="alert" data-testid="signoff-rule-problem">
          {problem}
        </p>
      )}
    </>
  );
}
