import { useMemo } from 'react';
import type { Member } from '../../../shared/api/index.ts';
import { useMembersQuery } from '../../api/queries.ts';

const NO_MEMBERS: Member[] = [];

/**
 * The plan's members as the open section needs them: listed for suggestions, as authors of
 * suggestions in the text, and whether the person's own organisation is verified (for presence).
 */
export function useSectionMembers(planId: string, meId: string) {
  const members = useMembersQuery(planId).data ?? NO_MEMBERS;
  const selfVerified = members.find((m) => m.userId === meId)?.organisationVerified;
  const authors = useMemo(
    () => new Map(members.map((m) => [m.userId, { name: m.name, organisation: m.organisation.name, color: m.organisation.color }])),
    [members],
  );
  return { members, selfVerified, authors };
}
