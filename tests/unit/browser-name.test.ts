/**
 * Sessions on the Account page are told apart by the browser's own description of itself, in the
 * few names people know. Most browsers also claim to be Chrome, Safari and Mozilla: the real one
 * must win, and a description Accord does not know (or none kept) reads "Unknown device".
 */
import { expect, it } from 'vitest';
import { browserOf, deviceWords } from '../../client/features/account/browserName.ts';
import { translator } from '../helpers/i18n.ts';

const AGENTS: Array<[string, string | null, string | null]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox', 'Windows'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge', 'Windows'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'Safari', 'macOS'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1', 'Chrome', 'iPhone'],
  ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36', 'Samsung Internet', 'Android'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36', 'Yandex Browser', 'Windows'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0', 'Opera', 'Linux'],
  ['curl/8.5.0', null, null],
];

it('names the browser and system a User-Agent says it is', () => {
  for (const [ua, browser, system] of AGENTS) expect(browserOf(ua), ua).toEqual({ browser, system });
});

it('says it in words, or "Unknown device" when nothing is known', async () => {
  const en = await translator('en');
  const ru = await translator('ru');
  expect(deviceWords(AGENTS[0]![0], en)).toBe('Firefox on Windows');
  expect(deviceWords(AGENTS[0]![0], ru)).toBe('Firefox на Windows');
  expect(deviceWords(null, en)).toBe('Unknown device');
  expect(deviceWords('curl/8.5.0', ru)).toBe('Неизвестное устройство');
});
