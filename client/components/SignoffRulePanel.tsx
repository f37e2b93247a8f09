import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_SIGNOFF_RULE, SIDES, type Side, type SignoffRule } from '../../shared/api/index.ts';
import { agreementApi, api, type PlanOrganisation } from '../api/index.ts';
import { UnverifiedMark } from './badges.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Button, FormError, describeError } from './forms.tsx';

type Kind = SignoffRule['kind'];

/** The rule in words, e.g. "At least one member of a government organisation and one of a civil-society organisation." */
export function describeRule(
  rule: SignoffRule,
  organisations: PlanOrganisation[],
  t: (key: string, opts?: Record<string, unknown>) => string,
  lng: string,
): string {
  const list = (items: string[]) => {
    try {
      return new Intl.ListFormat(lng, { style: 'long', type: 'conjunction' }).format(items);
    } catch {
      return items.join(', ');
    }
  };
  if (rule.kind === 'sides') {
    const parts = rule.sides.map((side, i) => t(i === 0 ? 'signoffRule.sidesFirst' : 'signoffRule.sidesMore', { org: t(`signoffRule.sideOrg.${side}`) }));
    return t('signoffRule.sentence', { text: list(parts) });
  }
  const names = rule.organisationIds.map((id) => organisations.find((o) => o.id === id)?.name ?? id);
  return t('signoffRule.organisationsSentence', { names: list(names) });
}

/**
 * Who must sign for a section to be agreed. Everyone reads the rule in words; coordinators can
 * choose sides or specific organisations and save, after a confirmation.
 */
export function SignoffRulePanel({ planId, canEdit, reloadKey }: { planId: string; canEdit: boolean; reloadKey: number }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const kindName = useId();
  const [rule, setRule] = useState<SignoffRule | null>(null);
  const [organisations, setOrganisations] = useState<PlanOrganisation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [kind, setKind] = useState<Kind>('sides');
  const [sides, setSides] = useState<Side[]>([]);
  const [orgIds, setOrgIds] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(async () => {
    try {
      const [r, orgs] = await Promise.all([agreementApi.signoffRule(planId), api.organisations(planId)]);
      setRule(r);
      setOrganisations(orgs);
    } catch (err) {
      setError(describeError(err, t).message);
    }
  }, [planId, t]);

  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  function startEditing() {
    const current = rule ?? DEFAULT_SIGNOFF_RULE;
    setKind(current.kind);
    setSides(current.kind === 'sides' ? current.sides : ['government', 'civil_society']);
    setOrgIds(current.kind === 'organisations' ? current.organisationIds : []);
    setSaveError(null);
    setSaved(false);
    setEditing(true);
  }

  const draft: SignoffRule | null =
    kind === 'sides'
      ? sides.length > 0
        ? { kind: 'sides', sides: SIDES.filter((s) => sides.includes(s)) }
        : null
      : orgIds.length > 0
        ? { kind: 'organisations', organisationIds: organisations.filter((o) => orgIds.includes(o.id)).map((o) => o.id) }
        : null;

  async function save() {
    if (!draft) return;
    setBusy(true);
    setSaveError(null);
    try {
      await agreementApi.setSignoffRule(planId, draft);
      setConfirming(false);
      setEditing(false);
      setSaved(true);
      await load();
    } catch (err) {
      setSaveError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  const toggle = <V,>(list: V[], value: V, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));
  const lng = i18n.language;

  return (
    <section className="panel spaced" aria-labelledby={headingId} data-testid="signoff-rule-panel" data-kind={rule?.kind ?? ''}>
      <h2 id={headingId}>{t('signoffRule.title')}</h2>
      <FormError message={error} />
      {rule === null ? (
        !error && (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )
      ) : (
        <p data-testid="signoff-rule-text">{describeRule(rule, organisations, t, lng)}</p>
      )}
      <p className="muted small">{t('signoffRule.hint')}</p>
      {saved && (
        <p className="alert alert--success" role="status" data-testid="signoff-rule-saved">
          {t('signoffRule.saved')}
        </p>
      )}
      {canEdit && rule && !editing && (
        <Button variant="secondary" onClick={startEditing} data-testid="signoff-rule-edit">
          {t('signoffRule.change')}
        </Button>
      )}
      {canEdit && editing && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft) setConfirming(true);
          }}
        >
          <fieldset>
            <legend className="visually-hidden">{t('signoffRule.kindLegend')}</legend>
            <div className="radios">
              <div className="radio">
                <input
                  type="radio"
                  id={`${kindName}-sides`}
                  name={kindName}
                  checked={kind === 'sides'}
                  onChange={() => setKind('sides')}
                  data-testid="signoff-rule-kind-sides"
                />
                <label htmlFor={`${kindName}-sides`}>{t('signoffRule.kindSides')}</label>
              </div>
              <div className="radio">
                <input
                  type="radio"
                  id={`${kindName}-orgs`}
                  name={kindName}
                  checked={kind === 'organisations'}
                  onChange={() => setKind('organisations')}
                  data-testid="signoff-rule-kind-organisations"
                />
                <label htmlFor={`${kindName}-orgs`}>{t('signoffRule.kindOrganisations')}</label>
              </div>
            </div>
          </fieldset>
          {kind === 'sides' ? (
            <fieldset data-testid="signoff-rule-sides">
              <legend>{t('signoffRule.sidesLegend')}</legend>
              {SIDES.map((side) => (
                <div className="checkbox" key={side}>
                  <input
                    type="checkbox"
                    id={`${kindName}-side-${side}`}
                    checked={sides.includes(side)}
                    onChange={(e) => setSides((cur) => toggle(cur, side, e.target.checked))}
                    data-testid="signoff-rule-side"
                    data-side={side}
                  />
                  <label htmlFor={`${kindName}-side-${side}`}>{t(`side.${side}`)}</label>
                </div>
              ))}
            </fieldset>
          ) : (
            <fieldset data-testid="signoff-rule-organisations">
              <legend>{t('signoffRule.organisationsLegend')}</legend>
              {organisations.length === 0 && <p className="muted">{t('signoffRule.noOrganisations')}</p>}
              {organisations.map((o) => (
                <div className="checkbox" key={o.id}>
                  <input
                    type="checkbox"
                    id={`${kindName}-org-${o.id}`}
                    checked={orgIds.includes(o.id)}
                    onChange={(e) => setOrgIds((cur) => toggle(cur, o.id, e.target.checked))}
                    data-testid="signoff-rule-organisation"
                    data-organisation-id={o.id}
                  />
                  <label htmlFor={`${kindName}-org-${o.id}`}>
                    {o.name} ({t(`side.${o.side}`)})
                    {/* Naming an unverified organisation is allowed, but its signatures would not count yet. */}
                    {!o.verified && (
                      <>
                        {' '}
                        <UnverifiedMark />
                      </>
                    )}
                  </label>
                </div>
              ))}
            </fieldset>
          )}
          {!draft && (
            <p className="field__error" role="alert">
              {kind === 'sides' ? t('signoffRule.chooseSide') : t('signoffRule.chooseOrganisation')}
            </p>
          )}
          <div className="inline-form">
            <Button type="submit" disabled={!draft} data-testid="signoff-rule-save">
              {t('signoffRule.save')}
            </Button>
            <Button variant="link" onClick={() => setEditing(false)} data-testid="signoff-rule-cancel">
              {t('common.cancel')}
            </Button>
          </div>
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
            <p className="muted small">{t('signoffRule.confirmNote')}</p>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
