import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActionsDiff, ActionsRestore, ActionsSnapshot, FieldChange } from '../../../shared/api/index.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';

/**
 * Actions and indicators in versions (issue #13): what changed between two versions beside the
 * text diff, field by field; what a version kept; and what a restore did to them. Removed values
 * are struck through and added ones underlined, like the text diff, and labelled in words for
 * screen readers (colour is never the only cue).
 */

type Kind = 'action' | 'indicator';
type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A field's value as people read it: codes translated, nothing set shown as a dash. */
function FieldValue({ kind, change, value, op }: { kind: Kind; change: FieldChange; value: string | null; op: 'insert' | 'delete' }) {
  const { t } = useTranslation();
  if (value === null) {
    return (
      <span className="muted">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">{t('versionActions.notSet')}</span>
      </span>
    );
  }
  let shown = value;
  if (kind === 'action' && change.field === 'status') shown = t(`actionStatus.${value}`, { defaultValue: value });
  if (kind === 'indicator' && change.field === 'type') shown = t(`indicators.type.${value}`, { defaultValue: value });
  const Tag = op === 'insert' ? 'ins' : 'del';
  return (
    <Tag className={op === 'insert' ? 'diff__ins' : 'diff__del'}>
      <span className="visually-hidden">{t(op === 'insert' ? 'history.srInserted' : 'history.srDeleted')} </span>
      {shown}
      <span className="visually-hidden"> {t('history.srEnd')}</span>
    </Tag>
  );
}

function FieldTable({ kind, fields, caption }: { kind: Kind; fields: FieldChange[]; caption: string }) {
  const { t } = useTranslation();
  if (fields.length === 0) return null;
  const group = kind === 'action' ? 'field' : 'indicatorField';
  return (
    <TableScroll label={caption}>
      <table className="table table--compact actions-diff__fields">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('versionActions.colField')}</th>
            <th scope="col">{t('versionActions.colFrom')}</th>
            <th scope="col">{t('versionActions.colTo')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.field} data-testid="actions-diff-field" data-field={f.field}>
              <th scope="row">{t(`versionActions.${group}.${f.field}`, { defaultValue: f.field })}</th>
              <td>
                <FieldValue kind={kind} change={f} value={f.from} op="delete" />
              </td>
              <td>
                <FieldValue kind={kind} change={f} value={f.to} op="insert" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ChangeBadge({ change }: { change: 'added' | 'removed' | 'changed' }) {
  const { t } = useTranslation();
  return <span className={`badge badge--kind actions-diff__badge actions-diff__badge--${change}`}>{t(`versionActions.change.${change}`)}</span>;
}

/** "Actions: 1 added, 1 removed, 1 changed. Indicators: …" */
export function actionsSummaryText(t: Translate, s: ActionsDiff['summary']): string {
  return t('versionActions.summary', { ...s });
}

/** The action and indicator changes between two versions (or a version and the current state). */
export function ActionsDiffView({ diff }: { diff: ActionsDiff }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="diff actions-diff" aria-labelledby={headingId} data-testid="actions-diff">
      <h3 id={headingId}>{t('versionActions.title')}</h3>
      {!diff.comparable ? (
        <p className="notice" data-testid="actions-diff-text-only">
          {t('versionActions.textOnly')}
        </p>
      ) : diff.changes.length === 0 ? (
        <p className="muted" data-testid="actions-diff-summary">
          {t('versionActions.noChanges')}
        </p>
      ) : (
        <>
          <p className="diff__summary" role="status" data-testid="actions-diff-summary">
            {actionsSummaryText(t, diff.summary)}
          </p>
          {diff.changes.map((c) => (
            <article key={c.actionId} className={`actions-diff__action actions-diff__action--${c.change}`} data-testid="actions-diff-action" data-change={c.change}>
              <h4>
                <ChangeBadge change={c.change} /> {t('versionActions.actionLabel', { title: c.title })}
              </h4>
              <FieldTable kind="action" fields={c.fields} caption={t('versionActions.fieldsCaption', { title: c.title })} />
              {c.indicators.length > 0 && (
                <ul className="actions-diff__indicators">
                  {c.indicators.map((i) => (
                    <li key={i.indicatorId} data-testid="actions-diff-indicator" data-change={i.change}>
                      <p>
                        <ChangeBadge change={i.change} /> {t('versionActions.indicatorLabel', { description: i.description })}
                      </p>
                      <FieldTable kind="indicator" fields={i.fields} caption={t('versionActions.fieldsCaption', { title: i.description })} />
                    </li>
                  ))}
                </ul>
              )}
            </article>
          ))}
        </>
      )}
    </section>
  );
}

/** The actions a version kept, for reading it: titles, status and indicators. */
export function VersionActionsList({ snapshot }: { snapshot: ActionsSnapshot | null | undefined }) {
  const { t } = useTranslation();
  if (snapshot === undefined) return null;
  return (
    <div className="actions-diff__kept" data-testid="version-actions">
      <h4>{t('versionActions.keptTitle')}</h4>
      {snapshot === null ? (
        <p className="muted">{t('versionActions.keptTextOnly')}</p>
      ) : snapshot.actions.length === 0 ? (
        <p className="muted">{t('versionActions.keptEmpty')}</p>
      ) : (
        <ol>
          {snapshot.actions.map((a) => (
            <li key={a.id}>
              <strong>{a.title}</strong> <span className="muted small">{t(`actionStatus.${a.status}`, { defaultValue: a.status })}</span>
              {a.indicators.length > 0 && (
                <ul>
                  {a.indicators.map((i) => (
                    <li key={i.id}>
                      {i.description} <span className="muted small">{t(`indicators.type.${i.type}`, { defaultValue: i.type })}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** What to tell the person who restored a version, including what happened to the actions. */
export function restoredMessage(t: Translate, name: string, report: ActionsRestore | undefined): string {
  if (!report) return t('history.restored', { name });
  if (!report.restored) return t('versionActions.restoredTextOnly', { name });
  const s = report.summary;
  const changed = s.actionsAdded + s.actionsRemoved + s.actionsChanged > 0;
  const parts = [changed ? t('versionActions.restored', { name, summary: actionsSummaryText(t, s) }) : t('versionActions.restoredSame', { name })];
  if (report.skippedRecommendations.length > 0) {
    parts.push(t('versionActions.skippedRecommendations', { list: report.skippedRecommendations.map((r) => r.name).join(', ') }));
  }
  if (report.skippedOrganisations.length > 0) {
    parts.push(t('versionActions.skippedOrganisations', { list: report.skippedOrganisations.map((o) => o.name).join(', ') }));
  }
  return parts.join(' ');
}
