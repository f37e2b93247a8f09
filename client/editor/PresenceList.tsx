import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AwarenessUser } from '../../shared/protocol.ts';
import { OrgDot, SideBadge, UnverifiedMark } from '../ui/badges.tsx';
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

/**
 * Who is in this section right now: name, organisation and side, and whether the organisation is
 * unverified (as the server stamps it on others' presence; `selfVerified` for one's own entry,
 * whose local copy the server does not echo back).
 */
export function PresenceList({ connection, selfVerified }: { connection: SectionConnection; selfVerified?: boolean | undefined }) {
  const { t } = useTranslation();
  const [present, setPresent] = useState<Present[]>(() => readPresence(connection));

  useEffect(() => {
    const awareness = connection.provider.awareness;
    const onChange = () => setPresent(readPresence(connection));
    onChange();
    awareness.on('change', onChange);
    return () => awareness.off('change', onChange);
  }, [connection]);

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
    </section>
  );
}
