import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { addMember, setUpWorkspace } from './workspace.ts';

/** The two drafters of the browser tests of proposals: the ministry's edits, the NGO's may only suggest. */
export const MINISTRY_DRAFTER = { name: 'Ihar Sokal', email: 'ihar@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
export const NGO_DRAFTER = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };

/**
 * A fresh server's plan with both drafters as members and a suggestion rule holding civil society
 * to proposals; returns the first section's address.
 */
export async function planWithSuggestingNgo(server: { url: string }): Promise<{ sectionUrl: string }> {
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  await addMember(server, coordinator, planId, 'drafter', MINISTRY_DRAFTER);
  await addMember(server, coordinator, planId, 'drafter', NGO_DRAFTER);
  const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: false, suggestOnlySides: ['civil_society'] });
  expect(put.status).toBe(200);
  return { sectionUrl: `${server.url}/plans/${planId}/sections/${sectionId}` };
}

export const cardsOf = (page: Page) => page.getByTestId('suggestion-card');
export const modeOf = (page: Page) => page.getByTestId('mode-switch').getAttribute('data-mode');
export const stateOf = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state');
