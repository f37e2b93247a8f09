import type { Role, Thread } from '../../../shared/api/index.ts';

/** Observers read threads; everyone else may start and answer them (the server enforces it). */
export function mayComment(role: Role): boolean {
  return role !== 'observer';
}

/** Coordinators and drafters resolve any thread; others only the ones they started. */
export function mayResolve(role: Role, thread: Thread, meId: string): boolean {
  return role === 'coordinator' || role === 'drafter' || (role !== 'observer' && thread.comments[0]?.authorId === meId);
}
