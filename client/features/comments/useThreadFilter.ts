import { useState } from 'react';
import type { Thread } from '../../../shared/api/index.ts';
import type { ThreadStatusFilter } from '../../api/index.ts';
import { useThreadsQuery } from '../../api/queries.ts';

const NO_THREADS: Thread[] = [];

/**
 * The list's filters and what they leave: by status from the section's threads, or, with an
 * organisation chosen, from that organisation's threads (fetched by the server).
 */
export function useThreadFilter(planId: string, sectionId: string, threads: Thread[] | null) {
  const [status, setStatus] = useState<ThreadStatusFilter>('open');
  const [orgId, setOrgId] = useState('');
  // One organisation's threads: under the section's threads key, so the same events refetch them.
  const orgThreadsQuery = useThreadsQuery(planId, sectionId, orgId || undefined);
  const orgThreads = orgId ? (orgThreadsQuery.data ?? (orgThreadsQuery.error ? NO_THREADS : null)) : null;
  /** The threads the filters start from; null while they load. */
  const base = orgId ? orgThreads : threads;
  const shown = (base ?? []).filter((th) => status === 'all' || th.status === status);
  return { status, setStatus, orgId, setOrgId, base, shown };
}
