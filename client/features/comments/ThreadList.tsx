import { useTranslation } from 'react-i18next';
import type { Member, Role, Thread } from '../../../shared/api/index.ts';
import type { ThreadStatusFilter } from '../../api/index.ts';
import { ThreadView } from './ThreadView.tsx';

interface Props {
  planId: string;
  /** The threads the filters leave; `loaded` false while what they filter is still loading. */
  shown: Thread[];
  loaded: boolean;
  status: ThreadStatusFilter;
  role: Role;
  meId: string;
  members: Member[];
  activeThreadId: string | null;
  onActivate: (threadId: string | null) => void;
  reload: () => Promise<void>;
}

/** The filtered threads, or what an empty list means for the chosen status. */
export function ThreadList({ planId, shown, loaded, status, role, meId, members, activeThreadId, onActivate, reload }: Props) {
  const { t } = useTranslation();
  return (
    <>
      {loaded && shown.length === 0 && (
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
              meId={meId}
              members={members}
              active={th.id === activeThreadId}
              // Activating the active thread again lets it go.
              onActivate={() => onActivate(th.id === activeThreadId ? null : th.id)}
              reload={reload}
            />
          </li>
        ))}
      </ol>
    </>
  );
}
