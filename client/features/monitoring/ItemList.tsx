import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgressItem } from '../../../shared/api/index.ts';
import { ProgressItemCard, type ProgressContext } from './ProgressItemCard.tsx';

/** Items drawn at first: a plan of a thousand actions, each with its charts, would not paint at once. */
const PAGE = 25;

/** Brings an item of the page into view and gives it the focus (its card is focusable). */
export function focusItem(id: string) {
  const el = document.getElementById(id);
  el?.scrollIntoView();
  el?.focus();
}

/**
 * A round's actions or recommendations, a page at a time. `focusId` (an item named in the address
 * or picked from the overdue and due lists) shows every item so that it can be reached.
 */
export function ItemList({ items, ctx, focusId, testId }: { items: ProgressItem[]; ctx: ProgressContext; focusId: string | null; testId: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(PAGE);
  const wanted = focusId !== null && items.findIndex((i) => `${i.targetType}-${i.targetId}` === focusId);
  // Once per named item: live updates later must not pull the page back to it.
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (typeof wanted !== 'number' || wanted < 0 || done.current === focusId) return;
    if (wanted >= shown) return setShown(items.length);
    done.current = focusId;
    if (focusId) focusItem(focusId);
  }, [wanted, shown, items.length, focusId]);
  return (
    <div data-testid={testId}>
      {items.slice(0, shown).map((item) => (
        <ProgressItemCard key={item.targetId} item={item} ctx={ctx} />
      ))}
      {items.length > shown && (
        <p>
          <button type="button" className="button button--secondary" onClick={() => setShown((n) => n + PAGE)} data-testid="items-show-more">
            {t('monitoring.page.showMore', { shown, total: items.length, count: Math.min(PAGE, items.length - shown) })}
          </button>
        </p>
      )}
    </div>
  );
}
