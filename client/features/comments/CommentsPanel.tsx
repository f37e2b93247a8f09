import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MENTION_PATTERN, type Comment, type CommentAnchor, type Member, type Me, type Role, type Thread } from '../../../shared/api/index.ts';
import { commentsApi, type PlanOrganisation, type ThreadStatusFilter } from '../../api/index.ts';
import { queryKeys, useInvalidate, useMembersQuery, useOrganisationsQuery, useThreadsQuery } from '../../api/queries.ts';
import { SideBadge, UnverifiedMark } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError, describeError } from '../../ui/forms.tsx';
import { formatDateTime } from '../recommendations/recommendations.tsx';
import type * as Y from 'yjs';
import { anchorState, layoutBody } from '../../../shared/doc/anchors.ts';
import { getSectionBody } from '../../../shared/doc/schema.ts';
import { base64ToBytes } from '../../editor/commentHighlights.ts';

/** The section's threads (all statuses); the live `comments` event refetches them. */
export function useThreads(planId: string, sectionId: string) {
  const { t } = useTranslation();
  const query = useThreadsQuery(planId, sectionId);
  const invalidate = useInvalidate();
  const reload = useCallback(() => invalidate(queryKeys.plan(planId).threads(sectionId)), [invalidate, planId, sectionId]);
  return { threads: query.data ?? null, error: query.error ? describeError(query.error, t).message : null, reload };
}

/**
 * The threads with detachment kept current from the live document: a thread whose words someone is
 * deleting shows as detached at once, not at the next refresh (the server computes it the same
 * way, shared/doc/anchors.ts, whenever threads are read).
 */
export function useLiveDetachment(doc: Y.Doc | null, threads: Thread[] | null): Thread[] | null {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!doc) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setVersion((v) => v + 1), 200);
    };
    doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [doc]);
  return useMemo(() => {
    if (!doc || !threads) return threads;
    const layout = layoutBody(getSectionBody(doc));
    return threads.map((th) => {
      if (th.status !== 'open') return th;
      const { detached } = anchorState(doc, layout, base64ToBytes(th.anchor.start), base64ToBytes(th.anchor.end));
      return detached === th.detached ? th : { ...th, detached };
    });
    // `version` stands for the document's content, which the memo reads.
  }, [doc, threads, version]);
}

export function mayComment(role: Role): boolean {
  return role !== 'observer';
}

function mayResolve(role: Role, thread: Thread, meId: string): boolean {
  return role === 'coordinator' || role === 'drafter' || (role !== 'observer' && thread.comments[0]?.authorId === meId);
}

/** A comment body with `@[Name](userId)` mentions shown as highlighted names. */
export function CommentText({ body }: { body: string }) {
  const parts: ReactNode[] = [];
  const re = new RegExp(MENTION_PATTERN.source, 'g');
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m.index > last) parts.push(body.slice(last, m.index));
    parts.push(
      <span key={m.index} className="mention" data-user-id={m[2]} data-testid="mention">
        @{m[1]}
      </span>,
    );
    last = m.index + m[0].length;
  }
  if (last < body.length) parts.push(body.slice(last));
  return <p className="comment__body">{parts}</p>;
}

interface MentionBoxProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  members: Member[];
  testId: string;
  autoFocus?: boolean;
  onSubmitShortcut?: () => void;
  onEscape?: () => void;
}

