import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { AwarenessUser } from '../../shared/protocol.ts';
import { OrgDot, SideBadge, UnverifiedMark } from '../ui/badges.tsx';
import { LiveRegion, useAnnouncer } from '../ui/LiveRegion.tsx';
import { formatDateTime } from '../i18n/format.ts';
import type { SectionConnection } from '../sync/sectionConnection.ts';

interface Present {
  user: AwarenessUser;
  isSelf: boolean;
}

function isAwarenessUser(value: unknown): value is AwarenessUser {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.name === 'string';
}

function readPresence(connection: SectionConnection): Present[] {
  const awareness = connection.provider.awareness;
  const byUser = new Map<string, Present>();
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: unknown }).user;
    if (!isAwarenessUser(user)) continue;
    const isSelf = clientId === awareness.clientID || user.id === connection.options.userId;
    // One entry per person, even with two tabs open.
    if (!byUser.has(user.id) || isSelf) byUser.set(user.id, { user, isSelf });
  }
  return [...byUser.values()].sort((a, b) => (a.isSelf === b.isSelf ? a.user.name.localeCompare(b.user.name) : a.isSelf ? -1 : 1));
}

/** How long after opening the section the people already in it are taken as found, not as joining. */
const SETTLE_MS = 2000;

/** Who came and who went between two readings of the presence (others only). */
export function presenceChanges(before: readonly Present[], after: readonly Present[]): { joined: AwarenessUser[]; left: AwarenessUser[] } {
  const others = (list: readonly Present[]) => new Map(list.filter((p) => !p.isSelf).map((p) => [p.user.id, p.user]));
  const was = others(before);
  const is = others(after);
  return {
    joined: [...is.values()].filter((u) => !was.has(u.id)),
    left: [...was.values()].filter((u) => !is.has(u.id)),
  };
}

/** What the list shows while the page is cut off from the server: those last seen, and when. */
interface LastSeen {
  others: Present[];
  at: number;
}

/**
 * Who is in this section right now: name, organisation and side, and whether the organisation is
 * unverified (as the server stamps it on others' presence; `selfVerified` for one's own entry,
 * whose local copy the server does not echo back).
 *
 * Cut off from the server, the page cannot know who is here: y-websocket drops everyone else's
 * presence when the connection goes, which read as "they left". Then nobody is announced as
 * leaving (or, when the connection is back, as arriving again): the people last seen stay in the
 * list, greyed, under "Last seen in this section" with the time, until the connection is back and
 * the server has said who is here.
 */
export function PresenceList({ connection, selfVerified }: { connection: SectionConnection; selfVerified?: boolean | undefined }) {
  const { t, i18n } = useTranslation();
  const [present, setPresent] = useState<Present[]>(() => readPresence(connection));
  const [lastSeen, setLastSeen] = useState<LastSeen | null>(null);
  const offline = useSyncExternalStore(connection.subscribe, connection.getStatus).state === 'offline';
  const { message, announce } = useAnnouncer();
  // Those already here when the section opens (or when it connects again) arrive over the first
  // moments of the connection: they are not announced as joining, only people who come or go after.
  const settled = useRef(false);
  const last = useRef<Present[]>(present);

  useEffect(() => {
    const provider = connection.provider;
    const awareness = provider.awareness;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let waited = false;
    // Settled once SETTLE_MS have passed and the server has answered this connection's sync: the
    // server sends who is here before that answer, so on a slow machine or network, where the
    // answer takes longer than SETTLE_MS, those already here are still not announced as joining.
    const settleIfAnswered = () => {
      if (!waited || !provider.synced || settled.current) return;
      settled.current = true;
      // Whoever the server has not said is here by now is not: they go from the list unannounced
      // (unless the connection went again meanwhile: then they are still who was last seen).
      if (provider.wsconnected) setLastSeen(null);
    };
    const settle = () => {
      settled.current = false;
      waited = false;
      clearTimeout(timer);
      timer = setTimeout(() => {
        waited = true;
        settleIfAnswered();
      }, SETTLE_MS);
    };
    const onChange = () => {
      const next = readPresence(connection);
      if (!provider.wsconnected) {
        // Not connected: others' presence was dropped with the connection, not by them. Keep who
        // was here as last seen (once, from the moment it went), and say nothing.
        const others = last.current.filter((p) => !p.isSelf);
        if (others.length > 0) setLastSeen((seen) => seen ?? { others, at: Date.now() });
        setPresent(next);
        return;
      }
      if (settled.current) {
        const { joined, left } = presenceChanges(last.current, next);
        const said = [
          ...joined.map((u) => t('presence.joined', { name: u.name, organisation: u.organisation })),
          ...left.map((u) => t('presence.left', { name: u.name, organisation: u.organisation })),
        ];
        if (said.length > 0) announce(said.join(' '));
      }
      last.current = next;
      setPresent(next);
    };
    const onStatus = ({ status }: { status: string }) => {
      // Connected again: the server resends who is here; take it as found, as on opening.
      if (status === 'connected') settle();
    };
    settle();
    onChange();
    awareness.on('change', onChange);
    provider.on('status', onStatus);
    provider.on('sync', settleIfAnswered);
    return () => {
      clearTimeout(timer);
      awareness.off('change', onChange);
      provider.off('status', onStatus);
      provider.off('sync', settleIfAnswered);
    };
  }, [connection, announce, t]);

  // Those last seen who are not (yet) back in the live list, greyed after it.
  const stale = lastSeen ? lastSeen.others.filter((p) => !present.some((q) => q.user.id === p.user.id)) : [];
  const unknown = offline || stale.length > 0;
  const shown = [...present.map((p) => ({ ...p, stale: false })), ...stale.map((p) => ({ ...p, stale: true }))];

  return (
    <section className={`presence${unknown ? ' presence--unknown' : ''}`} aria-labelledby="presence-heading" data-testid="presence">
      <h2 id="presence-heading" className="presence__heading" data-testid="presence-heading">
        {unknown ? t('presence.headingLastSeen') : t('presence.heading', { count: present.length })}
      </h2>
      {offline && (
        <p className="presence__offline small" data-testid="presence-offline">
          {lastSeen ? t('presence.offlineLastSeen', { time: formatDateTime(lastSeen.at, i18n.language) }) : t('presence.offline')}
        </p>
      )}
      <ul className="presence__list" data-testid="presence-list">
        {shown.map(({ user, isSelf, stale: old }) => (
          <li key={user.id} className={`presence__item${old ? ' presence__item--stale' : ''}`} data-testid="presence-item" data-user-id={user.id} data-stale={old || undefined}>
            <OrgDot color={user.color} />
            <span className="presence__name">
              {user.name}
              {isSelf && <span className="muted"> {t('presence.you')}</span>}
            </span>
            <span className="presence__org">{user.organisation}</span>
            <span className="presence__badges">
              <SideBadge side={user.side} />
              {(isSelf ? (selfVerified ?? user.verified) : user.verified) === false && (
                <>
                  {' '}
                  <UnverifiedMark testId="presence-unverified" />
                </>
              )}
            </span>
          </li>
        ))}
      </ul>
      <LiveRegion message={message} testId="presence-announcement" />
    </section>
  );
}
