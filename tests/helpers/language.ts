import type { Page } from 'playwright-core';

/** Chooses the interface language in the header's switch and waits until the page is in it. */
export async function chooseLanguage(page: Page, language: 'be' | 'ru' | 'en'): Promise<void> {
  await page.getByTestId('language-switch').selectOption(language);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
}
