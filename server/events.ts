import { EventEmitter } from 'node:events';
import type { PlanEvent, Role } from '../shared/api/index.ts';

/**
 * In-process notifications between the REST routes, the live event stream and the sync server.
 * With several processes (server/cluster/), the events in RELAYED_EVENTS also reach the others.
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
  /**
   * A coordinator verified an organisation for a plan or withdrew its verification (committed):
   * the sync server's hooks read it again for the carets of that organisation's people.
   */
  organisationVerificationChanged: [planId: string, organisationId: string];
  /**
   * Suggestions of a section were accepted or rejected (committed): the sync server's hooks keep
   * these ids as decided, so typing that raced the decision never brings one back open.
   */
  suggestionsDecided: [planId: string, sectionId: string, suggestionIds: string[]];
}

export type EventName = keyof ServerEvents;

/**
 * Events whose effect is on what each process holds in memory (open editors, event streams,
 * sign-in throttling): every process must hear them. The others (contentChanged) start work that
 * is done once, by the process where they happened.
 */
export const RELAYED_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  'plan',
  'access',
  'sessionEnded',
  'passwordReset',
  'sectionDeleted',
  'sectionAgreed',
  'sectionReopened',
  'suggestionRuleChanged',
  'organisationVerificationChanged',
  'suggestionsDecided',
]);

/**
 * `on` hears what happened in this process: listeners that write (keep a version, send a notice)
 * do so once. `onEverywhere` also hears what happened in the other processes: listeners that act
 * on this process's memory (close a removed person's editors, feed an event stream).
 */
export class EventBus extends EventEmitter<ServerEvents> {
  /** The `onEverywhere` listeners again, for what other processes emit. */
  private readonly fromElsewhere = new EventEmitter();
  private relay: ((name: EventName, args: unknown[]) => void) | null = null;

  constructor() {
    super();
    // One listener per open event stream: a large consultation has many.
    this.setMaxListeners(0);
    this.fromElsewhere.setMaxListeners(0);
  }

  override emit<K extends EventName>(name: K, ...args: ServerEvents[K]): boolean {
    // Every listener of this process, `on` and `onEverywhere` alike, in the order they were added.
    const heard = EventEmitter.prototype.emit.call(this, name, ...args);
    if (this.relay && RELAYED_EVENTS.has(name)) this.relay(name, args);
    return heard;
  }

  onEverywhere<K extends EventName>(name: K, listener: (...args: ServerEvents[K]) => void): this {
    this.on(name, listener as never);
    this.fromElsewhere.on(name, listener as (...args: unknown[]) => void);
    return this;
  }

  offEverywhere<K extends EventName>(name: K, listener: (...args: ServerEvents[K]) => void): this {
    this.off(name, listener as never);
    this.fromElsewhere.off(name, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Sends the relayed events this process emits to the others (set by server/cluster/). */
  relayTo(send: (name: EventName, args: unknown[]) => void): void {
    this.relay = send;
  }

  /** An event another process emitted: heard by `onEverywhere` listeners only. */
  receiveFromElsewhere(name: EventName, args: unknown[]): void {
    this.fromElsewhere.emit(name, ...args);
  }
}
