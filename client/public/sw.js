/* Accord service worker: keeps the last-seen app and API answers usable when the server is away.
 * - navigations and GET /api/*: network first, cached copy when the network fails;
 * - hashed /assets/*: cache first (their names change whenever their content does);
 * - never caches non-GET requests, the event stream or the sync socket.
 * The section text itself lives in IndexedDB (y-indexeddb), not here. */
const VERSION = 'v1';
const SHELL_CACHE = `accord-shell-${VERSION}`;
const API_CACHE = `accord-api-${VERSION}`;
const ASSET_CACHE = `accord-assets-${VERSION}`;
const KEEP = [SHELL_CACHE, API_CACHE, ASSET_CACHE];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.add(new Request('/', { cache: 'reload' })))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('accord-') && !KEEP.includes(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/sync')) return;
  if (request.headers.get('accept')?.includes('text/event-stream') || url.pathname.endsWith('/events')) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
  } else if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request, API_CACHE));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  }
});

/** The app routes on the client: every navigation is the same shell, cached under "/". */
async function navigation(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.get('content-type')?.includes('text/html')) {
      await cache.put('/', response.clone());
    }
    return response;
  } catch (err) {
    const cached = (await cache.match('/')) ?? (await cache.match(request));
    if (cached) return cached;
    throw err;
  }
}

async function networkFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    // Only successful answers are kept; a refusal removes the stale copy so it is never
    // replayed offline to someone who has lost access (sign-out also clears this cache).
    if (response.ok) await cache.put(request, response.clone());
    else if (response.status === 401 || response.status === 403 || response.status === 404) await cache.delete(request);
    return response;
  } catch (err) {
    const cached = await cache.match(request);
    if (cached) return cached;
    return new Response(JSON.stringify({ error: { code: 'network', message: 'The server could not be reached.' } }), {
      status: 503,
      headers: { 'content-type': 'application/json', 'x-accord-offline': '1' },
    });
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSET_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** On sign-out the page asks us to forget cached API answers (another person may sign in next). */
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'accord:clear-api-cache') {
    event.waitUntil(caches.delete(API_CACHE));
  }
});
