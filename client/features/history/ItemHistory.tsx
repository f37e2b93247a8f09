import { useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ChangeDetailsSchema, type AuditEntry, type ChangeDetails, type HistoryTargetType } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';
import { NotLoadedNote } from '../../sync/OfflineNote.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { formatDate, formatDateTime, formatLanguageName, formatNumber } from '../../i18n/format.ts';
import { auditSummary } from '../audit/auditSummary.ts';
import { TableScroll } from '../../ui/TableScroll.tsx';
import { useOffline } from '../../sync/connectivity.ts';

/**
 * The history of one item (an action, an indicator…): who changed it, from which organisation,
 * when, and each changed field before → after, newest first. Read from the audit log by every
 * member (GET /plans/:planId/history). The same before/after table is shown in the audit log.
 */

/** A "History" button that opens the item's history in a dialog. */
export function HistoryButton({
  planId,
  targetType,
  targetId,
  title,
  testId,
}: {
  planId: string;
  targetType: HistoryTargetType;
  targetId: string;
  /** What the item is called, for the dialog's heading and the button's accessible name. */
  title: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  // The dialog is removed rather than closed, so the browser does not give focus back by itself.
  const opener = useRef<HTMLElement | null>(null);
  const close = () => {
    setOpen(false);
    requestAnimationFrame(() => opener.current?.focus());
  };
  return (
    <>
      <Button
        variant="link"
        className="button--small"
        onClick={(e) => {
          opener.current = e.currentTarget;
          setOpen(true);
        }}
        data-testid={testId ?? 'history-open'}
      >
        {t('itemHistory.open')}
        <span className="visually-hidden"> {title}</span>
      </Button>
      {/* In <body>, not in the table cell or card the button sits in: it inherits none of their styles. */}
      {open &&
        createPortal(
          <HistoryDialog planId={planId} targetType={targetType} targetId={targetId} title={title} onClose={close} />,
          document.body,
        )}
    </>
  );
}

function HistoryDialog({
  planId,
  targetType,
  targetId,
  title,
  onClose,
}: {
  planId: string;
  targetType: HistoryTargetType;
  targetId: string;
  title: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const ref = useRef<HTMLDialogElement>(null);
  // A query like every panel's: offline it says it will load, and loads once back (a copy seen
  // before is shown meanwhile); the live events of what changes the audit log refetch it.
  const query = useQuery({ queryKey: queryKeys.plan(planId).itemHistory(targetType, targetId), queryFn: () => api.history(planId, targetType, targetId) });
  const offline = useOffline();
  // A copy from an earlier opening is shown only while offline: online the dialog waits for the
  // record as it is now, so a change made since (a move, a deletion) is never missing from its top.
  const items: AuditEntry[] | null = query.isFetchedAfterMount || offline ? (query.data?.items ?? null) : null;
  const error = query.error ? describeError(query.error, t).message : null;

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog dialog--primary history-dialog"
      aria-labelledby={titleId}
      data-testid="history-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {t('itemHistory.title', { title })}
      </h2>
      <FormError message={error} />
      {items === null && !error && <NotLoadedNote failure={query.failureReason} testId="history-not-loaded" />}
      {items !== null && items.length === 0 && (
        <div className="empty-state" data-testid="history-empty">
          <p>{t('itemHistory.empty')}</p>
          <p className="muted small">{t('itemHistory.emptyWhy')}</p>
        </div>
      )}
      {items !== null && items.length > 0 && (
        <ol className="history-list" data-testid="history-list">
          {items.map((e) => (
            <HistoryEntry key={e.id} entry={e} />
          ))}
        </ol>
      )}
      <div className="dialog__actions">
        <Button variant="secondary" onClick={onClose} autoFocus data-testid="history-close">
          {t('itemHistory.close')}
        </Button>
      </div>
    </dialog>
  );
}

function HistoryEntry({ entry }: { entry: AuditEntry }) {
  const { t, i18n } = useTranslation();
  const details = ChangeDetailsSchema.safeParse(entry.details);
  return (
    <li className="history-entry" data-testid="history-entry" data-action={entry.action}>
      <p className="history-entry__head">
        <span className="badge badge--role">{t(`audit.action.${entry.action}`, { defaultValue: entry.action })}</span>{' '}
        <strong data-testid="history-who">{entry.actorName}</strong>
        {entry.actorOrganisation && <span> ({entry.actorOrganisation})</span>}
        {' · '}
        <time dateTime={entry.at} className="muted">
          {formatDateTime(entry.at, i18n.language)}
        </time>
      </p>
      <p className="history-entry__summary" data-testid="history-summary">
        {auditSummary(entry, t, i18n.language)}
      </p>
      {details.success && <ChangeTable details={details.data} />}
    </li>
  );
}

/** Fields a person reads first; the rest follow in the order they were recorded. */
const FIELD_ORDER = ['title', 'description', 'name', 'reference', 'text', 'status', 'type', 'role'];

/**
 * The changed fields of one entry, before → after. For a creation or a deletion only the fields
 * that had a value are listed. A removal's reason, when there is one, is shown under it.
 */
export function ChangeTable({ details }: { details: ChangeDetails }) {
  const { t, i18n } = useTranslation();
  const before = details.before ?? null;
  const after = details.after ?? null;
  const names = details.names ?? {};
  let fields = details.changed ?? Object.keys(after ?? before ?? {});
  if (before === null || after === null) fields = fields.filter((f) => !isEmpty((after ?? before ?? {})[f]));
  fields = [...fields].sort((a, b) => rank(a) - rank(b));
  if (fields.length === 0 && !details.reason) return null;
  return (
    <>
      {fields.length > 0 && (
        <TableScroll label={t('itemHistory.changesLabel')}>
          <table className="table table--compact history-changes" data-testid="history-changes">
            <thead>
              <tr>
                <th scope="col">{t('itemHistory.colField')}</th>
                <th scope="col">{t('itemHistory.colBefore')}</th>
                <th scope="col">{t('itemHistory.colAfter')}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f) => (
                <tr key={f} data-testid="history-change" data-field={f}>
                  <th scope="row">{t(`itemHistory.field.${fieldKey(f, (after ?? before ?? {})[f])}`, { defaultValue: f })}</th>
                  <td data-testid="history-before">{before === null ? <Nothing /> : showValue(f, before[f], names, t, i18n.language)}</td>
                  <td data-testid="history-after">{after === null ? <Nothing /> : showValue(f, after[f], names, t, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {details.reason && (
        <p className="history-entry__reason" data-testid="history-reason">
          <strong>{t('itemHistory.reason')}</strong> {details.reason}
        </p>
      )}
    </>
  );
}

const rank = (field: string) => {
  const i = FIELD_ORDER.indexOf(field);
  return i === -1 ? FIELD_ORDER.length : i;
};

/** An action's or a section's place in its list is a number; a recommendation's position is the State's word on it. */
const fieldKey = (field: string, value: unknown) => (field === 'position' && typeof value === 'number' ? 'place' : field);

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function Nothing() {
  const { t } = useTranslation();
  return <span className="muted">{t('itemHistory.none')}</span>;
}

/**
 * Translations of enumerated values, by field; the first key that has the value wins (a status is
 * an action's or a progress report's).
 */
const VALUE_KEYS: Record<string, readonly string[]> = {
  status: ['actionStatus', 'monitoring.status'],
  type: ['indicators.type'],
  role: ['role'],
  side: ['side'],
  position: ['position'],
  mechanism: ['mechanism'],
  stage: ['monitoring.stage'],
  rating: ['monitoring.rating'],
  state: ['itemHistory.state'],
  kind: ['itemHistory.evidenceKind'],
  format: ['export.formats'],
};

/** One value as a person reads it: ids as the names they had, enumerations translated, places from 1. */
function showValue(field: string, value: unknown, names: Record<string, string>, t: TFunction, lng: string) {
  if (isEmpty(value)) return <Nothing />;
  const one = (v: unknown): string => {
    if (typeof v === 'string') {
      if (names[v]) return names[v];
      const keys = VALUE_KEYS[field];
      if (keys) return t(keys.map((k) => `${k}.${v}`), { defaultValue: v });
      if (field === 'language') return formatLanguageName(v, lng);
      if (field === 'date') return formatDate(v, lng);
      return v;
    }
    if (typeof v === 'number') {
      if (field === 'position') return t('itemHistory.place', { n: v + 1 });
      // Amounts are grouped as the reader's language groups them; years and cycles are not.
      return field === 'budgetAmount' ? formatNumber(v, lng) : String(v);
    }
    if (typeof v === 'boolean') return v ? t('itemHistory.yes') : t('itemHistory.no');
    // A progress report's observed value: the value and its date, not the stored shape.
    const o = v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : null;
    if (o && 'value' in o) return [o.value, o.date].filter((x) => x !== null && x !== undefined && x !== '').join(' · ');
    return JSON.stringify(v);
  };
  const text = Array.isArray(value) ? value.map(one).join(', ') : one(value);
  return <span className="pre-wrap">{text}</span>;
}
