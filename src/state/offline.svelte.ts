/**
 * The installed-app state: whether the app is saved for offline use (and how far precaching has
 * got), and whether a new version is waiting. Registers the service worker in production builds.
 */
export class OfflineState {
  /** 'unsupported' in dev or browsers without service workers. */
  status = $state<'unsupported' | 'saving' | 'ready'>('unsupported');
  done = $state(0);
  total = $state(0);
  updateReady = $state(false);
  private registration: ServiceWorkerRegistration | null = null;

  /** Registers /sw.js and follows its messages. */
  async start(): Promise<void> {
    if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
    navigator.serviceWorker.addEventListener('message', (event) => {
      const data = event.data as { type?: string; done?: number; total?: number };
      if (data?.type === 'precache-progress') {
        this.done = data.done ?? 0;
        this.total = data.total ?? 0;
        if (this.status !== 'ready') this.status = 'saving';
      } else if (data?.type === 'offline-ready') this.status = 'ready';
    });
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      // Only after the analyst chose "Reload" (skip-waiting) does a new version take over.
      if (this.updateReady && !reloading) {
        reloading = true;
        location.reload();
      }
    });
    const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    this.registration = registration;
    if (registration.active) this.status = 'ready';
    else this.status = 'saving';
    const watch = (worker: ServiceWorker | null) => {
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) this.updateReady = true;
        if (worker.state === 'activated' && !this.updateReady) this.status = 'ready';
      });
    };
    if (registration.waiting && navigator.serviceWorker.controller) this.updateReady = true;
    watch(registration.installing);
    registration.addEventListener('updatefound', () => watch(registration.installing));
  }

  /** Activates the waiting version; the page reloads once it has taken over. */
  applyUpdate(): void {
    this.registration?.waiting?.postMessage({ type: 'skip-waiting' });
  }
}

export const offline = new OfflineState();
