import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Action } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { queryKeys, useInvalidate } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

/** The buttons that move an action, by their test id: focus returns to the one used. */
const MOVE_BUTTONS: string[] = ['action-move-up', 'action-move-down'];

/**
 * Moving a section's actions to new places (buttons, Alt+arrows, dragging): one move at a time,
 * the new order shown from the server's answer at once, focus kept on the moved action (the
 * re-rendered list would otherwise drop it), and the new place said in words for screen readers.
 */
export function useActionReorder(planId: string, sectionId: string, actions: Action[] | null) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const focusAfter = useRef<{ actionId: string; control: string | undefined } | null>(null);

  const move = useCallback(
    async (actionId: string, to: number, control?: string) => {
      if (!actions || busy) return;
      const from = actions.findIndex((a) => a.id === actionId);
      if (from < 0 || to < 0 || to >= actions.length || to === from) return;
      setBusy(true);
      setError(null);
      focusAfter.current = { actionId, control };
      const p = queryKeys.plan(planId);
      try {
        const list = await api.moveAction(planId, sectionId, actionId, to);
        queryClient.setQueryData(p.actions(sectionId), list);
        const moved = list.find((a) => a.id === actionId);
        if (moved) setAnnouncement(t('actions.movedTo', { title: moved.title, place: moved.position + 1, count: list.length }));
        // The order is signed with the text: signatures on the old order may have ended.
        void invalidate(p.agreement(sectionId));
      } catch (err) {
        setError(describeError(err, t).message);
        void invalidate(p.actions(sectionId));
      } finally {
        setBusy(false);
      }
    },
    [actions, busy, invalidate, planId, queryClient, sectionId, t],
  );

  // After the list is drawn in its new order: focus back on the button that moved the action, or
  // its other move button when that one is gone (first or last now); else (Alt+arrows on the card,
  // dragging) the card itself.
  useLayoutEffect(() => {
    const wanted = focusAfter.current;
    if (!wanted || busy) return;
    const card = document.getElementById(`action-${wanted.actionId}`);
    if (!card) return;
    focusAfter.current = null;
    const buttons = MOVE_BUTTONS.includes(wanted.control ?? '') ? [wanted.control!, ...MOVE_BUTTONS] : [];
    const control = buttons.map((id) => card.querySelector<HTMLElement>(`[data-testid="${id}"]`)).find((el) => el !== null);
    (control ?? card).focus();
  }, [actions, busy]);

  return { move, busy, error, announcement };
}
