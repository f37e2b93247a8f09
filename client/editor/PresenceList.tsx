import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AwarenessUser } from '../../shared/protocol.ts';
import { OrgDot, SideBadge, UnverifiedMark } from '../ui/badges.tsx';
import { LiveRegion, useAnnouncer } from '../ui/LiveRegion.tsx';
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

/**
 * Who is in this section right now: name, organisation and side, and whether the organisation is
 * unverified (as the server stamps it on others' presence; `selfVerified` for one's own entry,
 * whose local copy the server does not echo back).
 */
export function PresenceList({ connection, selfVerified }: { connection: SectionConnection; selfVerified?: boolean | undefined }) {
  const { t } = useTranslation();
  const [present, setPresent] = useState<Present[]>(() => readPresence(connection));
  const { message, announce } = useAnnouncer();
  // Those already here when the section opens arrive over the first moments of the connection:
  // they are not announced as joining, only people who come or go after that.
  const settled = useRef(false);
  const last = useRef<Present[]>(present);

  useEffect(() => {
    settled.current = false;
    const timer = setTimeout(() => (settled.current = true), SETTLE_MS);
    const awareness = connection.provider.awareness;
    const onChange = () => {
      const next = readPresence(connection);
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
    onChange();
    awareness.on('change', onChange);
    return () => {
      clearTimeout(timer);
      awareness.off('change', onChange);
    };
  }, [connection, announce, t]);

  return (
    <section className="presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading" className="presence__heading">
        {t('presence.heading', { count: present.length })}
      </h2>
      <ul className="presence__list" data-testid="presence-list">
        {present.map(({ user, isSelf }) => (
          <li key={user.id} className="presence__item" data-testid="presence-item" data-user-id={user.id}>
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