/** A textarea where typing `@` suggests plan members and inserts `@[Name](userId)`. */
function MentionBox({ label, value, onChange, members, testId, autoFocus, onSubmitShortcut, onEscape }: MentionBoxProps) {
  const { t } = useTranslation();
  const id = useId();
  const listId = `${id}-mentions`;
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ text: string; at: number } | null>(null);
  const [index, setIndex] = useState(0);

  const suggestions = useMemo(() => {
    if (!query) return [];
    const q = query.text.toLowerCase();
    return members.filter((m) => m.name.toLowerCase().includes(q) || m.organisation.name.toLowerCase().includes(q)).slice(0, 6);
  }, [members, query]);

  function detect(text: string, caret: number) {
    const before = text.slice(0, caret);
    const match = /(^|\s)@([^\s@[\]()]{0,40})$/.exec(before);
    if (match) {
      setQuery({ text: match[2]!, at: caret - match[2]!.length - 1 });
      setIndex(0);
    } else {
      setQuery(null);
    }
  }

  function choose(member: Member) {
    if (!query) return;
    const caret = ref.current?.selectionStart ?? value.length;
    const name = member.name.replace(/[\]\n]/g, ' ');
    const insert = `@[${name}](${member.userId}) `;
    const next = value.slice(0, query.at) + insert + value.slice(caret);
    onChange(next);
    setQuery(null);
    const pos = query.at + insert.length;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(pos, pos);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (query && suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setIndex((i) => (i + (e.key === 'ArrowDown' ? 1 : -1) + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        choose(suggestions[index] ?? suggestions[0]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setQuery(null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmitShortcut) {
      e.preventDefault();
      onSubmitShortcut();
    }
    if (e.key === 'Escape' && onEscape) onEscape();
  }

  const open = query !== null && suggestions.length > 0;
  return (
    <div className="field mention-box">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={ref}
        value={value}
        rows={3}
        maxLength={10_000}
        autoFocus={autoFocus}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${index}` : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          onChange(e.target.value);
          detect(e.target.value, e.target.selectionStart ?? e.target.value.length);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        data-testid={testId}
      />
      <p className="field__hint small" id={`${id}-hint`}>
        {t('comments.mentionHint')}
      </p>
      {open && (
        <ul className="mention-box__list" role="listbox" id={listId} aria-label={t('comments.mentionSuggestions')} data-testid="mention-suggestions">
          {suggestions.map((m, i) => (
            <li
              key={m.userId}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === index}
              className={`mention-box__option${i === index ? ' is-active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(m);
              }}
              data-testid="mention-option"
            >
              <strong>{m.name}</strong> <span className="muted small">{m.organisation.name}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface PanelProps {
  planId: string;
  sectionId: string;
  role: Role;
  me: Me;
  threads: Thread[] | null;
  error: string | null;
  reload: () => Promise<void>;
  pending: CommentAnchor | null;
  onCancelPending: () => void;
  activeThreadId: string | null;
  onActivate: (threadId: string | null) => void;
}

const NO_ORGS: PlanOrganisation[] = [];
const NO_MEMBERS: Member[] = [];
const NO_THREADS: Thread[] = [];

/** The section's comment threads beside the text: new thread form, filters, threads. */
export function CommentsPanel(props: PanelProps) {
  const { planId, sectionId, role, me, threads, pending, activeThreadId } = props;
  const { t } = useTranslation();
  const [status, setStatus] = useState<ThreadStatusFilter>('open');
  const [orgId, setOrgId] = useState('');
  const orgs = useOrganisationsQuery(planId).data ?? NO_ORGS;
  const members = useMembersQuery(planId).data ?? NO_MEMBERS;
  // One organisation's threads: under the section's threads key, so the same events refetch them.
  const orgThreadsQuery = useThreadsQuery(planId, sectionId, orgId || undefined);
  const orgThreads = orgId ? (orgThreadsQuery.data ?? (orgThreadsQuery.error ? NO_THREADS : null)) : null;
  const statusId = useId();
  const orgFilterId = useId();

  const base = orgId ? orgThreads : threads;
  const shown = (base ?? []).filter((th) => status === 'all' || th.status === status);
  const openCount = (threads ?? []).filter((th) => th.status === 'open').length;

  // A thread activated from the text is brought into view (and shown even if filtered out).
  useEffect(() => {
    if (!activeThreadId) return;
    const th = threads?.find((x) => x.id === activeThreadId);
    if (th && status !== 'all' && th.status !== status) setStatus('all');
    const el = document.querySelector<HTMLElement>(`[data-testid=thread][data-thread-id="${CSS.escape(activeThreadId)}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [activeThreadId, threads, status]);

  return (
    <section className="comments" aria-labelledby="comments-heading" data-testid="comments-panel">
      <h2 id="comments-heading" className="comments__heading">
        {t('comments.heading', { count: openCount })}
      </h2>
      {pending && mayComment(role) && (
        <NewThreadForm
          planId={planId}
          sectionId={sectionId}
          anchor={pending}
          members={members}
          onCancel={props.onCancelPending}
          onCreated={async (id) => {
            props.onCancelPending();
            if (status === 'resolved') setStatus('open');
            await props.reload();
            if (id) props.onActivate(id);
          }}
        />
      )}
      {!pending && mayComment(role) && <p className="muted small comments__how">{t('comments.howTo')}</p>}
      <div className="comments__filters">
        <div className="field field--inline">
          <label htmlFor={statusId}>{t('comments.filterStatus')}</label>
          <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as ThreadStatusFilter)} data-testid="threads-filter">
            <option value="open">{t('comments.filter.open')}</option>
            <option value="resolved">{t('comments.filter.resolved')}</option>
            <option value="all">{t('comments.filter.all')}</option>
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor={orgFilterId}>{t('comments.filterOrg')}</label>
          <select id={orgFilterId} value={orgId} onChange={(e) => setOrgId(e.target.value)} data-testid="threads-org-filter">
            <option value="">{t('comments.allOrganisations')}</option>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.verified ? o.name : t('orgs.nameUnverified', { name: o.name })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FormError message={props.error} />
      {threads === null && !props.error && <p className="muted">{t('common.loading')}</p>}
      {base !== null && shown.length === 0 && (
        <p className="muted comments__empty" data-testid="threads-empty">
          {status === 'resolved' ? t('comments.emptyResolved') : status === 'open' ? t('comments.emptyOpen') : t('comments.emptyAll')}
        </p>
      )}
      <ol className="comments__list">
        {shown.map((th) => (
          <li key={th.id}>
            <ThreadView
              planId={planId}
              thread={th}
              role={role}
              meId={me.user.id}
              members={members}
              active={th.id === activeThreadId}
              onActivate={() => props.onActivate(th.id === activeThreadId ? null : th.id)}
              reload={props.reload}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

function NewThreadForm({
  planId,
  sectionId,
  anchor,
  members,
  onCancel,
  onCreated,
}: {
  planId: string;
  sectionId: string;
  anchor: CommentAnchor;
  members: Member[];
  onCancel: () => void;
  onCreated: (threadId: string | null) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!body.trim()) {
      setError(t('comments.bodyRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await commentsApi.createThread(planId, sectionId, { anchor, body });
      const id = created && typeof created === 'object' && typeof (created as { id?: unknown }).id === 'string' ? (created as { id: string }).id : null;
      setBody('');
      await onCreated(id);
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="comment-form" onSubmit={submit} data-testid="comment-form" aria-label={t('comments.newThread')}>
      <p className="comment-form__title">{t('comments.newThread')}</p>
      <blockquote className="thread__quote">{anchor.quote}</blockquote>
      <MentionBox
        label={t('comments.yourComment')}
        value={body}
        onChange={setBody}
        members={members}
        testId="comment-body"
        autoFocus
        onSubmitShortcut={() => void submit()}
        onEscape={onCancel}
      />
      <FormError message={error} />
      <div className="comment-form__actions">
        <Button type="submit" busy={busy} className="button--small" data-testid="comment-submit">
          {t('comments.submit')}
        </Button>
        <Button variant="link" className="button--small" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

function ThreadView({
  planId,
  thread,
  role,
  meId,
  members,
  active,
  onActivate,
  reload,
}: {
  planId: string;
  thread: Thread;
  role: Role;
  meId: string;
  members: Member[];
  active: boolean;
  onActivate: () => void;
  reload: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resolved = thread.status === 'resolved';

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await action();
      await reload();
      return true;
    } catch (err) {
      setError(describeError(err, t).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function sendReply(e?: FormEvent) {
    e?.preventDefault();
    if (!reply.trim()) return;
    if (await run(() => commentsApi.reply(planId, thread.id, { body: reply }))) setReply('');
  }

  return (
    <article
      className={`thread${active ? ' thread--active' : ''}${resolved ? ' thread--resolved' : ''}`}
      data-testid="thread"
      data-thread-id={thread.id}
      data-status={thread.status}
      data-detached={thread.detached || undefined}
      aria-label={t('comments.threadLabel', { quote: thread.quote })}
    >
      <button type="button" className="thread__quote-button" onClick={onActivate} aria-pressed={active} title={t('comments.showInText')}>
        <blockquote className={`thread__quote${thread.detached ? ' thread__quote--detached' : ''}`} data-testid="thread-quote">
          {thread.quote}
        </blockquote>
      </button>
      {thread.detached && (
        <p className="thread__detached small" data-testid="thread-detached">
          {t('comments.detached')}
        </p>
      )}
      {resolved && (
        <p className="thread__resolved small" data-testid="thread-resolved">
          {thread.resolvedBy && thread.resolvedAt
            ? t('comments.resolvedBy', { name: thread.resolvedBy, time: formatDateTime(thread.resolvedAt, i18n.language) })
            : t('comments.resolved')}
        </p>
      )}
      <ol className="thread__comments">
        {thread.comments.map((c) => (
          <li key={c.id}>
            <CommentView planId={planId} comment={c} mine={c.authorId === meId && role !== 'observer'} members={members} reload={reload} />
          </li>
        ))}
      </ol>
      <FormError message={error} />
      {!resolved && mayComment(role) && (
        <form className="thread__reply" onSubmit={sendReply}>
          <MentionBox
            label={t('comments.reply')}
            value={reply}
            onChange={setReply}
            members={members}
            testId="reply-body"
            onSubmitShortcut={() => void sendReply()}
          />
          <Button type="submit" variant="secondary" className="button--small" busy={busy} disabled={!reply.trim()} data-testid="reply-submit">
            {t('comments.replySubmit')}
          </Button>
        </form>
      )}
      {mayResolve(role, thread, meId) && (
        <div className="thread__actions">
          {resolved ? (
            <Button variant="secondary" className="button--small" busy={busy} onClick={() => void run(() => commentsApi.reopen(planId, thread.id))} data-testid="reopen-thread">
              {t('comments.reopen')}
            </Button>
          ) : (
            <Button variant="secondary" className="button--small" busy={busy} onClick={() => void run(() => commentsApi.resolve(planId, thread.id))} data-testid="resolve-thread">
              {t('comments.resolve')}
            </Button>
          )}
        </div>
      )}
    </article>
  );
}

function CommentView({ planId, comment, mine, members, reload }: { planId: string; comment: Comment; mine: boolean; members: Member[]; reload: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.body);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const deleted = comment.deletedAt !== null;

  async function save(e?: FormEvent) {
    e?.preventDefault();
    if (!draft.trim()) {
      setError(t('comments.bodyRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await commentsApi.editComment(planId, comment.id, { body: draft });
      setEditing(false);
      await reload();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await commentsApi.deleteComment(planId, comment.id);
      setConfirming(false);
      await reload();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={`comment${deleted ? ' comment--deleted' : ''}`} data-testid="comment" data-comment-id={comment.id}>
      <p className="comment__meta">
        <strong className="comment__author" data-testid="comment-author">
          {comment.authorName}
        </strong>{' '}
        <span className="comment__org">{comment.organisation}</span> <SideBadge side={comment.side} />{' '}
        {!comment.organisationVerified && (
          <>
            <UnverifiedMark testId="comment-unverified" />{' '}
          </>
        )}
        <time className="muted small" dateTime={comment.createdAt}>
          {formatDateTime(comment.createdAt, i18n.language)}
        </time>
        {comment.editedAt && !deleted && (
          <span className="muted small comment__edited" title={formatDateTime(comment.editedAt, i18n.language)} data-testid="comment-edited">
            {' '}
            {t('comments.edited')}
          </span>
        )}
      </p>
      {deleted ? (
        <p className="comment__body muted">{t('comments.deleted')}</p>
      ) : editing ? (
        <form onSubmit={save} className="comment__edit">
          <MentionBox label={t('comments.editLabel')} value={draft} onChange={setDraft} members={members} testId="comment-edit-body" autoFocus onEscape={() => setEditing(false)} onSubmitShortcut={() => void save()} />
          <div className="comment-form__actions">
            <Button type="submit" className="button--small" busy={busy} data-testid="comment-edit-save">
              {t('common.save')}
            </Button>
            <Button variant="link" className="button--small" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <CommentText body={comment.body} />
      )}
      {!editing && <FormError message={error} />}
      {mine && !deleted && !editing && (
        <div className="comment__actions">
          <Button
            variant="link"
            className="button--small"
            onClick={() => {
              setDraft(comment.body);
              setError(null);
              setEditing(true);
            }}
            data-testid="comment-edit"
          >
            {t('comments.edit')}
          </Button>
          <Button variant="link" className="button--small" onClick={() => setConfirming(true)} data-testid="comment-delete">
            {t('comments.delete')}
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('comments.deleteTitle')}
        confirmLabel={t('comments.deleteConfirm')}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
        busy={busy}
        error={error}
      >
        <p>{t('comments.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
