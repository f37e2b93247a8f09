import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SIDES, type Role, type SectionStatus, type Signoff } from '../../../shared/api/index.ts';
import { ApiError, agreementApi, type Agreement } from '../../api/index.ts';
import { useMembersQuery } from '../../api/queries.ts';
import { AgreementRule } from './AgreementRule.tsx';
import { SideBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { formatDateTime } from '../recommendations/recommendations.tsx';

/** The first 12 characters of a content hash: enough for people to compare by eye. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/** Small inline icons, so the status never relies on colour alone (and needs no emoji font). */
export function StatusIcon({ status }: { status: SectionStatus | 'lock' }) {
  const common = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false, className: 'status-icon' } as const;
  if (status === 'agreed' || status === 'lock') {
    return (
      <svg {...common}>
        <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
        <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
      </svg>
    );
  }
  if (status === 'in_review') {
    return (
      <svg {...common}>
        <path d="M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <circle cx="8" cy="8" r="2.2" fill="currentColor" />
      </svg>
    );
  }
  return (
    <svg {...common}>
      <path d="M2 14l1-4 8-8 3 3-8 8-4 1z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  );
}

/** "Drafting" / "In review" / "Agreed" with an icon; `data-status` carries the machine value. */
export function SectionStatusBadge({ status, testId }: { status: SectionStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`section-status section-status--${status}`} data-status={status} data-testid={testId}>
      <StatusIcon status={status} />
      {t(`agreement.status.${status}`)}
    </span>
  );
}

/** What the rule still needs, in words: a side ("civil_society") or an organisation's name. */
export function missingText(t: (key: string, opts?: Record<string, unknown>) => string, missing: string): string {
  return (SIDES as readonly string[]).includes(missing) ? t(`agreement.missingSide.${missing}`) : t('agreement.missingOrg', { name: missing });
}

export function activeSignoffs(agreement: Agreement): Signoff[] {
  return agreement.signoffs.filter((s) => s.withdrawnAt === null);
}

