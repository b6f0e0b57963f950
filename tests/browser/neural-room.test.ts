import { beforeAll, describe, expect, it } from 'vitest';
import { useAppOnDemo, type RecordedPage } from './chromium';

// The MLP in the Predict leaderboard and the Neural room, on the built-in demo. Headless
// Chromium here has no usable GPU: the automatic backend is WASM.
const session = useAppOnDemo();
let app: RecordedPage;
beforeAll(() => {
  app = session.app();
});

describe('neural models in the product', () => {
  it('the MLP trains on the Predict split and appears in the leaderboard next to the tree', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Predict' }).click();
    await page.getByLabel('Table', { exact: true }).selectOption('customers');
    await page.getByLabel('Target column').selectOption('plan');
    await expect.poll(() => page.getByLabel('Task').textContent(), { timeout: 20_000 }).toMatch(/^Classification: 3 classes/);
    await page.getByRole('checkbox', { name: 'Logistic regression' }).uncheck();
    await page.getByRole('checkbox', { name: 'Decision tree' }).check();
    await page.getByRole('checkbox', { name: 'Neural net (MLP)' }).check();
    await page.getByRole('button', { name: 'Train models' }).click();
    const board = page.getByRole('table', { name: 'Leaderboard' });
    await board.waitFor({ timeout: 90_000 });
    const rows = await board.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^Decision tree/);
    expect(rows[1]).toMatch(/^Neural net \(MLP 64-32\) on wasm/);
    console.info(`[neural-room] leaderboard: ${rows.join(' | ')}`);
    // Same columns for both: accuracy … AUC as numbers in [0, 1].
    const cells = (await board.locator('tbody tr').nth(1).locator('td').allTextContents()).slice(1, 7).map(Number);
    expect(cells.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Selecting the net shows its test-part detail and explanations like any model's: permutation
    // importance and partial dependence computed in the neural worker; per-customer reasons
    // (which need a pipeline model) are pointed elsewhere.
    await board.getByRole('button', { name: /^Neural net/ }).click();
    await page.getByRole('img', { name: /^Confusion matrix of Neural net/ }).waitFor();
    await page.getByRole('img', { name: /^Permutation importance of Neural net/ }).waitFor();
    await expect(page.getByRole('img', { name: /^Partial dependence of P\(plan = .+\) on / }).count()).resolves.toBe(3);
    await expect(page.getByText(/^Per-customer reasons and scoring the table use the pipeline models/).count()).resolves.toBe(1);
    expect(app.consoleErrors).toEqual([]);
  });

  it('trains a text model on the demo feedback with live curves, shows the backend and word attributions', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Neural' }).click();
    await expect.poll(() => page.getByLabel('Table', { exact: true }).inputValue(), { timeout: 20_000 }).toBe('feedback');
    await expect.poll(() => page.getByLabel('Text column', { exact: true }).inputValue()).toBe('text');
    expect(await page.getByLabel('Label column', { exact: true }).inputValue()).toBe('rating');
    await expect.poll(() => page.getByLabel('Backend in use').textContent(), { timeout: 30_000 }).toMatch(/Running on wasm/);
    await page.getByLabel('Epochs', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Train network' }).click();
    // The curve is drawn after each epoch, before training ends.
    // Checked on every animation frame: an epoch of this small model can take well under a second.
    const live = await page.waitForFunction(
      () => {
        const svg = document.querySelector('svg[aria-label^="Loss by epoch (1 of 3)"]');
        return svg && document.querySelector('[aria-label="Neural progress"]') ? svg.querySelectorAll('circle').length : 0;
      },
      null,
      { polling: 'raf', timeout: 60_000 },
    );
    // One dot per series (training and validation loss) for the single epoch done so far.
    expect(await live.jsonValue()).toBe(2);
    const figures = page.getByRole('status', { name: 'Test figures' });
    await figures.waitFor({ timeout: 60_000 });
    const text = (await figures.textContent())!;
    const [, accuracy, baseline] = text.match(/Test accuracy ([\d.]+) %.*most common class: ([\d.]+) %/s)!.map(Number);
    console.info(`[neural-room] feedback text model: ${text.replace(/\s+/g, ' ').trim()}`);
    // Ratings follow the review's wording: the classifier beats always guessing the commonest rating.
    expect(accuracy).toBeGreaterThan(baseline);
    expect(text).toMatch(/on wasm/);
    await page.getByRole('img', { name: /^Validation accuracy by epoch/ }).waitFor();

    await page.getByLabel('Text to explain').fill('Terrible service, the parcel arrived broken and late.');
    await page.getByRole('button', { name: 'Show the words that move the prediction' }).click();
    const words = page.getByRole('table', { name: 'Word attributions' });
    await words.waitFor({ timeout: 30_000 });
    const listed = await words.locator('tbody td:first-child').allTextContents();
    expect(listed).toHaveLength(8);
    expect(listed).toEqual(expect.arrayContaining(['terrible', 'broken']));
    expect(app.consoleErrors).toEqual([]);
  });

  it('saves the model in this browser and cancels a long training run', async () => {
    const { page } = app;
    await page.getByLabel('Save as').fill('feedback-rating');
    await page.getByRole('button', { name: 'Save model in this browser' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the model as "feedback-rating"' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByLabel('Saved models').locator('option').allTextContents()).toContain('feedback-rating');

    await page.getByLabel('Epochs', { exact: true }).fill('200');
    await page.getByLabel('Early stopping (restore the best weights)').uncheck();
    await page.getByRole('button', { name: 'Train network' }).click();
    await page.waitForFunction(() => document.querySelector('svg[aria-label^="Loss by epoch (1 of 200)"]'), null, { polling: 'raf', timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel training' }).click();
    await page.getByRole('status').filter({ hasText: 'Training was cancelled.' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('status', { name: 'Neural progress' }).count()).toBe(0);

    // The saved model survives the cancelled worker: load it back and explain with it.
    await page.getByLabel('Saved models').selectOption('feedback-rating');
    await page.getByRole('button', { name: 'Load model' }).click();
    await page.getByRole('status').filter({ hasText: 'Loaded "feedback-rating"' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Show the words that move the prediction' }).click();
    await page.getByRole('table', { name: 'Word attributions' }).waitFor({ timeout: 30_000 });
    expect(app.consoleErrors).toEqual([]);
  });

  it('trains a GRU on each customer\'s monthly activity from the demo orders, and the backend can be overridden', async () => {
    const { page } = app;
    await page.getByRole('radio', { name: /^Customer activity sequence/ }).check();
    await expect.poll(() => page.getByLabel('Table', { exact: true }).inputValue(), { timeout: 20_000 }).toBe('orders');
    // The mapping is suggested from the column names and types (core/crm/column-mapping.ts).
    await expect.poll(() => page.getByLabel('Order date column').inputValue()).toBe('order_date');
    expect(await page.getByLabel('Customer id column').inputValue()).toBe('customer_id');
    expect(await page.getByLabel('Amount column').inputValue()).toBe('amount');
    await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
    await expect.poll(() => page.getByLabel('Backend in use').textContent(), { timeout: 30_000 }).toMatch(/Running on cpu \(your choice\)/);
    await page.getByLabel('Network type').selectOption('gru');
    await page.getByLabel('Epochs', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Train network' }).click();
    const figures = page.getByRole('status', { name: 'Test figures' });
    await figures.waitFor({ timeout: 60_000 });
    const text = (await figures.textContent())!;
    console.info(`[neural-room] orders GRU: ${text.replace(/\s+/g, ' ').trim()}`);
    expect(text).toMatch(/2 epochs on cpu/);
    const auc = Number(text.match(/AUC ([\d.]+)/)![1]);
    expect(auc).toBeGreaterThan(0.5);
    await page.getByText(/customers active in the 6 months from \d{4}-\d{2}-01; target: no purchase in the 2 months from/).waitFor();
    await page.getByRole('button', { name: 'Score customers into customer_churn_scores' }).click();
    await page.getByRole('status').filter({ hasText: /Scored [\d,]+ customers from their last 6 months: table customer_churn_scores/ }).waitFor({ timeout: 30_000 });
    const scores = page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^customer_churn_scores / });
    await scores.waitFor();
    // customer_id and p_churns, one row per customer with an order in the last 6 months.
    expect(await scores.textContent()).toMatch(/[\d,]+ × 2/);
    await page.getByLabel('Backend', { exact: true }).selectOption('auto');
    expect(app.consoleErrors).toEqual([]);
  });
});
