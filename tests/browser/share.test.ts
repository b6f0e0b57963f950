import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, openApp, useAppOnDemo, type RecordedPage } from './chromium';
import { acceptRegionSuggestion, addStep } from './recipe-steps';

const session = useAppOnDemo();
let app: RecordedPage;
let page: Page;
beforeAll(() => {
  app = session.app();
  page = app.page;
});

const nav = (p: Page) => p.getByRole('navigation', { name: 'Workflow' });
/** The JSON inside a share link's fragment, decoded here independently of the app's reader. */
const decode = (link: string) => JSON.parse(Buffer.from(link.split('#share=')[1], 'base64url').toString('utf8'));
const encode = (state: unknown) => `${baseUrl()}#share=${Buffer.from(JSON.stringify(state)).toString('base64url')}`;

async function makeLink(p: Page, room: string): Promise<string> {
  await nav(p).getByRole('button', { name: 'Privacy', exact: true }).click();
  await p.getByLabel('Room to open').selectOption({ label: room });
  await p.getByRole('button', { name: 'Make a share link' }).click();
  return p.getByLabel('Share link').inputValue();
}

/** Opens a link in a fresh context and waits for the app to settle on the shared settings. */
async function openLink(link: string, firstTable: string): Promise<RecordedPage> {
  const opened = await openApp(session.browser(), link.slice(baseUrl().length));
  await opened.page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: new RegExp(`^${firstTable} `) }).waitFor({ timeout: 60_000 });
  await opened.page.getByRole('status').filter({ hasText: 'Opened a shared link' }).waitFor();
  return opened;
}

describe('share by link', () => {
  it('reproduces the sample, room and settings from the fragment, and carries no data', async () => {
    await nav(page).getByRole('button', { name: 'Customers', exact: true }).click();
    await expect.poll(() => page.getByLabel('Customer id column').inputValue()).toBe('customer_id');
    await page.getByLabel('Horizon (weeks)').fill('26');
    await page.getByLabel('Monthly discount rate').fill('0.02');
    const link = await makeLink(page, 'Customers');
    expect(await page.getByRole('note', { name: 'What the link shares' }).count()).toBe(0);

    const state = decode(link);
    expect(state).toMatchObject({ v: 1, sample: 'demo-crm', room: 'crm' });
    expect(state.settings.crm).toMatchObject({ table: 'orders', customer: 'customer_id', amount: 'amount', horizonWeeks: 26, monthlyDiscount: 0.02 });
    // Settings only: names and numbers, no cell values (the demo's e-mails, names, cities).
    expect(link).not.toMatch(/%40|@/);
    expect(JSON.stringify(state)).not.toMatch(/example\.|Magnolia|Harborview/);

    const opened = await openLink(link, 'customers');
    try {
      await expect.poll(() => nav(opened.page).getByRole('button', { name: 'Customers', exact: true }).getAttribute('aria-current')).toBe('page');
      expect(await opened.page.getByLabel('Horizon (weeks)').inputValue()).toBe('26');
      expect(await opened.page.getByLabel('Monthly discount rate').inputValue()).toBe('0.02');
      expect(await opened.page.getByLabel('Transactions table').inputValue()).toBe('orders');
      expect(opened.requests.filter((r) => r.url.includes('#') || r.hasBody)).toEqual([]);
      expect(opened.consoleErrors).toEqual([]);
    } finally {
      await opened.context.close();
    }
  });

  it('opens another built-in sample in the room the link names, and ignores a malformed fragment', async () => {
    const link = encode({ v: 1, sample: 'iris', room: 'segment', settings: { segment: { table: 'iris', k: 3, seed: 7 } } });
    const opened = await openLink(link, 'iris');
    try {
      await expect.poll(() => nav(opened.page).getByRole('button', { name: 'Segment', exact: true }).getAttribute('aria-current')).toBe('page');
      expect(await opened.page.getByLabel('Clusters (k)').inputValue()).toBe('3');
      expect(await opened.page.getByLabel('Seed').inputValue()).toBe('7');
      expect(await opened.page.getByLabel('Table to segment').inputValue()).toBe('iris');
    } finally {
      await opened.context.close();
    }
    const bad = await openApp(session.browser(), '#share=not-json-at-all');
    try {
      await bad.page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
      expect(await bad.page.getByRole('status').filter({ hasText: 'Opened a shared link' }).count()).toBe(0);
    } finally {
      await bad.context.close();
    }
  });

  it('carries the cleaning recipe without fitted statistics, and the opened link rebuilds the same cleaned table', async () => {
    await nav(page).getByRole('button', { name: 'Clean', exact: true }).click();
    await expect.poll(() => page.getByLabel('Source table').inputValue()).toBe('customers');
    await acceptRegionSuggestion(page);
    await addStep(page, 'Label / ordinal encode', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('plan');
      await f.getByLabel('New column name (optional)').fill('plan_code');
    });
    // Each step's rows in → out and cells changed (its run time left out).
    const reports = (p: Page) => Promise.all([1, 2].map(async (n) => (await p.getByLabel(`Step ${n} report`).textContent())!.replace(/·\s*[\d.]+ m?s/, '').replace(/\s+/g, ' ').trim()));
    await page.getByLabel('Step 2 report').waitFor({ timeout: 60_000 });
    const here = await reports(page);
    const link = await makeLink(page, 'Clean');

    const shared = decode(link).settings.clean;
    expect(shared.table).toBe('customers');
    const steps = JSON.parse(shared.recipe);
    expect(steps.map((s: { kind: string }) => s.kind)).toEqual(['map-values', 'encode']);
    // The plan codes were fitted here (the mapping of each plan): they are left out of the link.
    expect(steps.some((s: object) => 'fitted' in s)).toBe(false);

    const opened = await openLink(link, 'customers');
    try {
      await expect.poll(() => nav(opened.page).getByRole('button', { name: 'Clean', exact: true }).getAttribute('aria-current')).toBe('page');
      await opened.page.getByLabel('Step 2 report').waitFor({ timeout: 60_000 });
      // Fitted again on the same sample: every step changes the same rows and cells.
      expect(await reports(opened.page)).toEqual(here);
      const cleaned = (p: Page) => p.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^customers_clean / }).textContent();
      await expect.poll(() => cleaned(opened.page), { timeout: 30_000 }).toBe(await cleaned(page));
      expect(opened.consoleErrors).toEqual([]);
    } finally {
      await opened.context.close();
    }
  });

  it('explains that only settings are shared when the data was uploaded', async () => {
    await page.getByLabel('Open files').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from('id,email\n1,ann@example.com\n2,bo@example.com\n') });
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^contacts / }).waitFor();
    const link = await makeLink(page, 'Privacy');
    await expect(page.getByRole('note', { name: 'What the link shares' }).textContent()).resolves.toMatch(/uploaded files.*never carries data.*settings only/);
    expect(decode(link).sample).toBeNull();
    expect(link).not.toContain('ann@');
  });
});
