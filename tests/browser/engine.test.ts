import { beforeAll, describe, expect, it } from 'vitest';
import { useAppOnDemo, type RecordedPage } from './chromium';
// @ts-expect-error plain ESM module shared with the static server
import { CONTENT_SECURITY_POLICY } from '../../scripts/headers.mjs';

const session = useAppOnDemo();
let app: RecordedPage;
beforeAll(() => {
  app = session.app();
});

describe('the security headers', () => {
  it('sends the Content-Security-Policy on the page, every worker script and the service worker', async () => {
    const { page, context } = app;
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => /worker.*\.js$/.test(p)),
    );
    expect(scripts.length).toBeGreaterThanOrEqual(2); // DuckDB's worker and the ingest worker
    for (const path of ['/', '/sw.js', ...scripts]) {
      const response = await context.request.get(new URL(path, page.url()).href);
      expect(response.headers()['content-security-policy'], path).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers()['cross-origin-embedder-policy'], path).toBe('require-corp');
    }
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });
});

describe('the engine', () => {
  it('never fetches an extension, even when asked directly', async () => {
    const { page } = app;
    const origin = new URL(page.url()).origin;
    const outcomes = await page.evaluate(async () => {
      const db = (window as unknown as { __clientele: { workspace: { db: { query(s: string): Promise<unknown> } } } }).__clientele.workspace.db;
      const out: string[] = [];
      // An explicit LOAD is stopped by the console's guard before it reaches the engine (it would
      // make duckdb-wasm try to download the extension, which the CSP then blocks and the engine
      // waits on); see foundation.test.ts and tests/db/no-network.test.ts.
      for (const sql of ["SELECT * FROM read_parquet('x.parquet')", "SELECT * FROM read_json_auto('x.json')", 'SET autoload_known_extensions = true']) {
        out.push(await db.query(sql).then(() => 'ran', (e: Error) => e.message.split('\n')[0]));
      }
      return out;
    });
    expect(outcomes[0]).toMatch(/exists in the parquet extension/);
    expect(outcomes[1]).toMatch(/exists in the json extension/);
    expect(outcomes[2]).toMatch(/configuration has been locked/);
    expect(app.requests.filter((r) => !r.url.startsWith(origin) && !r.url.startsWith('blob:'))).toEqual([]);
  });

  it('scrolls a million-row table to its last row', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'SQL' }).click();
    await page.getByLabel('SQL (DuckDB dialect)').fill("CREATE TABLE big AS SELECT range AS id, range % 97 AS bucket, 'row ' || range AS label FROM range(1000000)");
    await page.getByRole('button', { name: 'Run query' }).click();
    const big = page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^big / });
    await big.waitFor();
    await big.click();
    await page.getByRole('tab', { name: 'Data' }).click();
    const grid = page.getByRole('grid', { name: 'Rows of big' });
    await expect(grid.getAttribute('aria-rowcount')).resolves.toBe('1000001');
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastRow = grid.getByRole('row').last();
    await expect.poll(() => lastRow.getByRole('rowheader').textContent(), { timeout: 20_000 }).toBe('1,000,000');
    await expect.poll(() => lastRow.getByRole('gridcell').allTextContents(), { timeout: 20_000 }).toEqual(['999999', '26', 'row 999999']);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(() => grid.getByRole('rowheader').first().textContent(), { timeout: 20_000 }).toMatch(/^500,0\d\d$/);
  });

  it('rejects pending calls when the engine crashes, restarts it and reloads every table', async () => {
    const { page } = app;
    const tablesBefore = await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /×/ }).allTextContents();
    const outcome = await page.evaluate(async () => {
      const w = (window as unknown as { __clientele: { workspace: { db: { query(s: string): Promise<unknown>; simulateCrash(): void } } } }).__clientele.workspace;
      const pending = w.db.query('SELECT count(*) FROM range(100000000) a, range(10) b');
      w.db.simulateCrash();
      return pending.then(
        () => 'resolved',
        (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
      );
    });
    expect(outcome).toMatch(/^engine-crashed: The database engine crashed/);
    const alert = page.getByRole('alert', { name: 'Load error' });
    await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toMatch(/All tables were reloaded/);
    await expect(page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /×/ }).allTextContents()).resolves.toEqual(tablesBefore);
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^orders / }).click();
    const cell = page.getByRole('grid', { name: 'Rows of orders' }).getByRole('gridcell').first();
    await expect.poll(() => cell.textContent(), { timeout: 20_000 }).toBe('1');
  });
});
