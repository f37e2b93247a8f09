import { useEffect, useRef, useState } from 'react';
import { textAccess, type Role, type Side, type TextAccess } from '../../../shared/api/index.ts';
import { useSuggestionRuleQuery } from '../../api/queries.ts';

/** Waits this long before asking again for a suggestion rule that failed to load. */
const RULE_RETRY_MS = 3000;

/**
 * What the person's edits may do (their role and the plan's suggestion rule; the server
 * enforces it). Until the rule has loaded, nobody's edits are taken: someone who must suggest
 * would otherwise get Editing for a moment, and the server refuses (and disconnects) a direct
 * edit from them. Without a rule the editor takes nothing: a failed load is retried rather than
 * left to the next event.
 */
export function useTextAccess(planId: string, role: Role, side: Side) {
  const rule = useSuggestionRuleQuery(planId, { retryForever: true, retryDelayMs: RULE_RETRY_MS }).data ?? null;
  const access: TextAccess = rule ? textAccess(role, side, rule) : 'read';
  return { rule, access };
}

/**
 * When what the person may do to the text changes while they are here (a coordinator changed
 * who must suggest, or their role), say so: their next words would otherwise go in differently
 * without a word. Loading ('read' until the rule is known) is not a change, nor is the moment
 * new permissions are being fetched.
 */
export function useAccessChangeNotice(access: TextAccess, ruleLoaded: boolean, roleStale: boolean) {
  const [accessNotice, setAccessNotice] = useState<TextAccess | null>(null);
  const settledAccess = useRef<TextAccess | null>(null);
  useEffect(() => {
    if (!ruleLoaded || roleStale) return;
    if (settledAccess.current !== null && settledAccess.current !== access) setAccessNotice(access);
    settledAccess.current = access;
  }, [access, ruleLoaded, roleStale]);
  return { accessNotice, dismissAccessNotice: () => setAccessNotice(null) };
}
