import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAppOnDemo, type RecordedPage } from './chromium';

const session = useAppOnDemo();
let app: RecordedPage;
beforeAll(() => {
  app = session.app();
});

describe('the Customers room on the demo data', () => {
  it('suggests the column mapping, computes RFM segments and the cohort heatmap, and saves the segment', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Customers' }).click();
    await expect.poll(() => page.getByLabel('Transactions table').inputValue()).toBe('orders');
    await expect.poll(() => page.getByLabel('Customer id column').inputValue()).toBe('customer_id');
    expect(await page.getByLabel('Order date column').inputValue()).toBe('order_date');
    expect(await page.getByLabel('Amount column').inputValue()).toBe('amount');
    expect(await page.getByLabel('Order id column (optional)').inputValue()).toBe('order_id');

    await page.getByRole('button', { name: 'Compute RFM and cohorts' }).click();
    const segments = page.getByRole('table', { name: 'RFM segments' });
    await segments.waitFor({ timeout: 60_000 });
    const names = await segments.getByRole('row').locator('td:first-child').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Champions', 'Hibernating']));
    const counts = (await segments.getByRole('row').locator('td:nth-child(2)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    // Every customer with an order lands in exactly one segment.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2000);
    await expect(page.getByRole('img', { name: 'RFM segments by number of customers' }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: /^Cohort retention/ }).count()).resolves.toBe(1);
    // The cohort matrix downloads as CSV: one row per cohort, sizes summing to the customers who ordered.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Cohort retention data as CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^cohort,customers,month_0,month_1/);
    const cohortCustomers = csv.slice(1).reduce((a, line) => a + Number(line.split(',')[1]), 0);
    expect(cohortCustomers).toBe(counts.reduce((a, b) => a + b, 0));

    await page.getByRole('button', { name: 'Save segment as a column' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved rfm_segment' }).waitFor();
    const customers = page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^customers / });
    await expect(customers.textContent()).resolves.toContain('2,000 × 13');
    expect(app.consoleErrors).toEqual([]);
  });

  it('fits lifetime value in a worker and compares it with the holdout', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Fit lifetime value' }).click();
    const check = page.getByRole('status', { name: 'Holdout check' });
    await check.waitFor({ timeout: 90_000 });
    const [, actual, expected] = (await check.textContent())!.match(/([\d,]+) purchases observed, ([\d,]+) expected/)!.map((s) => Number(s.replace(/,/g, '')));
    // The demo's orders are drawn from BG/NBD itself: the calibration fit should predict the
    // holdout's purchases closely (within 15 %).
    expect(Math.abs(expected - actual) / actual).toBeLessThan(0.15);
    await expect(page.getByRole('img', { name: /^Calibration vs holdout/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('table', { name: 'Top customers by lifetime value' }).getByRole('row').count()).resolves.toBe(11);
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^customer_clv / }).waitFor();
    expect(app.consoleErrors).toEqual([]);
  });
});
