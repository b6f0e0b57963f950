import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAppOnDemo, type RecordedPage } from './chromium';

const session = useAppOnDemo();
let app: RecordedPage;
beforeAll(() => {
  app = session.app();
});

describe('the Predict room on the telecom churn sample', () => {
  it('trains two models, moves the threshold, and scores the table back into DuckDB', async () => {
    const { page } = app;
    // The demo CRM has no outcome column: open the public mlc_churn dataset (modeldata, in
    // public/samples) as a file. (Loading it from the sample menu currently fails with "Cannot
    // perform %TypedArray%.prototype.some on a detached … ArrayBuffer" — see the report.)
    await page.getByLabel('Open files').setInputFiles([{ name: 'mlc_churn.csv', mimeType: 'text/csv', buffer: readFileSync('public/samples/mlc_churn.csv') }]);
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^mlc_churn / }).waitFor({ timeout: 60_000 });

    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Predict' }).click();
    await page.getByLabel('Table', { exact: true }).selectOption('mlc_churn');
    await expect.poll(() => page.getByLabel('Target column').inputValue(), { timeout: 20_000 }).toBe('churn');
    await expect.poll(() => page.getByLabel('Task').textContent(), { timeout: 20_000 }).toMatch(/^Classification: 2 classes/);
    const suggestions = page.getByRole('table', { name: 'Feature suggestions' });
    await expect.poll(() => suggestions.getByRole('row').count(), { timeout: 20_000 }).toBe(20);
    expect(await page.getByLabel('Use total_day_minutes').isChecked()).toBe(true);

    // DuckDB's sniffer reads the yes/no columns as BOOLEAN: the positive class is "true".
    // Logistic regression and the decision tree are on by default for classification.
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __observer?: PerformanceObserver };
      w.__longTasks = [];
      w.__observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration)));
      w.__observer.observe({ entryTypes: ['longtask'] });
    });
    await page.getByRole('button', { name: 'Train models' }).click();
    const board = page.getByRole('table', { name: 'Leaderboard' });
    await board.waitFor({ timeout: 90_000 });
    await page.getByRole('img', { name: /^Partial dependence/ }).first().waitFor();
    const longTasks = await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __observer?: PerformanceObserver };
      w.__observer?.disconnect();
      return w.__longTasks;
    });
    // The models run in the worker: the page never holds the main thread over 50 ms meanwhile.
    expect(longTasks.filter((t) => t > 50)).toEqual([]);
    const rowsText = await board.getByRole('row').allTextContents();
    expect(rowsText).toHaveLength(3);
    expect(rowsText.join(' ')).toMatch(/Logistic regression/);
    expect(rowsText.join(' ')).toMatch(/Decision tree \(depth 5\)/);
    // The AUC column of each model: a real model of churn, well above chance.
    const aucs = (await board.locator('tbody tr td:nth-child(7)').allTextContents()).map(Number);
    for (const auc of aucs) expect(auc).toBeGreaterThan(0.75);

    const recall = page.getByLabel('Recall at threshold');
    const before = await recall.textContent();
    await page.getByLabel(/^Threshold for churn = true/).fill('0.2');
    await expect.poll(() => recall.textContent()).not.toBe(before);
    // A lower threshold calls more customers churners: recall can only go up.
    expect(parseFloat((await recall.textContent())!)).toBeGreaterThan(parseFloat(before!));
    await expect(page.getByRole('img', { name: /^ROC curve of/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: /^Confusion matrix of .* at threshold 0\.20/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: /^Permutation importance of/ }).count()).resolves.toBe(1);

    await page.getByRole('button', { name: 'Score the table' }).click();
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^mlc_churn_scores / }).waitFor({ timeout: 60_000 });
    const top = page.getByRole('table', { name: 'Top customers at risk' });
    await page.getByRole('status').filter({ hasText: /^Scored 5,000 rows of mlc_churn with .*: table mlc_churn_scores\./ }).waitFor();
    await expect.poll(() => top.getByRole('row').count()).toBe(11);
    const topBefore = await top.textContent();
    expect(app.consoleErrors).toEqual([]);

    // Save the model as JSON, load the file back, and score again into another table: same scores.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model (JSON)' }).click()]);
    const json = await readFile((await download.path())!);
    await page.getByLabel('Load a model').setInputFiles([{ name: 'churn-model.json', mimeType: 'application/json', buffer: json }]);
    await page.getByRole('status').filter({ hasText: /^Loaded .* from churn-model\.json/ }).waitFor();
    await page.getByLabel('Scores table').fill('churn_again');
    await page.getByRole('button', { name: 'Score the table' }).click();
    await page.getByRole('status').filter({ hasText: /^Scored 5,000 rows of mlc_churn with .*: table churn_again\./ }).waitFor({ timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^churn_again / }).waitFor();
    await expect.poll(() => top.textContent()).toBe(topBefore);
    expect(app.consoleErrors).toEqual([]);
  }, 150_000);

  it('runs a grid search across the worker pool', async () => {
    const { page } = app;
    await page.getByLabel('Model to tune').selectOption('cart');
    await page.getByLabel('Tree depths').fill('2, 4');
    await page.getByLabel('Folds').fill('3');
    await page.getByRole('button', { name: 'Run grid search' }).click();
    const grid = page.getByRole('table', { name: 'Grid search results' });
    await grid.waitFor({ timeout: 60_000 });
    const rows = await grid.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    // Sorted by cross-validated AUC: on churn a depth-4 tree beats a depth-2 one.
    expect(rows[0]).toMatch(/^Decision tree \(depth 4\)/);
    expect(app.consoleErrors).toEqual([]);
  }, 90_000);

  it('treats a many-valued number as regression: R², MAE, RMSE and a residual plot', async () => {
    const { page } = app;
    await page.getByLabel('Target column').selectOption('total_day_charge');
    await expect.poll(() => page.getByLabel('Task').textContent(), { timeout: 20_000 }).toMatch(/^Regression/);
    // total_day_minutes is the charge at a fixed rate: flagged as leakage and left out.
    const minutes = page.getByRole('table', { name: 'Feature suggestions' }).getByRole('row').filter({ hasText: 'total_day_minutes' });
    await expect.poll(() => minutes.textContent()).toMatch(/leakage/);
    expect(await page.getByLabel('Use total_day_minutes').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Train models' }).click();
    await page.getByRole('img', { name: /^Residuals of/ }).waitFor({ timeout: 60_000 });
    const header = await page.getByRole('table', { name: 'Leaderboard' }).locator('thead').textContent();
    expect(header).toMatch(/R².*MAE.*RMSE/);

    // A long job (a 3,000-tree forest) shows progress and stops on Cancel; the leaderboard stays.
    await page.getByRole('checkbox', { name: 'Random forest' }).check();
    await page.getByLabel('Forest trees').fill('3000');
    await page.getByRole('button', { name: 'Train models' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Predict progress' }).textContent(), { timeout: 30_000 }).toMatch(/Random forest \(3000 trees\): fitting, tree \d+ of 3000/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Training was cancelled; earlier results are kept.' }).waitFor();
    await expect(page.getByRole('img', { name: /^Residuals of/ }).count()).resolves.toBe(1);
    expect(app.consoleErrors).toEqual([]);
  }, 90_000);
});