/** A short hash with the full value on hover, and a button that copies the full value. */
export function HashView({ hash, testId }: { hash: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <span className="hash">
      <code title={hash} data-testid={testId} data-hash={hash}>
        {shortHash(hash)}
      </code>
      <button
        type="button"
        className="button button--link button--small"
        onClick={() => {
          void navigator.clipboard?.writeText(hash).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
        aria-label={t('agreement.copyHashLabel', { hash })}
      >
        {copied ? t('agreement.copied') : t('agreement.copy')}
      </button>
    </span>
  );
}

interface PanelProps {
  planId: string;
  sectionTitle: string;
  role: Role;
  meId: string;
  agreement: Agreement | null;
  error: string | null;
  onChanged: () => Promise<void> | void;
  /** Open suggestions in the live document, when it is open here (more current than `agreement`). */
  liveOpenSuggestions?: number;
}

/**
 * Where the section stands: its status, the hash of its current content, who signed which
 * version, what is still missing, and the actions the person's role allows.
 */
export function AgreementPanel({ planId, sectionTitle, role, meId, agreement, error, onChanged, liveOpenSuggestions }: PanelProps) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [signing, setSigning] = useState<string | null>(null);
  const [signError, setSignError] = useState<string | null>(null);
  const [withReservation, setWithReservation] = useState(false);
  const [reservation, setReservation] = useState('');
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const [reopenError, setReopenError] = useState<string | null>(null);
  // A signature of an unverified organisation would be refused: said before signing, not after.
  const myOrganisationUnverified = useMembersQuery(planId).data?.find((m) => m.userId === meId)?.organisationVerified === false;

  if (!agreement) {
    return (
      <section className="agreement-panel" data-testid="agreement-panel" aria-label={t('agreement.heading')}>
        {error ? <FormError message={error} /> : <p className="muted">{t('common.loading')}</p>}
      </section>
    );
  }

  const mayWork = role === 'coordinator' || role === 'drafter';
  const status = agreement.status;
  // The live document knows of a new or decided suggestion before the agreement is fetched again.
  const openSuggestions = liveOpenSuggestions ?? agreement.openSuggestions;
  const signoffs = activeSignoffs(agreement);
  // Newest first: the last withdrawal is the one people need to know about.
  const withdrawn = agreement.signoffs.filter((s) => s.withdrawnAt !== null).reverse();
  const mySignoff = signoffs.find((s) => s.userId === meId && s.contentHash === agreement.currentHash);
  const explain = (err: unknown) => describeError(err, t).message;

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setActionError(null);
    try {
      await action();
      await onChanged();
    } catch (err) {
      setActionError(explain(err));
    } finally {
      setBusy(false);
    }
  }

  async function confirmSign() {
    if (!signing) return;
    const note = reservation.trim();
    if (withReservation && note.length < 3) {
      setSignError(t('agreement.reservationRequired'));
      return;
    }
    setBusy(true);
    setSignError(null);
    try {
      await agreementApi.signOff(planId, agreement!.sectionId, signing, withReservation ? note : undefined);
      setSigning(null);
      setWithReservation(false);
      setReservation('');
      await onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'content_changed') {
        setSigning(null);
        setActionError(t('agreement.contentChanged'));
        await onChanged();
      } else {
        setSignError(explain(err));
      }
    } finally {
      setBusy(false);
    }
  }

  async function confirmReopen() {
    const text = reason.trim();
    if (text.length < 3) {
      setReopenError(t('agreement.reopenReasonRequired'));
      return;
    }
    setBusy(true);
    setReopenError(null);
    try {
      await agreementApi.reopen(planId, agreement!.sectionId, text);
      setReopening(false);
      setReason('');
      await onChanged();
    } catch (err) {
      setReopenError(explain(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`agreement-panel agreement-panel--${status}`} data-testid="agreement-panel" data-status={status} aria-labelledby="agreement-heading">
      <div className="agreement-panel__head">
        <h2 id="agreement-heading" className="agreement-panel__heading">
          {t('agreement.heading')}
        </h2>
        <SectionStatusBadge status={status} testId="agreement-status" />
        <span className="agreement-panel__hash">
          <span className="muted small">{status === 'agreed' ? t('agreement.agreedHash') : t('agreement.currentHash')}</span>{' '}
          <HashView hash={status === 'agreed' && agreement.agreedHash ? agreement.agreedHash : agreement.currentHash} testId="agreement-hash" />
        </span>
      </div>

      {agreement.reopenings.length > 0 && (
        <ul className="reopen-list" aria-label={t('agreement.reopeningsLabel')} data-testid="reopenings">
          {agreement.reopenings.map((r, i) => (
            <li key={`${r.at}-${i}`} className="reopen-list__item" data-testid="reopening">
              {t('agreement.reopenedBy', { name: r.by, organisation: r.organisation || '—', when: formatDateTime(r.at, i18n.language) })}{' '}
              <q className="reopen-list__reason">{r.reason}</q>
            </li>
          ))}
        </ul>
      )}

      {signoffs.length > 0 ? (
        <ul className="signoff-list" aria-label={t('agreement.signoffsLabel')}>
          {signoffs.map((s) => (
            <li key={s.id} className="signoff-list__item" data-testid="signoff-item">
              <StatusIcon status="lock" />
              <strong>{s.name}</strong>
              <span>{s.organisation}</span>
              <SideBadge side={s.side} />
              {!s.organisationVerified && (
                <span className="badge badge--unverified" data-testid="signoff-unverified" title={t('orgs.unverifiedHelp')}>
                  {t('orgs.unverifiedCounts')}
                </span>
              )}
              <span className="muted small">
                {t('agreement.signedAt', { when: formatDateTime(s.signedAt, i18n.language) })}
                {s.contentHash !== agreement.currentHash && status !== 'agreed' && <> · {t('agreement.signedOlder', { hash: shortHash(s.contentHash) })}</>}
              </span>
              {s.reservation && (
                <p className="signoff-list__reservation" data-testid="signoff-reservation">
                  <strong>{t('agreement.reservation')}</strong> {s.reservation}
                </p>
              )}
            </li>
          ))}
        </ul>
      ) : (
        status !== 'agreed' && <p className="muted small agreement-panel__none">{t('agreement.noSignoffs')}</p>
      )}

      {withdrawn.length > 0 && (
        <details className="withdrawn-signoffs" open={status !== 'agreed'} data-testid="withdrawn-signoffs">
          <summary>{t('agreement.withdrawnHeading', { count: withdrawn.length })}</summary>
          <ul>
            {withdrawn.map((s) => (
              <li key={s.id} data-testid="withdrawn-signoff">
                {s.withdrawnByName
                  ? t('agreement.withdrawnByEdit', {
                      name: s.name,
                      organisation: s.organisation,
                      signed: formatDateTime(s.signedAt, i18n.language),
                      editor: s.withdrawnByName,
                      when: formatDateTime(s.withdrawnAt!, i18n.language),
                    })
                  : t('agreement.withdrawnOther', {
                      name: s.name,
                      organisation: s.organisation,
                      signed: formatDateTime(s.signedAt, i18n.language),
                      when: formatDateTime(s.withdrawnAt!, i18n.language),
                      reason: s.withdrawnReason ?? '',
                    })}
              </li>
            ))}
          </ul>
        </details>
      )}

      <AgreementRule planId={planId} agreement={agreement} />

      <FormError message={actionError} />

      {mayWork && (
        <div className="agreement-panel__actions">
          {mayWork && status === 'drafting' && (
            <Button variant="secondary" className="button--small" busy={busy} onClick={() => void run(() => agreementApi.setStatus(planId, agreement.sectionId, 'in_review'))} data-testid="send-for-review">
              {t('agreement.sendForReview')}
            </Button>
          )}
          {mayWork && status === 'in_review' && (
            <Button variant="secondary" className="button--small" busy={busy} onClick={() => void run(() => agreementApi.setStatus(planId, agreement.sectionId, 'drafting'))} data-testid="back-to-drafting">
              {t('agreement.backToDrafting')}
            </Button>
          )}
          {mayWork && status !== 'agreed' && !mySignoff && (
            <Button
              className="button--small"
              busy={busy}
              disabled={openSuggestions > 0 || myOrganisationUnverified}
              title={openSuggestions > 0 ? t('agreement.openSuggestions', { count: openSuggestions }) : undefined}
              onClick={() => {
                setSignError(null);
                setActionError(null);
                setSigning(agreement.currentHash);
              }}
              data-testid="sign-off"
            >
              {t('agreement.signOff')}
            </Button>
          )}
          {mayWork && status !== 'agreed' && !mySignoff && myOrganisationUnverified && (
            <span className="muted small" data-testid="sign-unverified-note">
              {t('agreement.unverifiedCannotSign')}
            </span>
          )}
          {status !== 'agreed' && openSuggestions > 0 && (
            <span className="muted small" data-testid="open-suggestions-notice">
              {t('agreement.openSuggestions', { count: openSuggestions })}
            </span>
          )}
          {mySignoff && status !== 'agreed' && (
            <span className="agreement-panel__signed" data-testid="signed-by-me">
              <StatusIcon status="lock" /> {t('agreement.youSigned')}
            </span>
          )}
          {role === 'coordinator' && status === 'agreed' && (
            <Button
              variant="secondary"
              className="button--small"
              busy={busy}
              onClick={() => {
                setReopenError(null);
                setReopening(true);
              }}
              data-testid="reopen"
            >
              {t('agreement.reopen')}
            </Button>
          )}
        </div>
      )}

      <ConfirmDialog
        open={signing !== null}
        title={t('agreement.signTitle')}
        confirmLabel={t('agreement.signConfirm')}
        confirmVariant="primary"
        confirmTestId="sign-off-confirm"
        testId="sign-off-dialog"
        onConfirm={() => void confirmSign()}
        onCancel={() => setSigning(null)}
        busy={busy}
        error={signError}
      >
        <p>{t('agreement.signBody', { title: sectionTitle })}</p>
        <p className="sign-dialog__hash">
          {t('agreement.signHash')} <code title={signing ?? ''}>{shortHash(signing ?? '')}</code>
        </p>
        <p>{t('agreement.signLock')}</p>
        <div className="field field--checkbox">
          <label>
            <input
              type="checkbox"
              checked={withReservation}
              onChange={(e) => {
                setWithReservation(e.target.checked);
                setSignError(null);
              }}
              data-testid="sign-with-reservation"
            />{' '}
            {t('agreement.withReservation')}
          </label>
        </div>
        {withReservation && (
          <div className="field">
            <label htmlFor="sign-reservation">{t('agreement.reservationLabel')}</label>
            <textarea
              id="sign-reservation"
              value={reservation}
              onChange={(e) => {
                setReservation(e.target.value);
                setSignError(null);
              }}
              rows={3}
              maxLength={4000}
              data-testid="sign-reservation"
            />
            <p className="muted small">{t('agreement.reservationHelp')}</p>
          </div>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={reopening}
        title={t('agreement.reopenTitle')}
        confirmLabel={t('agreement.reopenConfirm')}
        confirmTestId="reopen-confirm"
        testId="reopen-dialog"
        onConfirm={() => void confirmReopen()}
        onCancel={() => setReopening(false)}
        busy={busy}
        error={reopenError}
      >
        <p>{t('agreement.reopenBody', { title: sectionTitle })}</p>
        <div className="field">
          <label htmlFor="reopen-reason">{t('agreement.reopenReason')}</label>
          <textarea
            id="reopen-reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setReopenError(null);
            }}
            rows={3}
            maxLength={2000}
            required
            aria-required="true"
            data-testid="reopen-reason"
          />
        </div>
      </ConfirmDialog>
    </section>
  );
}

/** The line shown over a locked editor: when and by whom the section was agreed. */
export function AgreedNotice({ agreement, fallbackNames }: { agreement: Agreement | null; fallbackNames: string[] }) {
  const { t, i18n } = useTranslation();
  const names = agreement
    ? activeSignoffs(agreement).map((s) => t(s.organisationVerified ? 'outline.signer' : 'outline.signerUnverified', { name: s.name, organisation: s.organisation }))
    : fallbackNames;
  const date = agreement?.agreedAt ? new Date(agreement.agreedAt).toLocaleDateString(i18n.language, { year: 'numeric', month: 'long', day: 'numeric' }) : '';
  return (
    <p className="notice notice--agreed" data-testid="agreed-notice" role="status">
      <StatusIcon status="lock" />{' '}
      {date ? t('agreement.agreedNotice', { date, names: names.join(', ') }) : t('agreement.agreedNoticeNoDate', { names: names.join(', ') })}
    </p>
  );
}
