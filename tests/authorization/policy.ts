/**
 * Accord's authorisation policy, written down: who may call what.
 *
 * The ministry and the NGOs do not trust each other, so nothing here is left to the browser: every
 * row is enforced by the server and checked against a running one by
 * tests/integration/authorization-matrix.test.ts, which also fails when a route is registered in
 * the Express app but missing here (or named here but not registered).
 *
 * Actors, seen from one plan ("the plan"):
 * - coordinator, drafter, commenter, observer: members of the plan with that role;
 * - nonMember: signed in, a coordinator of another plan, not a member of this one;
 * - signedOut: no session cookie.
 *
 * Outcomes: `ok` (any 2xx), `forbidden` (403: a member whose role does not allow it),
 * `notFound` (404: anyone outside the plan, so plan ids cannot be probed), `unauthenticated`
 * (401), or an exact status where a route is public or special.
 */

export const ACTORS = ['coordinator', 'drafter', 'commenter', 'observer', 'nonMember', 'signedOut'] as const;
export type Actor = (typeof ACTORS)[number];

export type OutcomeClass = 'ok' | 'forbidden' | 'notFound' | 'unauthenticated';
/** A class, or an exact HTTP status for public and special routes. */
export type Outcome = OutcomeClass | number;

export interface RoutePolicy {
  /** What the route does, in one line. */
  description: string;
  outcomes: Record<Actor, Outcome>;
}

// ---- The role sets the routes use (server/http/context.ts) ------------------------------------

/** Any member reads; outsiders get 404; signed-out people 401. */
const ANY_MEMBER: Record<Actor, Outcome> = {
  coordinator: 'ok',
  drafter: 'ok',
  commenter: 'ok',
  observer: 'ok',
  nonMember: 'notFound',
  signedOut: 'unauthenticated',
};

/** Coordinators and drafters write plan content; commenters and observers 403. */
const DRAFTERS: Record<Actor, Outcome> = {
  coordinator: 'ok',
  drafter: 'ok',
  commenter: 'forbidden',
  observer: 'forbidden',
  nonMember: 'notFound',
  signedOut: 'unauthenticated',
};

/** Only coordinators: the outline, members, invites, deleting recommendations, undoing imports. */
const COORDINATORS: Record<Actor, Outcome> = {
  coordinator: 'ok',
  drafter: 'forbidden',
  commenter: 'forbidden',
  observer: 'forbidden',
  nonMember: 'notFound',
  signedOut: 'unauthenticated',
};

/** Coordinators, drafters and commenters write comments; observers 403. */
const COMMENTERS: Record<Actor, Outcome> = {
  coordinator: 'ok',
  drafter: 'ok',
  commenter: 'ok',
  observer: 'forbidden',
  nonMember: 'notFound',
  signedOut: 'unauthenticated',
};

/** Only the comment's author (the coordinator in the matrix): everyone else in the plan 403. */
const AUTHOR_ONLY = COORDINATORS;

/** Anyone signed in (not tied to a plan). */
const SIGNED_IN: Record<Actor, Outcome> = {
  coordinator: 'ok',
  drafter: 'ok',
  commenter: 'ok',
  observer: 'ok',
  nonMember: 'ok',
  signedOut: 'unauthenticated',
};

/** The same outcome for everyone: public routes. */
const everyone = (outcome: Outcome): Record<Actor, Outcome> => ({
  coordinator: outcome,
  drafter: outcome,
  commenter: outcome,
  observer: outcome,
  nonMember: outcome,
  signedOut: outcome,
});

const route = (description: string, outcomes: Record<Actor, Outcome>): RoutePolicy => ({ description, outcomes });

// ---- REST: every route under /api, as registered (METHOD + Express path pattern) ---------------

