import { EventEmitter } from 'node:events';
import type { PlanEvent, Role } from '../shared/api/index.ts';

/**
 * In-process notifications between the REST routes, the live event stream and the sync server.
 * A multi-instance deployment would put a broker behind the same interface.
 */
export interface ServerEvents {
  /** Something members of a plan should refetch (outline, member list). */
  plan: [planId: string, event: PlanEvent];
  /**
   * A person's access to a plan changed: `role` is the new role, or null when removed. The sync
   * server closes or downgrades their open connections at once.
   */
  access: [planId: string, userId: string, role: Role | null];
  /** A session was signed out: its open connections close. Carries the session's token hash. */
  sessionEnded: [tokenHash: string];
  /** A person's password was set with a reset link: their sign-in throttling starts afresh. */
  passwordReset: [userId: string];
  /** A section was deleted: its open connections are closed and its document dropped. */
  sectionDeleted: [planId: string, sectionId: string];
  /** A section's text changed and the change is stored (from the sync server, naming whose edits they were). */
  contentChanged: [planId: string, sectionId: string, editorIds: string[]];
  /** A section became agreed, with the content hash its sign-offs cover (an automatic version is kept). */
  sectionAgreed: [planId: string, sectionId: string, hash: string];
  /** An agreed section was reopened: its document takes edits again. */
  sectionReopened: [planId: string, sectionId: string];
  /** A plan's suggestion rule changed: what each member may do to its text may have changed. */
  suggestionRuleChanged: [planId: string];
}

export class EventBus extends EventEmitter<ServerEvents> {
  constructor() {
    super();
    // One listener per open event stream: a large consultation has many.
    this.setMaxListeners(0);
  }
}
