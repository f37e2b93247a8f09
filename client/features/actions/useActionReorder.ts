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
 * Moving a section's actions to new places (buttons, Alt+arrows, dragging): one request at a time,
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

  // The order as the server last gave it, and moves asked for while one is on its way: pressing
  // Alt+↑ twice quickly moves the action two places, each step applied to the order before it.
  const latest = useRef<Action[] | null>(actions);
  latest.current = busy ? latest.current : actions;
  const queue = useRef<Array<{ actionId: string; by: number; control?: string }>>([]);
  const running = useRef(false);

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    const p = queryKeys.plan(planId);
    try {
      for (let next = queue.current.shift(); next; next = queue.current.shift()) {
        const list0 = latest.current;
        const from = list0?.findIndex((a) => a.id === next.actionId) ?? -1;
        const to = from + next.by;
        if (!list0 || from < 0 || to < 0 || to >= list0.length) continue;
        focusAfter.current = { actionId: next.actionId, control: next.control };
        try {
          const list = await api.moveAction(planId, sectionId, next.actionId, to);
          latest.current = list;
          queryClient.setQueryData(p.actions(sectionId), list);
          const moved = list.find((a) => a.id === next.actionId);
          if (moved) setAnnouncement(t('actions.movedTo', { title: moved.title, place: moved.position + 1, count: list.length }));
        } catch (err) {
          queue.current = [];
          setError(describeError(err, t).message);
          void invalidate(p.actions(sectionId));
        }
      }
      // The order is signed with the text: signatures on the old order may have ended.
      void invalidate(p.agreement(sectionId));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, [invalidate, planId, queryClient, sectionId, t]);

  const move = useCallback(
    (actionId: string, to: number, control?: string) => {
      if (!actions) return;
      const from = actions.findIndex((a) => a.id === actionId);
      if (from < 0 || to < 0 || to >= actions.length || to === from) return;
      // Kept as a step (up one, down two), applied to the order when its turn comes.
      queue.current.push({ actionId, by: to - from, control });
      void run();
    },
    [actions, run],
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
