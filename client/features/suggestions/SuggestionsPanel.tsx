import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { listSuggestions, type SuggestionSummary } from '../../../shared/doc/suggestions.ts';
import { ConfirmedSuggestion, SuggestionWords } from './SuggestionWords.tsx';
import type { DecideSuggestions, Member, SuggestionDecision, TextAccess } from '../../../shared/api/index.ts';
import { suggestionsApi } from '../../api/index.ts';
import { queryKeys, useDecisionsQuery, useInvalidate } from '../../api/queries.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';
import { Button, FormError } from '../../ui/forms.tsx';
import { useActionError } from '../../ui/useActionError.ts';
import { formatDateTime } from '../../i18n/format.ts';

/** The section's open suggestions, read from the live document and kept current as it changes. */
export function useOpenSuggestions(doc: Y.Doc | null): SuggestionSummary[] {
  const [list, setList] = useState<SuggestionSummary[]>(() => (doc ? listSuggestions(doc) : []));
  useEffect(() => {
    if (!doc) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => setList(listSuggestions(doc));
    refresh();
    // Typing makes many updates a second; the cards need not follow each keystroke.
    const onUpdate = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    };
    doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [doc]);
  return list;
}

interface Props {
  planId: string;
  sectionId: string;
  suggestions: SuggestionSummary[];
  members: Member[];
  meId: string;
  access: TextAccess;
  agreed: boolean;
  /** Changes when a decision was announced (anyone's): the record is refetched. */
}

/**
 * A decision waiting for its confirmation. `suggestionId`: the one suggestion it decides, whose
 * words the dialog shows as they are now (they may change while it is open).
 */
type Pending = { body: DecideSuggestions; title: string; text: string; suggestionId?: string } | null;

/** The server takes at most this many ids in one decision. */
const MAX_IDS = 1000;

/**
 * The ids of the given suggestions, to decide exactly those: a bulk decision names what its
 * confirmation counted, so a suggestion that arrives while the dialog is open is not decided unseen.
 */
function idsOf(list: SuggestionSummary[]): string[] {
  return [...new Set(list.map((s) => s.id))];
}

/**
 * Suggestion cards beside the text: who proposed what, and when; accept or reject one, all of one
 * organisation's, or all. The server decides and records; the text changes for everyone through
 * the sync connection, so the cards follow the document rather than the response.
 */
const NO_DECISIONS: SuggestionDecision[] = [];

