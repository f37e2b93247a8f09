import type { SectionStatus } from '../../../shared/api/index.ts';

/** Small inline icons, so the status never relies on colour alone (and needs no emoji font). */
export function StatusIcon({ status }: { status: SectionStatus | 'lock' }) {
  const common = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false, className: 'status-icon' } as const;
  if (status === 'agreed' || status === 'lock') {
    return (
      <svg {...common}>
        <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
        <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
      </svg>
    );
  }
  if (status === 'in_review') {
    return (
      <svg {...common}>
        <path d="M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <circle cx="8" cy="8" r="2.2" fill="currentColor" />
      </svg>
    );
  }
  return (
    <svg {...common}>
      <path d="M2 14l1-4 8-8 3 3-8 8-4 1z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  );
}
