/**
 * What a browser's User-Agent says it is, in the few names people know ("Firefox", "Windows"):
 * enough to tell one's laptop from one's phone on the Account page and in the audit log. Browsers
 * lie freely in this header, so it is a hint, never proof; the order matters because most browsers
 * also claim to be Chrome, Safari or Mozilla. Shared because the server words its English audit
 * summaries with it and the client its sentences in the reader's language.
 */
export function browserOf(userAgent: string): { browser: string | null; system: string | null } {
  const ua = userAgent;
  const browser =
    /YaBrowser\//.test(ua) ? 'Yandex Browser'
    : /Edg(e|A|iOS)?\//.test(ua) ? 'Edge'
    : /OPR\/|Opera/.test(ua) ? 'Opera'
    : /SamsungBrowser\//.test(ua) ? 'Samsung Internet'
    : /Firefox\/|FxiOS\//.test(ua) ? 'Firefox'
    : /Chrome\/|CriOS\/|Chromium\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) && /Version\//.test(ua) ? 'Safari'
    : null;
  const system =
    /iPhone/.test(ua) ? 'iPhone'
    : /iPad/.test(ua) ? 'iPad'
    : /Android/.test(ua) ? 'Android'
    : /Windows/.test(ua) ? 'Windows'
    : /CrOS/.test(ua) ? 'ChromeOS'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS'
    : /Linux|X11/.test(ua) ? 'Linux'
    : null;
  return { browser, system };
}

/** In English, for the server's stored summaries: "Firefox on Windows", or "an unknown device". */
export function deviceInEnglish(userAgent: string | null): string {
  const { browser, system } = userAgent ? browserOf(userAgent) : { browser: null, system: null };
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'an unknown device';
}