export const REST_POLICY = {
  // Public
  'GET /api/health': route('Liveness probe.', everyone('ok')),
  'GET /api/setup/status': route('Whether Accord still needs its first-start setup.', everyone(200)),
  'GET /api/auth/session': route('Whether Accord needs setting up and who is signed in (null for a signed-out visitor, not a 401).', everyone(200)),
  'POST /api/setup': route('First-start setup: creates the first account; once set up, 409 for everyone.', everyone(409)),
  'POST /api/auth/sign-in': route('Signs in with e-mail and password (public; each actor uses an existing account).', everyone('ok')),
  'POST /api/auth/sign-out': route("Ends the caller's session (public: signing out without a session is a no-op).", everyone(204)),
  'GET /api/invites/:token': route('What an invite link offers (plan, role, inviter): public to the link holder.', everyone(200)),
  'POST /api/invites/:token/accept': route(
    'Uses an invite: a signed-in person joins as themselves (409 when already a member), a signed-out one creates an account.',
    { coordinator: 409, drafter: 409, commenter: 409, observer: 409, nonMember: 'ok', signedOut: 'ok' },
  ),

  // The person
  'GET /api/auth/me': route('The signed-in person and their organisation.', SIGNED_IN),
  'PUT /api/auth/me/language': route("Keeps the caller's own choice of language with their account.", SIGNED_IN),
  // The person's own account security: always and only the caller's own account (another's session or browser is a 404).
  'POST /api/auth/password': route('Changes the caller’s own password (the current one required); ends their other sessions.', SIGNED_IN),
  'GET /api/auth/sessions': route('The caller’s own signed-in sessions, with the browser each came from.', SIGNED_IN),
  'DELETE /api/auth/sessions/:sessionId': route('Signs out one of the caller’s own sessions (404 for anyone else’s).', SIGNED_IN),
  'POST /api/auth/sessions/end-others': route('Signs out every session of the caller’s but the one asking.', SIGNED_IN),
  'GET /api/auth/trusted-browsers': route('The browsers trusted for the caller’s own account.', SIGNED_IN),
  'DELETE /api/auth/trusted-browsers/:browserId': route('Forgets one browser trusted for the caller’s own account (404 for anyone else’s).', SIGNED_IN),
  'GET /api/plans': route("The caller's plans with their role in each.", SIGNED_IN),
  'POST /api/plans': route('Creates a plan; its creator becomes its coordinator.', SIGNED_IN),

  // Plan and outline
  'GET /api/plans/:planId': route('The plan with its chapters and sections.', ANY_MEMBER),
  'PATCH /api/plans/:planId': route('Changes the plan title, country or period.', COORDINATORS),
  'POST /api/plans/:planId/chapters': route('Adds a chapter.', COORDINATORS),
  'PATCH /api/plans/:planId/chapters/:chapterId': route('Renames or moves a chapter.', COORDINATORS),
  'DELETE /api/plans/:planId/chapters/:chapterId': route('Moves a chapter and its sections to the bin (409 when one is agreed).', COORDINATORS),
  'POST /api/plans/:planId/sections': route('Adds a section (with its document) to a chapter.', COORDINATORS),
  'PATCH /api/plans/:planId/sections/:sectionId': route('Renames or moves a section.', COORDINATORS),
  'DELETE /api/plans/:planId/sections/:sectionId': route('Moves a section, whole, to the bin (409 when it is agreed).', COORDINATORS),
  'GET /api/plans/:planId/bin': route('What is in the bin: deleted sections and chapters, who deleted them, days left.', COORDINATORS),
  'GET /api/plans/:planId/bin/sections/:sectionId': route('Who moved a section to the bin and when (for those who had it open).', ANY_MEMBER),
  'POST /api/plans/:planId/bin/sections/:sectionId/restore': route('Restores a section from the bin, whole, to its chapter.', COORDINATORS),
  'POST /api/plans/:planId/bin/chapters/:chapterId/restore': route('Restores a chapter from the bin with its sections.', COORDINATORS),
  'GET /api/plans/:planId/events': route('Server-Sent Events stream of plan changes.', ANY_MEMBER),

  // Members and invites
  'GET /api/plans/:planId/members': route('The members of the plan with their roles and organisations.', ANY_MEMBER),
  'PATCH /api/plans/:planId/members/:userId': route("Changes a member's role.", COORDINATORS),
  'DELETE /api/plans/:planId/members/:userId': route('Removes a member from the plan.', COORDINATORS),
  'POST /api/plans/:planId/members/:userId/restore': route('Undoes a removal made in the last hour: the person is back in their role.', COORDINATORS),
  'POST /api/plans/:planId/leave': route('Leaves the plan (one’s own membership); the last coordinator cannot (409).', { ...ANY_MEMBER, coordinator: 409 }),
  'POST /api/plans/:planId/invites': route('Creates a one-time invite link for a role.', COORDINATORS),
  'GET /api/plans/:planId/invites': route('The pending invites with their notes and links.', COORDINATORS),
  'DELETE /api/plans/:planId/invites/:inviteId': route('Revokes a pending invite.', COORDINATORS),
  'POST /api/plans/:planId/members/:userId/password-reset': route(
    "Makes a one-time password reset link for a member of the plan (someone outside it: 404, tests/integration/password-reset.test.ts).",
    COORDINATORS,
  ),
  'GET /api/password-resets/:token': route('Whose password a reset link resets: public to the link holder.', everyone(200)),
  'POST /api/password-resets/:token': route("Sets a new password with a reset link, ending the person's sessions: public to the link holder.", everyone(204)),

  // Recommendations and imports
  'POST /api/plans/:planId/imports/preview': route('Uploads a recommendations file (raw bytes) and previews the import.', DRAFTERS),
  'POST /api/plans/:planId/imports/:previewId/commit': route("Commits the caller's own import preview.", DRAFTERS),
  'GET /api/plans/:planId/imports': route('The import history.', ANY_MEMBER),
  'POST /api/plans/:planId/imports/:importId/undo': route('Undoes an import.', COORDINATORS),
  // Re-importing the implementation matrix (actions, indicators, links): whoever edits actions.
  'GET /api/plans/:planId/matrix-imports/template': route('The blank implementation matrix (linked tables, XLSX) to fill in and import.', ANY_MEMBER),
  'POST /api/plans/:planId/matrix-imports/preview': route('Uploads an edited implementation matrix (raw bytes) and previews its changes to actions.', DRAFTERS),
  'POST /api/plans/:planId/matrix-imports/:previewId/commit': route("Commits the caller's own matrix preview.", DRAFTERS),
  'GET /api/plans/:planId/matrix-imports': route('The matrix import history.', ANY_MEMBER),
  'POST /api/plans/:planId/matrix-imports/:importId/undo': route('Undoes a matrix import (an edit of actions, so drafters too).', DRAFTERS),
  'GET /api/plans/:planId/recommendations': route('Searches and filters recommendations, with facets.', ANY_MEMBER),
  'GET /api/plans/:planId/recommendations/export': route('Exports all recommendations as Accord CSV or JSON.', ANY_MEMBER),
  'POST /api/plans/:planId/recommendations': route('Enters a recommendation by hand.', DRAFTERS),
  'GET /api/plans/:planId/recommendations/:recId': route('One recommendation with the actions implementing it.', ANY_MEMBER),
  'PATCH /api/plans/:planId/recommendations/:recId': route('Edits a recommendation (position, themes, notes…).', DRAFTERS),
  'DELETE /api/plans/:planId/recommendations/:recId': route('Deletes a recommendation and its links to actions.', COORDINATORS),
  'GET /api/plans/:planId/recommendations/:recId/group': route('The group of recommendations that say the same thing a recommendation is in, if any.', ANY_MEMBER),
  'GET /api/plans/:planId/recommendation-groups': route('Proposed and confirmed groups of recommendations that say the same thing.', ANY_MEMBER),
  'GET /api/plans/:planId/recommendation-groups/:groupId': route('One group of recommendations with its members.', ANY_MEMBER),
  'POST /api/plans/:planId/recommendation-groups/propose': route('Asks Accord to propose groups of recommendations that say the same thing.', DRAFTERS),
  'POST /api/plans/:planId/recommendation-groups/:groupId/confirm': route('Confirms that a group of recommendations say the same thing.', DRAFTERS),
  'POST /api/plans/:planId/recommendation-groups/:groupId/split': route('Splits a group: removes members or breaks it into several groups.', DRAFTERS),
  'POST /api/plans/:planId/recommendation-groups/:groupId/dismiss': route('Dismisses a group: its recommendations are no longer grouped.', DRAFTERS),

  // Actions, indicators, organisations, coverage
  'GET /api/plans/:planId/actions': route("Every action of the plan's live sections, in outline order.", ANY_MEMBER),
  'GET /api/plans/:planId/sections/:sectionId/actions': route("A section's actions with links and indicators.", ANY_MEMBER),
  'POST /api/plans/:planId/sections/:sectionId/actions': route('Adds an action to a section.', DRAFTERS),
  'PATCH /api/plans/:planId/actions/:actionId': route('Edits an action.', DRAFTERS),
  'PUT /api/plans/:planId/sections/:sectionId/actions/:actionId/position': route('Moves an action to another place among its section’s actions.', DRAFTERS),
  'DELETE /api/plans/:planId/actions/:actionId': route('Deletes an action with its indicators and links.', DRAFTERS),
  'PUT /api/plans/:planId/actions/:actionId/recommendations': route('Replaces the recommendations an action implements.', DRAFTERS),
  'POST /api/plans/:planId/actions/:actionId/recommendations/:recId': route('Links one recommendation to an action.', DRAFTERS),
  'DELETE /api/plans/:planId/actions/:actionId/recommendations/:recId': route('Unlinks one recommendation from an action.', DRAFTERS),
  'POST /api/plans/:planId/actions/:actionId/recommendation-groups/:groupId': route('Links every member of a confirmed group to an action.', DRAFTERS),
  'POST /api/plans/:planId/actions/:actionId/indicators': route('Adds an indicator to an action.', DRAFTERS),
  'PATCH /api/plans/:planId/indicators/:indicatorId': route('Edits an indicator.', DRAFTERS),
  'DELETE /api/plans/:planId/indicators/:indicatorId': route('Deletes an indicator.', DRAFTERS),
  'GET /api/plans/:planId/organisations': route('Organisations available to the plan’s actions.', ANY_MEMBER),
  'POST /api/plans/:planId/organisations': route('Adds an organisation to the plan (reusing one of the same name).', DRAFTERS),
  'GET /api/plans/:planId/coverage': route('How far the plan’s actions cover its recommendations.', ANY_MEMBER),
  // Exports: any member may export and download (the plan is meant to be public; every member reads all of it)
  'POST /api/plans/:planId/exports': route('Starts an export of the plan (DOCX, PDF, HTML, Markdown, matrix CSV/XLSX).', ANY_MEMBER),
  'GET /api/plans/:planId/exports': route("The plan's past exports (who, when, format, scope, version, size) and how long they are kept.", ANY_MEMBER),
  'GET /api/plans/:planId/exports/:exportId': route('The state and progress of an export.', ANY_MEMBER),
  'PUT /api/plans/:planId/export-retention': route('Sets how many days exports are kept and downloadable.', COORDINATORS),
  'GET /api/plans/:planId/exports/:exportId/file': route('The exported file, as an attachment.', ANY_MEMBER),

  // Agreement and audit (server/routes/agreement.ts, server/routes/audit.ts)
  'GET /api/plans/:planId/sections/:sectionId/agreement': route("A section's status, sign-offs, content hash and what agreement still needs.", ANY_MEMBER),
  'POST /api/plans/:planId/sections/:sectionId/status': route('Moves a section between drafting and in review.', DRAFTERS),
  'POST /api/plans/:planId/sections/:sectionId/signoffs': route('Signs the section on the content hash the signer read (any side).', DRAFTERS),
  'POST /api/plans/:planId/sections/:sectionId/signoffs/withdraw': route(
    "Withdraws the caller's own signature on a section not yet agreed, whatever their role now (a signer may have been made a commenter since); one with no signature there gets 409.",
    { ...ANY_MEMBER, commenter: 409, observer: 409 },
  ),
  'POST /api/plans/:planId/sections/:sectionId/reopen': route('Reopens an agreed or in-review section with a reason, withdrawing its sign-offs.', COORDINATORS),
  'GET /api/plans/:planId/signoff-rule': route('Who must sign for a section to become agreed.', ANY_MEMBER),
  'PUT /api/plans/:planId/signoff-rule': route('Sets the sign-off rule (sides, named organisations, a quorum, coordinators); re-evaluates sections in review.', COORDINATORS),
  'GET /api/plans/:planId/audit': route('The audit log, filtered and paged.', COORDINATORS),
  'GET /api/plans/:planId/audit.csv': route('The audit log as a CSV download.', COORDINATORS),
  'GET /api/plans/:planId/history': route('The history of one item (action, indicator, section…), read from the audit log.', ANY_MEMBER),

  // Verified organisations, dissenting positions, notices (server/routes/trust.ts)
  'POST /api/plans/:planId/organisations/:organisationId/verification': route(
    "Vouches for an organisation and its side in the plan: only then do its members' signatures count.",
    COORDINATORS,
  ),
  'DELETE /api/plans/:planId/organisations/:organisationId/verification': route('Withdraws a verification, with a reason.', COORDINATORS),
  'GET /api/plans/:planId/sections/:sectionId/positions': route("A section's dissenting positions, withdrawn ones marked.", ANY_MEMBER),
  'POST /api/plans/:planId/sections/:sectionId/positions': route(
    "Records the caller's (verified) organisation's dissenting position on the section or one of its actions.",
    COMMENTERS,
  ),
  'POST /api/plans/:planId/positions/:positionId/withdraw': route("Withdraws a position of the caller's own organisation.", COMMENTERS),
  'GET /api/notifications': route("The caller's notices (e.g. a signature withdrawn by someone's edit).", SIGNED_IN),
  'POST /api/notifications/read': route("Marks the caller's notices read: the listed ones (others' ids change nothing) or all.", SIGNED_IN),

  // Versions (server/routes/versions.ts)
  'GET /api/plans/:planId/sections/:sectionId/versions': route("A section's named versions, newest first.", ANY_MEMBER),
  'POST /api/plans/:planId/sections/:sectionId/versions': route("Keeps the section's current text as a named version.", DRAFTERS),
  'GET /api/plans/:planId/versions/:versionId': route('One version with its text lines and blocks.', ANY_MEMBER),
  'GET /api/plans/:planId/sections/:sectionId/compare': route('Compares a version with another version or the current text.', ANY_MEMBER),
  'POST /api/plans/:planId/versions/:versionId/restore': route('Restores a version as a new change, keeping the text before it.', DRAFTERS),
  'GET /api/plans/:planId/versions': route('The whole-plan version groups.', ANY_MEMBER),
  'POST /api/plans/:planId/versions': route('Keeps every section of the plan as one named version group.', DRAFTERS),
  'GET /api/plans/:planId/compare': route('Per-section summary between two version groups, or one and the current plan.', ANY_MEMBER),

  // Comments (server/routes/comments.ts). The matrix's threads and comments are the coordinator's:
  // a commenter resolves only threads they started (tests/integration/comments-*.test.ts).
  'GET /api/plans/:planId/sections/:sectionId/threads': route("A section's comment threads in text order, with detachment.", ANY_MEMBER),
  'POST /api/plans/:planId/sections/:sectionId/threads': route('Starts a comment thread anchored on a range of the text.', COMMENTERS),
  'POST /api/plans/:planId/threads/:threadId/comments': route('Replies in a comment thread.', COMMENTERS),
  'PATCH /api/plans/:planId/comments/:commentId': route('Edits a comment: its author only (here the coordinator).', AUTHOR_ONLY),
  'DELETE /api/plans/:planId/comments/:commentId': route('Deletes a comment, keeping its place: its author only (here the coordinator).', AUTHOR_ONLY),
  'POST /api/plans/:planId/threads/:threadId/resolve': route("Resolves a thread: coordinators, drafters and the thread's author (here the coordinator).", DRAFTERS),
  'POST /api/plans/:planId/threads/:threadId/reopen': route("Reopens a thread: coordinators, drafters and the thread's author (here the coordinator).", DRAFTERS),

  // Suggestions (server/routes/suggestions.ts). The suggestions travel in the text; these decide
  // them. Rejecting "all" succeeds for anyone who may write (it covers only what each may decide:
  // a suggesting-only person's own); accepting someone's suggestion needs edit access
  // (tests/integration/suggestions-*.test.ts).
  'GET /api/plans/:planId/sections/:sectionId/suggestions/decisions': route("A section's accepted and rejected suggestions, newest first.", ANY_MEMBER),
  'POST /api/plans/:planId/sections/:sectionId/suggestions/decisions': route('Accepts or rejects suggestions: listed, one organisation’s, or all.', COMMENTERS),
  'GET /api/plans/:planId/suggestion-rule': route('Who must suggest changes rather than edit.', ANY_MEMBER),
  'PUT /api/plans/:planId/suggestion-rule': route('Sets who must suggest changes (commenters, drafters of a side).', COORDINATORS),

  // Sign-off rules per chapter (server/routes/agreement.ts)
  'GET /api/plans/:planId/signoff-rules': route("The plan's sign-off rule, chapters' own rules, verified organisations per side.", ANY_MEMBER),
  'PUT /api/plans/:planId/chapters/:chapterId/signoff-rule': route("Gives a chapter its own sign-off rule; re-evaluates its sections in review.", COORDINATORS),
  'DELETE /api/plans/:planId/chapters/:chapterId/signoff-rule': route("Removes a chapter's own rule (back to the plan's); re-evaluates its sections in review.", COORDINATORS),

  // After adoption (issue #15): lifecycle and rounds (server/routes/monitoring/lifecycle.ts)
  'GET /api/plans/:planId/lifecycle': route("The plan's stage, adoption, monitoring body and reporting rounds.", ANY_MEMBER),
  'POST /api/plans/:planId/adoption': route('Records the adopting act and freezes the adopted version (here with every unagreed section left out).', COORDINATORS),
  'POST /api/plans/:planId/stage': route('Moves an adopted plan to a later stage, or supersedes it.', COORDINATORS),
  'PUT /api/plans/:planId/monitoring-body': route('Names the organisation that monitors implementation.', COORDINATORS),
  'POST /api/plans/:planId/rounds': route('Opens a reporting round (only after adoption).', COORDINATORS),
  'PATCH /api/plans/:planId/rounds/:roundId': route('Renames, re-dates, closes or reopens a reporting round.', COORDINATORS),
  // Progress reports and evidence (server/routes/monitoring/{reports,evidence}.ts). Reporters are coordinators and the
  // drafters and commenters of the action's lead agency or co-implementers: the matrix's drafter and commenter belong
  // to other organisations, so only the coordinator reports here (tests/integration/monitoring-reports.test.ts).
  'GET /api/plans/:planId/rounds/:roundId/reports': route("A round's progress reports (optionally one action's), drafts and submitted.", ANY_MEMBER),
  'POST /api/plans/:planId/rounds/:roundId/actions/:actionId/reports': route('Drafts a progress report (or a correction) on an action.', COORDINATORS),
  'PATCH /api/plans/:planId/reports/:reportId': route('Edits a draft report and its observed values.', COORDINATORS),
  'POST /api/plans/:planId/reports/:reportId/submit': route('Submits a draft report; it is never changed again.', COORDINATORS),
  'DELETE /api/plans/:planId/reports/:reportId': route('Deletes a draft report.', COORDINATORS),
  'POST /api/plans/:planId/reports/:reportId/evidence': route('Adds a type-checked file (octet-stream, ?name=) to a draft report.', COORDINATORS),
  'POST /api/plans/:planId/reports/:reportId/evidence-links': route('Adds a link as evidence to a draft report.', COORDINATORS),
  'DELETE /api/plans/:planId/evidence/:evidenceId': route("Removes evidence from a draft report.", COORDINATORS),
  'GET /api/plans/:planId/evidence/:evidenceId': route('Downloads an evidence file, with headers that keep it inert.', ANY_MEMBER),
  // After adoption (issue #15): civil society's assessments and where the plan stands (server/routes/monitoring/{assessments,progress}.ts)
  'GET /api/plans/:planId/rounds/:roundId/assessments': route("The round's civil-society assessments, attributed to their organisations.", ANY_MEMBER),
  'PUT /api/plans/:planId/rounds/:roundId/assessments': route(
    "Records or revises the writer's own organisation's assessment: members of a verified civil-society organisation (the matrix's drafter and commenter); the government's coordinator and observers 403.",
    { coordinator: 'forbidden', drafter: 'ok', commenter: 'ok', observer: 'forbidden', nonMember: 'notFound', signedOut: 'unauthenticated' },
  ),
  'GET /api/plans/:planId/progress': route('Where the plan stands in a round: counts, both sides per item, indicator series, overdue and due.', ANY_MEMBER),
  'GET /api/plans/:planId/rounds/:roundId/progress-report': route("A round's progress report, or civil society's assessment report, as DOCX or PDF.", ANY_MEMBER),
  // The public record (issue #16): publishing (server/routes/publicRecord.ts) ...
  'GET /api/plans/:planId/publication': route("Whether and where the plan is published, and every publication with its date and hash.", ANY_MEMBER),
  'POST /api/plans/:planId/publication': route('Publishes a snapshot of the plan as it is now to the public record, replacing the one in force.', COORDINATORS),
  'DELETE /api/plans/:planId/publication': route('Takes the plan off the public record: every public address of it answers 404.', COORDINATORS),
  // ... and the public pages (server/public/router.tsx): anyone, with or without a session, reads the publication in force.
  'GET /public-record.css': route("The public pages' stylesheet.", everyone(200)),
  'GET /p/:slug': route("The published plan's text by chapter and section, with agreement, signers, reservations, dissent and actions.", everyone(200)),
  'GET /p/:slug/actions': route("The published plan's actions, searchable and filtered by theme, mechanism and status.", everyone(200)),
  'GET /p/:slug/recommendations': route("The published plan's recommendations, searchable and filtered.", everyone(200)),
  'GET /p/:slug/recommendations/:recommendationId': route('One recommendation and what the published plan does about it.', everyone(200)),
  'GET /p/:slug/progress': route("Each round's government reports beside civil society's assessments, with indicator charts.", everyone(200)),
  'GET /p/:slug/data': route('What each open-data file holds, column by column, with the downloads.', everyone(200)),
  'GET /p/:slug/data/:file': route('One dataset of the publication as CSV or JSON (actions.csv, matrix.json, …).', everyone(200)),
  'GET /p/:slug/data/snapshot.json': route('The published snapshot, byte for byte: its sha256 is the hash every page prints.', everyone(200)),
} as const satisfies Record<string, RoutePolicy>;

