import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

/** Debian's Chromium (apt-get install chromium); `npx playwright install` cannot download here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for headless Chromium on this machine: no sandbox as root, and nothing that reaches for
 * the (closed) network on its own.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-quic',
];

/** Launches headless Chromium. */
export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** The URL of the production build served for this run. */
export function baseUrl(): string {
  return inject('baseUrl');
}

/** A page with console errors and failed/remote requests recorded. */
export interface RecordedPage {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  requests: { url: string; method: string; hasBody: boolean }[];
}

/** Opens the app in a fresh context, recording every request and console error. */
export async function openApp(browser: Browser, path = ''): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: RecordedPage['requests'] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), hasBody: r.postDataBuffer() !== null }));
  await page.goto(baseUrl() + path);
  return { context, page, consoleErrors, requests };
}

/**
 * One browser and one app page for a test file, opened on the built-in demo (the `customers`
 * table listed): call in the file's top level; it registers the beforeAll/afterAll hooks.
 */
export function useAppOnDemo(path = ''): { browser(): Browser; app(): RecordedPage } {
  let browser: Browser;
  let app: RecordedPage;
  beforeAll(async () => {
    browser = await launch();
    app = await openApp(browser, path);
    await app.page.getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return { browser: () => browser, app: () => app };
}

/** Starts recording the page's main-thread long tasks (PerformanceObserver 'longtask', > 50 ms). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskObserver?: PerformanceObserver };
    w.__longTasks = [];
    w.__longTaskObserver?.disconnect();
    w.__longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    });
    w.__longTaskObserver.observe({ entryTypes: ['longtask'] });
  });
}

/** Stops recording and returns the long tasks' durations (ms) since {@link watchLongTasks}. */
export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskObserver?: PerformanceObserver };
    w.__longTaskObserver?.disconnect();
    return w.__longTasks;
  });
}