export function SuggestionsPanel({ planId, sectionId, suggestions, members, meId, access, agreed }: Props) {
  const { t, i18n } = useTranslation();
  const orgSelectId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const { error, fail, say } = useActionError();
  const [busy, setBusy] = useState<string | null>(null);
  // Deciding is the server's to do: offline the buttons wait, and say why.
  const offline = useOffline();
  const [confirm, setConfirm] = useState<Pending>(null);
  // Each confirmation starts without a reason.
  useEffect(() => {
    if (confirm) setReason('');
  }, [confirm]);
  const [orgId, setOrgId] = useState('');
  // Refetched on `suggestions` and `suggestion-rule` events; none listed if they fail to load.
  const decisionsQuery = useDecisionsQuery(planId, sectionId);
  const decisions: SuggestionDecision[] | null = decisionsQuery.data ?? (decisionsQuery.error ? NO_DECISIONS : null);
  const invalidate = useInvalidate();

  const byUser = useMemo(() => new Map(members.map((m) => [m.userId, m])), [members]);
  const canAccept = access === 'edit' && !agreed;
  const mayReject = (s: SuggestionSummary) => !agreed && (access === 'edit' || (access === 'suggest' && s.author === meId));

  const orgsWithSuggestions = useMemo(() => {
    const seen = new Map<string, { id: string; name: string; count: number }>();
    for (const s of suggestions) {
      const org = byUser.get(s.author)?.organisation;
      if (!org) continue;
      const entry = seen.get(org.id) ?? { id: org.id, name: org.name, count: 0 };
      entry.count++;
      seen.set(org.id, entry);
    }
    return [...seen.values()];
  }, [suggestions, byUser]);

  async function decide(body: DecideSuggestions, key: string) {
    setBusy(key);
    say(null);
    try {
      if (body.ids && body.ids.length > MAX_IDS) {
        for (let i = 0; i < body.ids.length; i += MAX_IDS) {
          await suggestionsApi.decide(planId, sectionId, { ...body, ids: body.ids.slice(i, i + MAX_IDS) });
        }
      } else {
        await suggestionsApi.decide(planId, sectionId, body);
      }
      setConfirm(null);
      await invalidate(queryKeys.plan(planId).decisions(sectionId));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  }

  const selectedOrg = orgsWithSuggestions.find((o) => o.id === orgId) ?? null;
  // The one suggestion a confirmation decides, as it is now (null once it is no longer in the text).
  const confirmedSuggestion = confirm?.suggestionId === undefined ? null : (suggestions.find((s) => s.id === confirm.suggestionId) ?? null);

  /** Opens the confirmation for all open suggestions (or one organisation's), as they are now. */
  function confirmBulk(decision: SuggestionDecision['decision'], org: { id: string; name: string } | null) {
    const list = org ? suggestions.filter((s) => byUser.get(s.author)?.organisation.id === org.id) : suggestions;
    if (list.length === 0) return;
    const count = list.length;
    const body: DecideSuggestions = { decision, ids: idsOf(list) };
    if (org) {
      setConfirm({
        body,
        title: t(decision === 'accept' ? 'suggestions.acceptOrgTitle' : 'suggestions.rejectOrgTitle', { name: org.name }),
        text: t(decision === 'accept' ? 'suggestions.acceptOrgText' : 'suggestions.rejectOrgText', { count, name: org.name }),
      });
    } else {
      setConfirm({
        body,
        title: t(decision === 'accept' ? 'suggestions.acceptAllTitle' : 'suggestions.rejectAllTitle'),
        text: t(decision === 'accept' ? 'suggestions.acceptAllText' : 'suggestions.rejectAllText', { count }),
      });
    }
  }

  return (
    <section className="suggestions" aria-labelledby="suggestions-heading" data-testid="suggestions-panel">
      <h2 id="suggestions-heading" className="suggestions__heading">
        {t('suggestions.heading', { count: suggestions.length })}
      </h2>
      <FormError message={error} />
      {suggestions.length > 0 && (canAccept || suggestions.some(mayReject)) && <OfflineNote testId="suggestions-offline" />}
      {suggestions.length === 0 ? (
        <p className="muted" data-testid="suggestions-empty">
          {access === 'read' || agreed ? t('suggestions.emptyReader') : access === 'suggest' ? t('suggestions.emptySuggestOnly') : t('suggestions.empty')}
        </p>
      ) : (
        <>
          {canAccept && (
            <div className="suggestions__bulk" data-testid="suggestions-bulk">
              <Button variant="secondary" className="button--small" busy={busy === 'all-accept'} disabled={offline} onClick={() => confirmBulk('accept', null)} data-testid="suggestions-accept-all">
                {t('suggestions.acceptAll')}
              </Button>
              <Button variant="secondary" className="button--small" busy={busy === 'all-reject'} disabled={offline} onClick={() => confirmBulk('reject', null)} data-testid="suggestions-reject-all">
                {t('suggestions.rejectAll')}
              </Button>
              {orgsWithSuggestions.length > 1 && (
                <div className="suggestions__org">
                  <label htmlFor={orgSelectId}>{t('suggestions.fromOrganisation')}</label>
                  <select id={orgSelectId} value={orgId} onChange={(e) => setOrgId(e.target.value)} data-testid="suggestions-org">
                    <option value="">{t('suggestions.chooseOrganisation')}</option>
                    {orgsWithSuggestions.map((o) => (
                      <option key={o.id} value={o.id}>
                        {t('suggestions.organisationOption', { name: o.name, count: o.count })}
                      </option>
                    ))}
                  </select>
                  {selectedOrg && (
                    <>
                      <Button variant="secondary" className="button--small" disabled={offline} onClick={() => confirmBulk('accept', selectedOrg)} data-testid="suggestions-accept-org">
                        {t('suggestions.accept')}
                      </Button>
                      <Button variant="secondary" className="button--small" disabled={offline} onClick={() => confirmBulk('reject', selectedOrg)} data-testid="suggestions-reject-org">
                        {t('suggestions.reject')}
                      </Button>
                    </>
                  )}
                </div>
              )}
            </div>
          )}
          <ol className="suggestions__list">
            {suggestions.map((s) => {
              const who = byUser.get(s.author);
              return (
                <li key={s.id} className="suggestion-card" style={{ borderLeftColor: who?.organisation.color ?? '#505a5f' }} data-testid="suggestion-card" data-suggestion-id={s.id} data-kind={s.kind}>
                  <p className="suggestion-card__who">
                    <strong>{who?.name ?? t('suggestions.formerMember')}</strong>
                    {who && <span className="muted"> · {who.organisation.name}</span>}
                    {/* The server's time, once it has stored the suggestion (never the author's clock). */}
                    {s.at !== null && (
                      <time className="muted" dateTime={new Date(s.at).toISOString()} data-testid="suggestion-time">
                        {' '}
                        · {formatDateTime(s.at, i18n.language)}
                      </time>
                    )}
                  </p>
                  <p className="suggestion-card__what" data-testid="suggestion-what">
                    <SuggestionWords s={s} />
                  </p>
                  <div className="suggestion-card__actions">
                    {canAccept && (
                      // Accepting cannot be taken back (see docs/decisions/0003-suggestions.md,
                      // "Deciding is confirmed, not undone"): the person sees whose words they accept first.
                      <Button
                        className="button--small"
                        busy={busy === `${s.id}-accept`}
                        disabled={offline}
                        onClick={() =>
                          setConfirm({
                            body: { decision: 'accept', ids: [s.id] },
                            title: t('suggestions.acceptOneTitle', { name: who?.name ?? t('suggestions.formerMember') }),
                            text: t('suggestions.acceptOneText'),
                            suggestionId: s.id,
                          })
                        }
                        data-testid="suggestion-accept"
                      >
                        {t('suggestions.accept')}
                      </Button>
                    )}
                    {mayReject(s) && (
                      <Button
                        variant="secondary"
                        className="button--small"
                        busy={busy === `${s.id}-reject`}
                        disabled={offline}
                        onClick={() =>
                          s.author === meId
                            ? void decide({ decision: 'reject', ids: [s.id] }, `${s.id}-reject`)
                            : setConfirm({
                                body: { decision: 'reject', ids: [s.id] },
                                title: t('suggestions.rejectOneTitle', { name: who?.name ?? t('suggestions.formerMember') }),
                                text: t('suggestions.rejectOneText'),
                                suggestionId: s.id,
                              })
                        }
                        data-testid="suggestion-reject"
                      >
                        {s.author === meId && !canAccept ? t('suggestions.withdraw') : t('suggestions.reject')}
                      </Button>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        </>
      )}
      {decisions && decisions.length > 0 && (
        <details className="suggestions__decided" data-testid="suggestions-decided">
          <summary>{t('suggestions.decidedHeading', { count: decisions.length })}</summary>
          <ol>
            {decisions.map((d, i) => (
              <li key={`${d.suggestionId}-${i}`} data-testid="suggestion-decision">
                {t(d.decision === 'accept' ? 'suggestions.acceptedBy' : 'suggestions.rejectedBy', {
                  decider: d.decidedByName,
                  deciderOrg: d.decidedByOrganisation,
                  author: d.authorName,
                  when: formatDateTime(d.decidedAt, i18n.language),
                })}{' '}
                <SuggestionWords s={d} />
                {d.reason && (
                  <span className="suggestions__reason" data-testid="suggestion-decision-reason">
                    {' '}
                    {t('suggestions.reasonShown', { reason: d.reason })}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.title ?? ''}
        confirmLabel={confirm?.body.decision === 'accept' ? t('suggestions.accept') : t('suggestions.reject')}
        confirmVariant={confirm?.body.decision === 'accept' ? 'primary' : 'danger'}
        startOnCancel
        confirmDisabled={confirm?.suggestionId !== undefined && !confirmedSuggestion}
        busy={busy !== null}
        error={error}
        onConfirm={() => {
          if (!confirm) return;
          const why = reason.trim();
          void decide(why && confirm.body.decision === 'reject' ? { ...confirm.body, reason: why } : confirm.body, `bulk-${confirm.body.decision}`);
        }}
        onCancel={() => setConfirm(null)}
        testId="suggestions-confirm"
        confirmTestId="suggestions-confirm-button"
      >
        {confirm?.suggestionId !== undefined && <ConfirmedSuggestion suggestion={confirmedSuggestion} byUser={byUser} />}
        {/* What deciding would do: nothing to say of a suggestion that is gone. */}
        {(confirm?.suggestionId === undefined || confirmedSuggestion) && <p>{confirm?.text}</p>}
        {confirm?.body.decision === 'reject' && (
          <div className="field">
            <label htmlFor={reasonId}>{t('suggestions.reasonLabel')}</label>
            <textarea id={reasonId} rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="suggestions-reason" />
            <p className="field__hint muted small">{t('suggestions.reasonHint')}</p>
          </div>
        )}
      </ConfirmDialog>
    </section>
  );
}
