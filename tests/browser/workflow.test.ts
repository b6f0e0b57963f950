import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, useAppOnDemo, type RecordedPage } from './chromium';
import { acceptRegionSuggestion, addStep } from './recipe-steps';

// Issue 8: the whole workflow (load, clean, explore, segment, rules, customers, model, export) on
// the demo with canary values seeded into customers, while every request is recorded.
const session = useAppOnDemo();
let app: RecordedPage;
let page: Page;
beforeAll(() => {
  app = session.app();
  page = app.page;
});

const CANARY_EMAIL = 'zq.canary.5527@example.org';
const CANARY_NAME = 'Quillon Vexbury';
/** Every form a canary could take in a URL. */
const CANARY_FORMS = [CANARY_EMAIL, encodeURIComponent(CANARY_EMAIL), 'zq.canary', 'Quillon', 'Vexbury', encodeURIComponent(CANARY_NAME)];
/** Waits of one step: generous for a loaded machine, but bounded. */
const JOB = { timeout: 30_000 };

const room = (name: string) => page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name, exact: true }).click();
const tableButton = (name: string) => page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: new RegExp(`^${name} `) });
const steps = () => page.getByRole('list', { name: 'Recipe steps' }).getByRole('listitem');
const rowsIn = async (name: string) => Number((await tableButton(name).textContent())!.match(/([\d,]+) ×/)![1].replace(/,/g, ''));

describe('the whole workflow on the demo with canary values', () => {
  it('loads the demo and seeds a canary customer (fake e-mail and name) with SQL', async () => {
    const before = await rowsIn('customers');
    await page.getByRole('tab', { name: 'SQL' }).click();
    const insert = `INSERT INTO customers SELECT 999001, '${CANARY_NAME}', '${CANARY_EMAIL}', * EXCLUDE (customer_id, name, email) FROM customers LIMIT 1`;
    await page.getByLabel('SQL (DuckDB dialect)').fill(insert);
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByRole('status').filter({ hasText: 'Done: INSERT INTO customers' }).waitFor(JOB);
    await expect.poll(() => rowsIn('customers'), JOB).toBe(before + 1);
  });

  it('cleans customers with a 2-step recipe and exports the cleaned table as CSV through the export guard', async () => {
    await room('Clean');
    await expect.poll(() => page.getByLabel('Source table').inputValue(), JOB).toBe('customers');
    await acceptRegionSuggestion(page);
    await addStep(page, 'Clean text (trim, case)', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('city');
      await f.getByLabel('Operation').selectOption('upper');
    });
    await expect.poll(() => steps().count()).toBe(2);
    await expect.poll(async () => (await page.getByLabel('Step 2 report').textContent()) ?? '', JOB).toMatch(/Rows 2,001 → 2,001/);
    await tableButton('customers_clean').waitFor(JOB);

    await page.getByRole('button', { name: 'Download CSV' }).click();
    const guard = page.getByRole('dialog', { name: 'Before you export' });
    const pii = guard.getByRole('list', { name: 'PII columns still present' });
    await pii.waitFor(JOB);
    expect((await pii.getByRole('listitem').allTextContents()).map((t) => t.split(':')[0])).toEqual(['name', 'email']);
    const [download] = await Promise.all([page.waitForEvent('download', JOB), guard.getByRole('button', { name: 'Export anyway' }).click()]);
    expect(download.suggestedFilename()).toBe('customers_clean.csv');
    // The canary went through the recipe into the file: the rooms below work on data holding it.
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(`999001,${CANARY_NAME},${CANARY_EMAIL},`);
    expect(csv.trimEnd().split('\n')).toHaveLength(2002);
  });

  it('explores the orders with a histogram', async () => {
    await room('Explore');
    await expect.poll(() => page.getByLabel('Table', { exact: true }).inputValue(), JOB).toBe('orders');
    const histogram = page.getByRole('img', { name: 'Histogram of amount, 20 bins' });
    await histogram.waitFor(JOB);
    expect(await histogram.locator('.marks rect').count()).toBe(20);
  });

  it('segments the orders with k-means', async () => {
    await room('Segment');
    await page.getByLabel('Table to segment').selectOption('orders');
    await expect.poll(() => page.getByRole('checkbox', { name: 'amount' }).isChecked(), JOB).toBe(true);
    await page.getByLabel('Clusters (k)').fill('3');
    await page.getByRole('button', { name: 'Run segmentation' }).click();
    const sizes = page.getByRole('table', { name: 'Cluster sizes' });
    await sizes.waitFor(JOB);
    const counts = await sizes.locator('tbody').getByRole('row').evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent!.replace(/,/g, ''))));
    expect(counts).toHaveLength(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(await rowsIn('orders'));
  });

  it('mines association rules from the order lines', async () => {
    await room('Rules');
    await page.getByLabel('Table of baskets').selectOption('order_lines');
    await expect.poll(() => page.getByLabel('Basket id column').inputValue(), JOB).toBe('order_id');
    await page.getByLabel('Item column', { exact: true }).selectOption('product');
    await page.getByLabel('Min support').fill('0.005');
    await page.getByLabel('Min confidence').fill('0.05');
    await page.getByLabel('Min lift').fill('1');
    await page.getByRole('button', { name: 'Mine rules' }).click();
    const rules = page.getByRole('table', { name: 'Association rules' });
    await rules.waitFor(JOB);
    expect(await rules.locator('tbody tr').count()).toBeGreaterThan(0);
  });

  it('computes RFM segments in the Customers room', async () => {
    await room('Customers');
    await expect.poll(() => page.getByLabel('Customer id column').inputValue(), JOB).toBe('customer_id');
    await page.getByRole('button', { name: 'Compute RFM and cohorts' }).click();
    const segments = page.getByRole('table', { name: 'RFM segments' });
    await segments.waitFor(JOB);
    const counts = (await segments.getByRole('row').locator('td:nth-child(2)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    // The demo's 2,000 customers have orders; the canary has none.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2000);
  });

  it('trains one model on the customers (plan) and scores them', async () => {
    await room('Predict');
    await page.getByLabel('Table', { exact: true }).selectOption('customers');
    await page.getByLabel('Target column').selectOption('plan');
    await expect.poll(() => page.getByLabel('Task').textContent(), JOB).toMatch(/^Classification: \d+ classes/);
    await page.getByRole('checkbox', { name: 'Logistic regression' }).uncheck();
    await expect(page.getByRole('checkbox', { name: 'Decision tree' }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Train models' }).click();
    const board = page.getByRole('table', { name: 'Leaderboard' });
    await board.waitFor(JOB);
    expect(await board.locator('tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Score the table' }).click();
    await page.getByRole('status').filter({ hasText: /^Scored 2,001 rows of customers with / }).waitFor(JOB);
    await tableButton('customers_scores').waitFor(JOB);
  });

  it('sent nothing anywhere: no other origin, no request body, no canary in any URL', () => {
    const origin = new URL(baseUrl()).origin;
    const local = (url: string) => url.startsWith('blob:') || url.startsWith('data:');
    // The record holds what the workers fetch too (the engine worker fetches its wasm).
    expect(app.requests.some((r) => /\/duckdb-[\w-]+\.wasm$/.test(r.url))).toBe(true);
    expect(app.requests.filter((r) => !local(r.url) && new URL(r.url).origin !== origin)).toEqual([]);
    expect(app.requests.filter((r) => r.hasBody)).toEqual([]);
    expect(app.requests.filter((r) => CANARY_FORMS.some((c) => r.url.includes(c)))).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