export type RouteKey = keyof typeof REST_POLICY;

// ---- Sync: the WebSocket endpoint (admission at the HTTP upgrade: server/sync/SyncServer.ts, with who and what role from server/collab/syncHooks.ts) ---

/** `write`: connects and its updates are applied; `read`: connects, its updates are dropped; a number: refused with that close code. */
export type SyncOutcome = 'write' | 'read' | number;

export interface SyncPolicy {
  description: string;
  outcomes: Record<Actor, SyncOutcome>;
}

export const SYNC_POLICY = {
  'WS /sync/section.:sectionId': {
    description: "Live co-editing of a section's text: drafters write, commenters and observers read, outsiders are refused.",
    // 4403 CloseCode.Forbidden, 4401 CloseCode.Unauthenticated (shared/protocol.ts).
    outcomes: { coordinator: 'write', drafter: 'write', commenter: 'read', observer: 'read', nonMember: 4403, signedOut: 4401 },
  },
} as const satisfies Record<string, SyncPolicy>;

/** Whether an HTTP status satisfies an outcome. */
export function statusMatches(outcome: Outcome, status: number): boolean {
  switch (outcome) {
    case 'ok':
      return status >= 200 && status < 300;
    case 'forbidden':
      return status === 403;
    case 'notFound':
      return status === 404;
    case 'unauthenticated':
      return status === 401;
    default:
      return status === outcome;
  }
}
