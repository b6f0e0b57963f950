import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAppOnDemo, type RecordedPage } from './chromium';

const session = useAppOnDemo();
let app: RecordedPage;
beforeAll(() => {
  app = session.app();
});

/** The row count in the chi-square status line ("… over 12,345 rows"). */
async function crosstabRows(): Promise<number> {
  const text = (await app.page.getByRole('status', { name: 'Chi-square test' }).textContent()) ?? '';
  return Number(text.match(/over ([\d,]+) rows/)![1].replace(/,/g, ''));
}

describe('the Explore room on the demo data', () => {
  let ordersRows = 0;

  it('draws a histogram of the orders amount and redraws it with another bin count', async () => {
    const { page } = app;
    const orders = await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^orders / }).textContent();
    ordersRows = Number(orders!.match(/([\d,]+) ×/)![1].replace(/,/g, ''));
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Explore' }).click();
    await expect.poll(() => page.getByLabel('Table', { exact: true }).inputValue()).toBe('orders');
    const histogram = page.getByRole('img', { name: 'Histogram of amount, 20 bins' });
    await histogram.waitFor({ timeout: 30_000 });
    expect(await histogram.locator('.marks rect').count()).toBe(20);
    await page.getByLabel('Bins', { exact: true }).fill('35');
    await page.getByLabel('Bins', { exact: true }).press('Enter');
    await page.getByRole('img', { name: 'Histogram of amount, 35 bins' }).waitFor();
    const bars = page.getByRole('img', { name: 'Histogram of amount, 35 bins' }).locator('.marks rect title');
    expect(await bars.count()).toBe(35);
    // Every order with an amount is in exactly one bin.
    const counts = (await bars.allTextContents()).map((t) => Number(t.match(/: ([\d,]+) rows/)![1].replace(/,/g, '')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(ordersRows);
    await page.getByRole('img', { name: 'Box plot of amount' }).waitFor();
    await page.getByRole('img', { name: 'Density of amount' }).waitFor();
  });

  it('shows the correlation heatmap, Pearson and Spearman, and a crosstab with its chi-square test', async () => {
    const { page } = app;
    const pearson = page.getByRole('img', { name: 'Pearson correlation matrix' });
    await pearson.waitFor();
    expect(await pearson.locator('rect').count()).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Method').selectOption('spearman');
    await page.getByRole('img', { name: 'Spearman correlation matrix' }).waitFor();

    const status = page.getByRole('status', { name: 'Chi-square test' });
    await status.waitFor();
    const text = (await status.textContent())!;
    const [, df] = text.match(/df = (\d+)/)!;
    const table = page.getByRole('table', { name: /^Crosstab of / });
    const rowsShown = (await table.locator('tbody tr').count());
    const colsShown = (await table.locator('thead th').count()) - 2;
    expect(Number(df)).toBe((rowsShown - 1) * (colsShown - 1));
    expect(text).toMatch(/χ² = [\d.]+, df = \d+, p (= [\d.e-]+|< 1e-300) over [\d,]+ rows/);
    expect(await crosstabRows()).toBe(ordersRows);
  });

  it("brushing a range on the histogram filters the other charts' queries, and clearing restores them", async () => {
    const { page } = app;
    const svg = page.getByRole('img', { name: /^Histogram of amount/ });
    const box = (await svg.boundingBox())!;
    // The plot spans x 52…446 of the 460-wide view box: drag across its left part.
    const sx = box.width / 460;
    await page.mouse.move(box.x + 60 * sx, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 120 * sx, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + 160 * sx, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const filter = page.getByRole('status', { name: 'Active filter' });
    await filter.waitFor();
    expect(await filter.textContent()).toMatch(/amount from [\d.]+ to [\d.]+/);
    await expect.poll(crosstabRows, { timeout: 15_000 }).toBeLessThan(ordersRows);
    const filtered = await crosstabRows();
    expect(filtered).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await expect.poll(crosstabRows, { timeout: 15_000 }).toBe(ordersRows);

    // The same filter from the keyboard: a typed range.
    await page.getByLabel('Filter amount from').fill('20');
    await page.getByLabel('to', { exact: true }).fill('60');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => filter.textContent()).toMatch(/amount from 20 to 60/);
    await expect.poll(crosstabRows, { timeout: 15_000 }).toBeLessThan(filtered);
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await expect.poll(crosstabRows, { timeout: 15_000 }).toBe(ordersRows);
  });

  it('downloads a chart as SVG and PNG, and its data as CSV', async () => {
    const { page } = app;
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Histogram of amount as SVG' }).click()]);
    expect(svgFile.suggestedFilename()).toBe('histogram-of-amount.svg');
    const svg = readFileSync((await svgFile.path())!, 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect /g)!.length).toBeGreaterThanOrEqual(35);
    expect(svg).not.toContain('class="brush"');

    const [pngFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Histogram of amount as PNG' }).click()]);
    const png = readFileSync((await pngFile.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const [csvFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Histogram of amount data as CSV' }).click()]);
    const lines = readFileSync((await csvFile.path())!, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('from,to,rows');
    expect(lines).toHaveLength(36);
    expect(lines.slice(1).reduce((a, l) => a + Number(l.split(',')[2]), 0)).toBe(ordersRows);
    expect(app.consoleErrors).toEqual([]);
    expect(app.requests.filter((r) => !r.url.startsWith('http://localhost') && !r.url.startsWith('blob:') && !r.url.startsWith('data:'))).toEqual([]);
  });

  it('downloads a crosstab at once when every cell holds at least k rows, and through the privacy check when one is smaller', async () => {
    const { page } = app;
    const crosstab = async (rows: string, columns: string) => {
      await page.getByLabel('Crosstab rows').selectOption(rows);
      await page.getByLabel('Crosstab columns').selectOption(columns);
      const table = page.getByRole('table', { name: `Crosstab of ${rows} by ${columns}` });
      await table.waitFor({ timeout: 15_000 });
      // Every count cell (the last one of a row is its total).
      return (await table.locator('tbody td:not(:last-child)').allTextContents()).map((n) => Number(n.replace(/,/g, '')));
    };
    const note = page.getByRole('note', { name: 'Small cells' });
    const button = (name: string) => page.getByRole('button', { name: `Download crosstab of ${name} data as CSV` });

    // channel × status: the demo's smallest cell is 15 orders, so the CSV is k-anonymous for k = 5.
    const big = await crosstab('channel', 'status');
    expect(Math.min(...big.filter((n) => n > 0))).toBeGreaterThanOrEqual(5);
    expect(await note.count()).toBe(0);
    const [direct] = await Promise.all([page.waitForEvent('download'), button('channel by status').click()]);
    const lines = readFileSync((await direct.path())!, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('channel,status,count,rows');
    expect(lines.slice(1).reduce((a, l) => a + Number(l.split(',')[2]), 0)).toBe(ordersRows);

    // payment × status: some cells hold fewer than 5 orders (bank transfer × cancelled: 4).
    const cells = await crosstab('payment', 'status');
    const small = cells.filter((n) => n > 0 && n < 5).length;
    expect(small).toBeGreaterThan(0);
    await expect(note.textContent()).resolves.toMatch(new RegExp(`^\\s*${small} cells? counts? fewer than 5 rows`));
    await button('payment by status').click();
    const guard = page.getByRole('dialog', { name: 'Before you export' });
    await expect(guard.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Before you export the crosstab of payment by status as CSV');
    await guard.getByText('No column of the export looks like personal data', { exact: false }).waitFor();
    const [guarded] = await Promise.all([page.waitForEvent('download'), guard.getByRole('button', { name: 'Export', exact: true }).click()]);
    expect(guarded.suggestedFilename()).toBe('crosstab-payment-status.csv');
    expect(readFileSync((await guarded.path())!, 'utf8').split('\n')[0]).toBe('payment,status,count,rows');
    expect(app.consoleErrors).toEqual([]);
  });
});
