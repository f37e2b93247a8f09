import type { Translate } from '../../i18n/errorText.ts';
import { browserOf } from '../../../shared/browserName.ts';

export { browserOf };

/** "Firefox on Windows", "Safari on iPhone", or "Unknown device" (nothing kept, or nothing recognised). */
export function deviceWords(userAgent: string | null, t: Translate): string {
  const { browser, system } = userAgent ? browserOf(userAgent) : { browser: null, system: null };
  if (browser && system) return t('account.device.browserOn', { browser, system });
  if (browser ?? system) return (browser ?? system)!;
  return t('account.device.unknown');
}
