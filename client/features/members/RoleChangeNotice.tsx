import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/forms.tsx';
import type { RoleChange } from './useMemberChanges.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';

/** How long the notice (and its Undo) stays; never while the person is in it. */
const SHOWN_MS = 15_000;

/**
 * "Role of … changed to … — Undo" or "… was removed from the plan — Undo", for a short while after. The words are a live region
 * that is always on the page, so screen readers announce each change. After a removal or an undo
 * the notice takes the focus (what it was on is gone).
 */
export function RoleChangeNotice({ change, busy, onUndo, onDismiss }: { change: RoleChange | null; busy: boolean; onUndo: () => void; onDismiss: () => void }) {
  const { t } = useTranslation();
  // Undoing is the server's to do: offline the button waits, and says why.
  const offline = useOffline();
  const ref = useRef<HTMLDivElement>(null);
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  const id = change?.id;
  const undone = change?.undone ?? false;

  useEffect(() => {
    if (id === undefined) return;
    let timer: ReturnType<typeof setTimeout>;
    const wait = () => {
      timer = setTimeout(() => (ref.current?.contains(document.activeElement) ? wait() : dismiss.current()), SHOWN_MS);
    };
    wait();
    return () => clearTimeout(timer);
  }, [id, undone]);

  // After undoing, the Undo button the focus was on is gone; after a removal, so is the row whose
  // Remove button opened the question. Either way the notice takes the focus, which also brings it
  // into view on a phone, where the table is far below it.
  const removal = change?.kind === 'removal';
  useEffect(() => {
    if (undone || removal) ref.current?.focus();
  }, [id, undone, removal]);

  const words = !change
    ? ''
    : change.kind === 'removal'
      ? t(change.undone ? 'members.removalUndone' : 'members.removed', { name: change.member.name, role: t(`role.${change.from}`) })
      : t(change.undone ? 'members.roleRestored' : 'members.roleChanged', { name: change.member.name, role: t(`role.${change.undone ? change.from : change.to}`) });
  return (
    <div ref={ref} tabIndex={-1} className={change ? 'alert alert--success role-change' : 'role-change'} data-testid="role-change-notice" data-undone={undone}>
      <p role="status" className="role-change__words">
        {words}
      </p>
      {change && !change.undone && change.canUndo && (
        <>
          <Button variant="secondary" className="button--small" busy={busy} disabled={offline} onClick={onUndo} data-testid="role-change-undo">
            {t('members.undo')}
            <span className="visually-hidden"> {words}</span>
          </Button>
          <OfflineNote testId="role-change-undo-offline" />
        </>
      )}
      {change && (
        <Button variant="link" className="button--small" onClick={onDismiss} data-testid="role-change-dismiss">
          {t('common.dismiss')}
        </Button>
      )}
    </div>
  );
}
