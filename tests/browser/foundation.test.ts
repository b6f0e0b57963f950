import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, openApp, type RecordedPage } from './chromium';

let browser: Browser;
let app: RecordedPage;
let page: Page;

const csv = (text: string) => Buffer.from(text);

async function upload(files: { name: string; mimeType: string; buffer: Buffer }[], options: { skipBadRows?: boolean } = {}) {
  const skip = page.getByLabel('Load, skipping bad rows');
  if ((await skip.isChecked()) !== Boolean(options.skipBadRows)) await skip.click();
  await page.getByLabel('Open files').setInputFiles(files);
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count(), { timeout: 60_000 }).toBe(0);
}

function tableButton(name: string) {
  return page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: new RegExp(`^${name} `) });
}

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser);
  page = app.page;
  await page.getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
});

describe('the app shell on the built-in sample', () => {
  it('opens on the demo CRM data with the engine running locally', async () => {
    // The eh build by default (see README: the threaded coi build is opt-in); files are read
    // through their File handles in it, which the uploads below exercise.
    await expect.poll(() => page.getByLabel('Engine').textContent()).toMatch(/DuckDB v1\.4\.3 \(eh build\)/);
    for (const t of ['customers', 'orders', 'order_lines', 'feedback']) await expect(tableButton(t).count()).resolves.toBe(1);
    const firstCell = page.getByRole('grid', { name: 'Rows of customers' }).getByRole('gridcell').first();
    await expect.poll(() => firstCell.textContent(), { timeout: 30_000 }).toBe('1');
    await expect(page.getByLabel('Memory used').textContent()).resolves.toMatch(/MiB|KiB/);
  });

  it('reads every asset from its own origin', async () => {
    const origin = new URL(baseUrl()).origin;
    const foreign = app.requests.filter((r) => !r.url.startsWith(origin) && !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(app.requests.filter((r) => r.hasBody)).toEqual([]);
  });
});

describe('loading files through the file input', () => {
  it('uploads a CSV and profiles its columns', async () => {
    await upload([{ name: 'spend.csv', mimeType: 'text/csv', buffer: csv('customer,spend,joined\nann,10,2024-01-05\nbob,20,2024-02-10\ncat,,2024-02-11\ndan,40,2024-03-01\n') }]);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loaded spend' }).count()).toBe(1);
    await expect(tableButton('spend').textContent()).resolves.toContain('4 × 3');
    await expect(page.getByText(/Dialect: delimiter/).textContent()).resolves.toContain('header');
    await page.getByRole('tab', { name: 'Profile' }).click();
    const spend = page.getByRole('article', { name: 'spend' });
    await spend.waitFor();
    const facts = await spend.textContent();
    expect(facts).toContain('Missing1 (25.0 %)');
    expect(facts).toContain('Mean23.33');
    expect(facts).toContain('Median20');
    await expect(spend.getByRole('img', { name: 'Histogram of spend' }).count()).resolves.toBe(1);
    const joined = await page.getByRole('article', { name: 'joined' }).textContent();
    expect(joined).toContain('From2024-01-05');
    expect(joined).toContain('To2024-03-01');
    await expect(page.getByRole('img', { name: 'Rows per month of joined' }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: 'Most frequent values of customer' }).count()).resolves.toBe(1);
  });

  it('reads Parquet, JSON and Excel in the ingest worker', async () => {
    await upload([
      { name: 'orders.parquet', mimeType: 'application/octet-stream', buffer: readFileSync('tests/fixtures/ingest/orders.parquet') },
      { name: 'events.json', mimeType: 'application/json', buffer: csv(JSON.stringify([{ id: 1, kind: 'visit' }, { id: 2, kind: 'buy' }])) },
      { name: 'book.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync('tests/fixtures/ingest/book.xlsx') },
    ]);
    await expect(tableButton('orders_2').textContent()).resolves.toContain('1,000 × 6');
    await expect(tableButton('events').textContent()).resolves.toContain('2 × 2');
    await expect(tableButton('book_customers').textContent()).resolves.toContain('3 × 4');
    await expect(tableButton('book_orders').textContent()).resolves.toContain('10 × 3');
  });

  it('refuses a binary file with a clear message and keeps every table', async () => {
    const before = await page.getByRole('navigation', { name: 'Tables' }).getByRole('listitem').count();
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
    await upload([{ name: 'export.csv', mimeType: 'text/csv', buffer: garbage }]);
    const alert = page.getByRole('alert', { name: 'Load error' });
    await expect(alert.textContent()).resolves.toMatch(/export\.csv does not look like text/);
    await expect(page.getByRole('navigation', { name: 'Tables' }).getByRole('listitem').count()).resolves.toBe(before);
  });

  it('names the line of a ragged row, then loads the rest skipping it', async () => {
    const ragged = csv('id,name,amount\n1,ann,10\n2,bob\n3,cat,30\n');
    await upload([{ name: 'ragged.csv', mimeType: 'text/csv', buffer: ragged }]);
    await expect(page.getByRole('alert', { name: 'Load error' }).textContent()).resolves.toMatch(/ragged\.csv: line 3 has 2 fields where the header has 3/);
    await upload([{ name: 'ragged.csv', mimeType: 'text/csv', buffer: ragged }], { skipBadRows: true });
    await expect(tableButton('ragged').textContent()).resolves.toContain('2 × 3');
    await page.getByRole('tab', { name: 'Data' }).click();
    const rejected = page.getByRole('table', { name: 'Rejected lines' });
    await expect(rejected.getByRole('row').nth(1).getByRole('cell').allTextContents()).resolves.toEqual(['3', 'amount', 'Expected Number of Columns: 3 Found: 2', '2,bob']);
  });

  it('reloads a CSV with a column type the analyst chose', async () => {
    await upload([{ name: 'zips.csv', mimeType: 'text/csv', buffer: csv('zip,n\n01234,1\n99999,2\n') }]);
    await page.getByText(/Dialect: delimiter/).click();
    await page.getByLabel('zip', { exact: true }).selectOption('VARCHAR');
    await page.getByRole('button', { name: 'Reload with this dialect' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Reloaded zips' }).count()).toBe(1);
    const cell = page.getByRole('grid', { name: 'Rows of zips' }).getByRole('gridcell').first();
    await expect.poll(() => cell.textContent()).toBe('01234');
  });
});

describe('tables and the SQL console', () => {
  it('renames and drops a table', async () => {
    await page.getByRole('button', { name: 'Rename events' }).click();
    const input = page.getByLabel('New name for events');
    await input.fill('web_events');
    await input.press('Enter');
    await expect.poll(() => tableButton('web_events').count()).toBe(1);
    await page.getByRole('button', { name: 'Drop web_events' }).click();
    await expect.poll(() => tableButton('web_events').count()).toBe(0);
  });

  it('runs DuckDB SQL, shows errors inline and refuses the network', async () => {
    await tableButton('orders').click();
    await page.getByRole('tab', { name: 'SQL' }).click();
    const sql = page.getByLabel('SQL (DuckDB dialect)');
    await sql.fill('SELECT region, count(*) AS n FROM orders_2 GROUP BY region ORDER BY region');
    await page.getByRole('button', { name: 'Run query' }).click();
    const grid = page.getByRole('grid', { name: 'Query result' });
    await expect.poll(() => grid.getByRole('row').nth(1).getByRole('gridcell').allTextContents()).toEqual(['East', '250']);
    await sql.fill('SELECT no_such_column FROM orders_2');
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect(page.getByRole('alert', { name: 'Query error' }).textContent()).resolves.toMatch(/no_such_column/);
    await sql.fill("SELECT * FROM read_csv('https://example.com/customers.csv')");
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect(page.getByRole('alert', { name: 'Query error' }).textContent()).resolves.toMatch(/Remote locations .* are refused/);
    await sql.fill('LOAD httpfs');
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect(page.getByRole('alert', { name: 'Query error' }).textContent()).resolves.toMatch(/LOAD is refused/);
  });

  it('has no console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
