/// <reference lib="webworker" />
/**
 * Clientele's service worker: precaches every file the app needs (DuckDB's ~35 MB wasm builds,
 * parquet-wasm, workers, samples) into a cache named after the build, then serves the app from
 * it, so after one online visit the whole workflow runs offline. Built by the precache plugin in
 * vite.config.ts, which prepends the file list and the build's version.
 *
 * - Install is resumable: files an interrupted install already cached are kept and skipped, so an
 *   install cut off halfway completes on the next online visit.
 * - A new build installs beside the open one and waits; the page shows an update prompt, and only
 *   the analyst's "Reload" activates it (an open session never changes under their feet).
 * - Only same-origin GET requests are answered; nothing else is touched.
 */
declare const __PRECACHE__: string[];
declare const __VERSION__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `clientele-${__VERSION__}`;
const PARALLEL = 4;

async function broadcast(message: unknown): Promise<void> {
  for (const client of await sw.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  const missing: string[] = [];
  for (const url of __PRECACHE__) if (!(await cache.match(url))) missing.push(url);
  let done = __PRECACHE__.length - missing.length;
  const total = __PRECACHE__.length;
  await broadcast({ type: 'precache-progress', done, total, version: __VERSION__ });
  let next = 0;
  const worker = async () => {
    while (next < missing.length) {
      const url = missing[next++];
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`precache: ${url} answered ${response.status}`);
      await cache.put(url, response);
      done++;
      await broadcast({ type: 'precache-progress', done, total, version: __VERSION__ });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

sw.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('clientele-') && name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
      await broadcast({ type: 'offline-ready', version: __VERSION__ });
    })(),
  );
});

sw.addEventListener('message', (event) => {
  const data = event.data as { type?: string } | null;
  if (data?.type === 'skip-waiting') void sw.skipWaiting();
  if (data?.type === 'version') event.source?.postMessage({ type: 'version', version: __VERSION__ });
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  // The app shell: every navigation gets this build's index.html, matching its cached assets.
  const key = request.mode === 'navigate' ? '/index.html' : url.pathname;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(key);
      return hit ?? fetch(request);
    })(),
  );
});
