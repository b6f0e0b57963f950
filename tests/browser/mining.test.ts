import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, longTasks as pageLongTasks, openApp, watchLongTasks as watchPage, type RecordedPage } from './chromium';

let browser: Browser;
let app: RecordedPage;
let page: Page;
/** Longest main-thread task seen while a job ran, per job (ms). */
const longest: Record<string, number> = {};
/** Figures worth reporting (cluster sizes, the top rule). */
const figures: Record<string, unknown> = {};

function tableButton(name: string) {
  return page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: new RegExp(`^${name} `) });
}

function room(name: string) {
  return page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name });
}

const watchLongTasks = () => watchPage(page);
const longTasks = () => pageLongTasks(page);

async function sizes(): Promise<number[]> {
  const rows = page.getByRole('table', { name: 'Cluster sizes' }).locator('tbody').getByRole('row');
  const texts = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent ?? ''));
  return texts.map((t) => Number(t.replace(/,/g, '')));
}

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser);
  page = app.page;
  await page.getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  console.log(`longest main-thread task while a job ran (ms): ${JSON.stringify(longest)}; ${JSON.stringify(figures)}`);
  await browser?.close();
});

describe('segmenting customers', () => {
  let rowCount = 0;

  it('clusters customer_stats with k-means (k = 4) in the worker, without long main-thread tasks', async () => {
    await page.getByRole('tab', { name: 'SQL' }).click();
    await page.getByLabel('SQL (DuckDB dialect)').fill('CREATE TABLE customer_stats AS SELECT customer_id, count(*) AS orders, sum(amount) AS spend FROM orders GROUP BY 1');
    await page.getByRole('button', { name: 'Run query' }).click();
    await tableButton('customer_stats').waitFor();
    rowCount = Number((await tableButton('customer_stats').textContent())!.match(/([\d,]+) ×/)![1].replace(/,/g, ''));
    expect(rowCount).toBeGreaterThan(100);

    await room('Segment').click();
    await page.getByLabel('Table to segment').selectOption('customer_stats');
    await expect.poll(() => page.getByRole('checkbox', { name: 'spend' }).isChecked()).toBe(true);
    await expect(page.getByRole('checkbox', { name: 'orders' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('checkbox', { name: 'customer_id' }).isChecked()).resolves.toBe(false);
    await page.getByLabel('Scaling').selectOption('standardize');
    await page.getByLabel('Clusters (k)').fill('4');

    await watchLongTasks();
    await page.getByRole('button', { name: 'Run segmentation' }).click();
    await page.getByRole('table', { name: 'Cluster sizes' }).waitFor({ timeout: 60_000 });
    await page.getByRole('img', { name: 'PCA projection coloured by cluster' }).waitFor();
    const tasks = await longTasks();
    longest.kmeans = Math.max(0, ...tasks);

    // The distance passes ran in the generated WebAssembly SIMD kernel inside the worker (the CSP allows wasm).
    await page.getByText(/^k-means \(k 4, .*\(WebAssembly SIMD\)/).waitFor();
    const found = await sizes();
    figures.clusterSizes = found;
    expect(found).toHaveLength(4);
    expect(found.reduce((a, b) => a + b, 0)).toBe(rowCount);
    await expect(page.getByRole('img', { name: 'Cluster profiles: mean of each column by cluster' }).count()).resolves.toBe(1);
    const pca = page.getByRole('img', { name: 'PCA projection coloured by cluster' });
    await expect.poll(() => pca.locator('.dots circle').count()).toBe(Math.min(2000, rowCount));
    expect(tasks.filter((t) => t > 50)).toEqual([]);
  });

  it('suggests k from the elbow and silhouettes', async () => {
    await page.getByRole('button', { name: 'Suggest k' }).click();
    await page.getByRole('img', { name: 'Elbow: inertia by number of clusters k' }).waitFor({ timeout: 60_000 });
    await expect(page.getByRole('table', { name: 'Silhouette by k' }).locator('tbody tr').count()).resolves.toBe(7);
    await expect(page.getByRole('button', { name: /^Use k = \d+$/ }).count()).resolves.toBe(1);
  });

  it('keeps the earlier result when a long run is cancelled, and runs again on a fresh worker', async () => {
    const before = await sizes();
    await page.getByLabel('Starts (n_init)').fill('200000');
    await page.getByRole('button', { name: 'Run segmentation' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Segment progress' }).textContent(), { timeout: 30_000 }).toMatch(/start|iteration/);
    await page.getByRole('region', { name: 'Segment customers' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByText('Segmenting was cancelled; earlier results are kept.').count()).toBe(1);
    await expect(sizes()).resolves.toEqual(before);
    await page.getByLabel('Starts (n_init)').fill('10');
    await page.getByRole('button', { name: 'Run segmentation' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Run segmentation' }).isEnabled(), { timeout: 60_000 }).toBe(true);
    await expect(sizes()).resolves.toEqual(before);
  });

  it('finds dense segments with DBSCAN from the suggested eps, labelling noise', async () => {
    const before = await sizes();
    await page.getByLabel('Method').selectOption('dbscan');
    await page.getByRole('button', { name: 'Suggest eps' }).click();
    await page.getByRole('img', { name: /^Distance to the \d+th nearest row, sorted$/ }).waitFor({ timeout: 60_000 });
    const use = page.getByRole('button', { name: /^Use eps = [\d.]+$/ });
    const eps = Number((await use.textContent())!.replace('Use eps = ', ''));
    expect(eps).toBeGreaterThan(0);
    await use.click();
    await expect(page.getByLabel('eps').inputValue()).resolves.toBe(String(eps));
    await watchLongTasks();
    await page.getByRole('button', { name: 'Run segmentation' }).click();
    const summary = page.getByText(/^DBSCAN \(eps [\d.]+, min samples \d+\): \d+ clusters, [\d,]+ noise rows\.$/);
    await summary.waitFor({ timeout: 60_000 });
    longest.dbscan = Math.max(0, ...(await longTasks()));
    const text = (await summary.textContent())!;
    figures.dbscan = text;
    const [clusters, noise] = text.match(/(\d+) clusters, ([\d,]+) noise/)!.slice(1).map((v) => Number(v.replace(/,/g, '')));
    const found = await sizes();
    expect(found.reduce((a, b) => a + b, 0)).toBe(rowCount);
    expect(found).toHaveLength(clusters + (noise > 0 ? 1 : 0));
    const firstLabel = await page.getByRole('table', { name: 'Cluster sizes' }).locator('tbody tr td').first().textContent();
    if (noise > 0) expect([firstLabel, found[0]]).toEqual(['noise (−1)', noise]);
    // Back to k-means for the next test: the same k = 4 clusters as before.
    await page.getByLabel('Method').selectOption('kmeans');
    await page.getByRole('button', { name: 'Run segmentation' }).click();
    await expect.poll(() => sizes(), { timeout: 60_000 }).toEqual(before);
  });

  it('saves the clusters as a column of the table', async () => {
    await page.getByLabel('Column name').fill('cluster');
    await page.getByRole('button', { name: 'Save cluster as a column' }).click();
    await expect.poll(() => page.getByText('Saved the clusters as column cluster of customer_stats.').count(), { timeout: 30_000 }).toBe(1);
    await expect(tableButton('customer_stats').textContent()).resolves.toContain(`${rowCount.toLocaleString('en-US')} × 4`);
    await room('Data').click();
    await tableButton('customer_stats').click();
    const grid = page.getByRole('grid', { name: 'Rows of customer_stats' });
    await expect(grid.getByRole('columnheader', { name: /^cluster/ }).count()).resolves.toBe(1);
    await page.getByRole('tab', { name: 'SQL' }).click();
    await page.getByLabel('SQL (DuckDB dialect)').fill('SELECT count(DISTINCT cluster) AS k, count(cluster) AS labelled FROM customer_stats');
    await page.getByRole('button', { name: 'Run query' }).click();
    const result = page.getByRole('grid', { name: 'Query result' });
    await expect.poll(() => result.getByRole('row').nth(1).getByRole('gridcell').allTextContents()).toEqual(['4', String(rowCount)]);
  });
});

describe('segmenting a larger table', () => {
  it('shares k-means on 46,472 order lines with helper threads, in the WebAssembly kernel', async () => {
    await room('Segment').click();
    await page.getByLabel('Table to segment').selectOption('order_lines');
    const features = page.getByRole('group', { name: 'Feature columns' });
    await expect.poll(() => features.getByRole('checkbox', { name: 'unit_price' }).isChecked()).toBe(true);
    for (const name of ['order_id', 'product', 'category']) await features.getByRole('checkbox', { name }).setChecked(false);
    await page.getByLabel('Method').selectOption('kmeans');
    await page.getByLabel('Clusters (k)').fill('5');
    await watchLongTasks();
    await page.getByRole('button', { name: 'Run segmentation' }).click();
    // Chromium here reports 2 logical cores: the mining worker and one helper share the passes.
    const summary = page.getByText(/^k-means \(k 5, .* on \d+ threads \(WebAssembly SIMD\)\.$/);
    await summary.waitFor({ timeout: 60_000 });
    longest.kmeansLarge = Math.max(0, ...(await longTasks()));
    figures.kmeansLarge = await summary.textContent();
    const found = await sizes();
    expect(found).toHaveLength(5);
    expect(found.reduce((a, b) => a + b, 0)).toBe(46_472);
  });
});

describe('mining association rules', () => {
  it('mines order_lines (order_id × product) into rules with lift > 1 without long main-thread tasks, and exports them as CSV', async () => {
    await room('Rules').click();
    await page.getByLabel('Table of baskets').selectOption('order_lines');
    await expect.poll(() => page.getByLabel('Basket id column').inputValue()).toBe('order_id');
    await page.getByLabel('Item column', { exact: true }).selectOption('product');
    await page.getByLabel('Min support').fill('0.005');
    await page.getByLabel('Min confidence').fill('0.05');
    await page.getByLabel('Min lift').fill('1');
    await watchLongTasks();
    await page.getByRole('button', { name: 'Mine rules' }).click();
    const table = page.getByRole('table', { name: 'Association rules' });
    await table.waitFor({ timeout: 60_000 });
    await page.getByRole('img', { name: 'Item network of the 25 rules with the highest lift' }).waitFor();
    const tasks = await longTasks();
    longest.rules = Math.max(0, ...tasks);
    const first = await table.locator('tbody tr').first().locator('td').allTextContents();
    figures.topRule = first.join(' ');
    figures.rulesSummary = await page.getByRole('region', { name: 'Rules result' }).locator('p').first().textContent();
    expect(Number(first[5])).toBeGreaterThan(1);
    await expect(table.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('img', { name: 'Rules by support and confidence, coloured by lift' }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: 'Item network of the 25 rules with the highest lift' }).count()).resolves.toBe(1);
    expect(tasks.filter((t) => t > 50)).toEqual([]);
    await page.getByRole('button', { name: 'Sort by support' }).click();
    const supports = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(supports.map(Number)).toEqual([...supports.map(Number)].sort((a, b) => b - a));

    await page.getByRole('button', { name: 'Export rules as CSV' }).click();
    // Every export passes the privacy check first (issue 8); the rules hold product names only.
    const guard = page.getByRole('dialog', { name: 'Before you export' });
    const [download] = await Promise.all([page.waitForEvent('download'), guard.getByRole('button', { name: /^Export( anyway)?$/ }).click()]);
    expect(download.suggestedFilename()).toBe('rules.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('antecedent,consequent,count,support,confidence,lift,leverage,conviction');
    expect(text.trim().split('\n').length).toBeGreaterThan(1);
  });

  it('mines the same baskets in wide form (one 0/1 column per product) into the same top rule', async () => {
    await room('Data').click();
    await page.getByRole('tab', { name: 'SQL' }).click();
    await page.getByLabel('SQL (DuckDB dialect)').fill('CREATE TABLE baskets_wide AS PIVOT (SELECT DISTINCT order_id, product FROM order_lines) ON product USING count(*) GROUP BY order_id');
    await page.getByRole('button', { name: 'Run query' }).click();
    await tableButton('baskets_wide').waitFor();
    await room('Rules').click();
    await page.getByLabel('Table of baskets').selectOption('baskets_wide');
    await page.getByRole('radio', { name: /^Wide form/ }).check();
    // Every product column is ticked; the basket id is not an item.
    const items = page.getByRole('group', { name: 'Item columns (0/1)' });
    await expect.poll(() => items.getByRole('checkbox', { checked: true }).count()).toBe(150);
    await expect(items.getByRole('checkbox', { name: 'order_id' }).isChecked()).resolves.toBe(false);
    await page.getByLabel('Support unit').selectOption('fraction');
    await page.getByLabel('Min support').fill('0.005');
    await page.getByLabel('Max itemset length').fill('3');
    await page.getByLabel('Min confidence').fill('0.05');
    await page.getByLabel('Min lift').fill('1');
    await page.getByRole('button', { name: 'Mine rules' }).click();
    const summary = page.getByRole('region', { name: 'Rules result' }).locator('p').first();
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toMatch(/^baskets_wide: 150 item columns/);
    // Same baskets, same thresholds: the long form's itemsets, rules and top rule, figure for figure.
    expect((await summary.textContent())!.replace(/^[^:]+:[^:]+:/, '')).toBe((figures.rulesSummary as string).replace(/^[^:]+:[^:]+:/, ''));
    // The table is still sorted by support from the test above: by lift, as the long form's was.
    await page.getByRole('button', { name: 'Sort by lift' }).click();
    const first = await page.getByRole('table', { name: 'Association rules' }).locator('tbody tr').first().locator('td').allTextContents();
    expect(first.join(' ')).toBe(figures.topRule);
  });

  it('says to raise the support when there are too many itemsets, keeping the rules', async () => {
    const table = page.getByRole('table', { name: 'Association rules' });
    const before = await table.locator('tbody tr').count();
    await page.getByLabel('Support unit').selectOption('count');
    await page.getByLabel('Min support').fill('1');
    await page.getByLabel('Max itemset length').fill('0');
    await page.getByRole('button', { name: 'Mine rules' }).click();
    const alert = page.getByRole('alert', { name: 'Rules error' });
    await expect.poll(() => alert.count(), { timeout: 90_000 }).toBe(1);
    await expect(alert.textContent()).resolves.toMatch(/frequent itemsets.*higher minimum support/);
    await expect(table.locator('tbody tr').count()).resolves.toBe(before);
  });

  it('has no console errors and made no foreign requests', () => {
    expect(app.consoleErrors).toEqual([]);
    const origin = new URL(page.url()).origin;
    expect(app.requests.filter((r) => !r.url.startsWith(origin) && !r.url.startsWith('blob:') && !r.url.startsWith('data:'))).toEqual([]);
  });
});
