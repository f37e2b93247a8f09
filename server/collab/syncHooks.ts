import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { sqliteSql } from '../db/sql/sqliteSql.ts';
import type { Sql } from '../db/sql/Sql.ts';
import type { EventBus } from '../events.ts';
import { principalForToken, sessionTokenFromCookieHeader } from '../auth/sessions.ts';
import { hashToken } from '../ids.ts';
import { planOfSection, roleInPlan } from '../services/access.ts';
import { isSectionAgreed } from '../services/sectionAgreed.ts';
import { textAccessInPlan } from '../services/suggestions.ts';
import { suggestionValuesIn } from '../../shared/doc/suggestions.ts';
import { stampSuggestionTimes, touchesSuggestionTimes } from '../../shared/doc/suggestionTimes.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { SyncHooks, UpdateVerdict } from '../sync/hooks.ts';
import { forgetTrials } from '../sync/trialDoc.ts';
import { DecidedSuggestions, VerifiedOrganisations } from './knownAnswers.ts';
import { markRacedTyping } from './racedTyping.ts';
import { judgeUpdate, type SuggestionLimits } from './suggestionGuard.ts';
import { suggestionIndexOf } from './suggestionIndex.ts';

export interface CollabDeps {
  db: Db;
  /** The database as the services that have moved to Sql reach it (absent: SQLite's `db`). */
  sql?: Sql;
  events: EventBus;
  config: Pick<Config, 'suggestionsPerPerson' | 'suggestionMaxChars'>;
  logger: Logger;
}

/**
 * Accord's rules for the sync server: who may open a section and as what (their role and the
 * plan's suggestion rule), that an agreed section takes no edits, what a person who may only
 * suggest may write, and that a stored edit is news for the rest of Accord (contentChanged).
 */
export function accordSyncHooks({ db, sql, events, config, logger }: CollabDeps): SyncHooks {
  const q = sql ?? sqliteSql(db);
  const limits: SuggestionLimits = { openPerPerson: config.suggestionsPerPerson, charsPerSuggestion: config.suggestionMaxChars };
  // Asked per presence update and per keystroke, so read ahead through Sql (see knownAnswers.ts):
  // at admission, and again after the commits that change them, in whichever process they happen.
  const verified = new VerifiedOrganisations(q);
  const decided = new DecidedSuggestions(q);
  events.onEverywhere('organisationVerificationChanged', (planId, organisationId) => {
    verified.read(planId, organisationId).catch((err: unknown) =>
      logger.warn({ err, planId, organisationId }, 'reading a verification again failed: its people are shown unverified until one of them is admitted again'),
    );
  });
  events.onEverywhere('suggestionsDecided', (_planId, sectionId, suggestionIds) => decided.add(sectionId, suggestionIds));
  events.onEverywhere('sectionDeleted', (_planId, sectionId) => decided.forget(sectionId));
  return {
    async authenticate(cookieHeader) {
      const token = sessionTokenFromCookieHeader(cookieHeader);
      const person = await principalForToken(q, token);
      if (!person || !token) return null;
      return { person, sessionKey: hashToken(token) };
    },

    async authorize(person, sectionId) {
      const section = await planOfSection(q, sectionId);
      if (!section) return { ok: false, code: CloseCode.NotFound, reason: 'no such section' };
      const { planId } = section;
      const role = await roleInPlan(q, planId, person.userId);
      const access = await textAccessInPlan(q, planId, person.userId);
      if (!role || !access) return { ok: false, code: CloseCode.Forbidden, reason: 'not a member of this plan' };
      // Told to members only: outsiders learn nothing about the plan's sections.
      if (section.inBin) return { ok: false, code: CloseCode.SectionDeleted, reason: 'section is in the bin' };
      // What this connection's presence and typing will ask, read now (after any change announced
      // before it: a change announced later reads again).
      await verified.read(planId, person.organisationId);
      if (access === 'suggest') await decided.read(sectionId);
      return { ok: true, planId, role, access };
    },

    isSectionOpen: async (sectionId) => (await planOfSection(q, sectionId))?.inBin === false,

    isLocked: (sectionId, within) => isSectionAgreed(within ?? q, sectionId),

    judgeUpdate({ sectionId, person, access }, { doc, update, marksSuggestions, ownsClient, decoded }): UpdateVerdict {
      const me = person.userId;
      // The times of suggestions are the server's to write, whatever else a person may do.
      const writesTimes = touchesSuggestionTimes(doc, update, decoded);
      // Typing that raced a decision on the person's own suggestion lands outside it (or under a
      // decided id); rather than refuse it (their page would start over without those words),
      // keep it as a new suggestion of theirs, if the update with that repair passes the same
      // rules (see racedTyping.ts). Otherwise the update is judged as it came.
      let repair = writesTimes || access !== 'suggest' ? null : markRacedTyping(doc, update, {
        author: me,
        ownsClient,
        decided: (id) => decided.has(sectionId, id),
      });
      let verdict = repair ? judgeUpdate(doc, Y.mergeUpdates([update, repair]), me, access, true, limits) : null;
      if (verdict?.kind !== 'apply') {
        // The repair tried and not taken must not stay on the copy the next trial starts from.
        if (verdict) forgetTrials(doc);
        repair = null;
        verdict = writesTimes
          ? ({ kind: 'refuse', reason: "writes the server's record of when suggestions were made" } as const)
          : judgeUpdate(doc, update, me, access, marksSuggestions, limits);
      }
      switch (verdict.kind) {
        case 'apply':
          return repair ? { kind: 'apply', also: repair } : { kind: 'apply' };
        case 'wait':
          return verdict;
        case 'refuse':
          return { kind: 'refuse', code: verdict.limit ? CloseCode.SuggestionLimit : CloseCode.EditRefused, reason: verdict.reason };
      }
    },

    afterApply(_connection, { doc, update, also, marksSuggestions }) {
      // A suggestion made by this update (or kept from raced typing) gets the server's time,
      // stored and sent like any edit. Only those it writes: listing the section's suggestions
      // per keystroke would cost as much as the section.
      if (!marksSuggestions && !also) return;
      const index = suggestionIndexOf(doc);
      const written = [...suggestionValuesIn(update), ...(also ? suggestionValuesIn(also) : [])];
      stampSuggestionTimes(doc, written.filter((v): v is NonNullable<typeof v> => v !== null && index.has(v.author, v.id)), Date.now());
    },

    organisationVerified: ({ planId, person }) => verified.isVerified(planId, person.organisationId),

    afterStore({ planId, sectionId, editorIds }) {
      events.emit('contentChanged', planId, sectionId, editorIds);
    },
  };
}
