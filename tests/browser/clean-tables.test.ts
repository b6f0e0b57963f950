import { beforeAll, describe, expect, it } from 'vitest';
import { useAppOnDemo, type RecordedPage } from './chromium';
import { addStep, makeTable, report, rowsOf, steps } from './recipe-steps';

// The Clean room and the tables around the recipe: a table of the analyst's with the cleaned
// table's name, a cleaned table another recipe joins, a source renamed in the sidebar.
const session = useAppOnDemo();
let app: RecordedPage;
beforeAll(() => {
  app = session.app();
});

describe("the cleaned table and the analyst's other tables", () => {
  it("leaves the analyst's own table named like the cleaned table as it is, and writes the next free name", async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Clean' }).click();
    await expect.poll(() => page.getByLabel('Source table').inputValue()).toBe('customers');
    await makeTable(page, "CREATE TABLE feedback_clean AS SELECT 'mine' AS note");
    const tables = page.getByRole('navigation', { name: 'Tables' });
    await page.getByLabel('Source table').selectOption('feedback');
    await addStep(page, 'Missing values', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('rating');
      await f.getByLabel('Strategy').selectOption('median');
    });
    await page.getByRole('status').filter({ hasText: '"feedback_clean" is a table this recipe did not write, so it stays as it is: the cleaned table is "feedback_clean_2".' }).waitFor({ timeout: 60_000 });
    await rowsOf(page, 1);
    await expect.poll(async () => (await tables.getByRole('button', { name: /^feedback_clean_2 / }).count())).toBe(1);
    expect(await tables.getByRole('button', { name: /^feedback_clean / }).textContent()).toContain('1 × 1');
    // The recipe keeps its name: the next run replaces its own table, not the analyst's.
    await page.getByRole('button', { name: 'Run recipe' }).click();
    await rowsOf(page, 1);
    expect(await tables.getByRole('button', { name: /^feedback_clean_3 / }).count()).toBe(0);
    expect(await tables.getByRole('button', { name: /^feedback_clean / }).textContent()).toContain('1 × 1');
    await page.getByRole('button', { name: 'Delete step 1' }).click();
  });

  it("joins another recipe's cleaned table after a reload, writing it by its recipe first", async () => {
    const { page } = app;
    await page.getByLabel('Source table').selectOption('orders');
    await addStep(page, 'Aggregate (group by)', async (f) => {
      await f.getByRole('checkbox', { name: 'customer_id' }).check();
    });
    await rowsOf(page, 1);
    await page.getByLabel('Source table').selectOption('customers');
    await expect.poll(() => steps(page).count()).toBe(0);
    // The form takes the keyboard, and Escape closes it.
    await page.getByLabel('Step kind').selectOption({ label: 'Join a table' });
    await page.getByRole('button', { name: 'Add step', exact: true }).click();
    const form = page.getByRole('form', { name: 'New step' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label'))).toBe('New step');
    await page.keyboard.press('Escape');
    await expect.poll(() => form.count()).toBe(0);
    // An incomplete form says what is missing and adds nothing.
    await page.getByRole('button', { name: 'Add step', exact: true }).click();
    await form.getByRole('button', { name: 'Save step' }).click();
    await expect(form.getByRole('alert', { name: 'New step problem' }).textContent()).resolves.toBe('step 1 (join ""): choose the table to join.');
    await form.getByLabel('Table to join').selectOption('orders_clean');
    await form.getByLabel('Key 1 here').selectOption('customer_id');
    await form.getByRole('button', { name: 'Save step' }).click();
    await expect(form.getByRole('alert', { name: 'New step problem' }).textContent()).resolves.toBe('step 1 (join "orders_clean"): choose the column of "orders_clean" to match on.');
    expect(await steps(page).count()).toBe(0);
    await form.getByLabel('Key 1 in orders_clean').selectOption('customer_id');
    await form.getByRole('button', { name: 'Save step' }).click();
    const [, joined] = await rowsOf(page, 1);
    await page.reload();
    await page.getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Clean' }).click();
    await expect.poll(() => steps(page).count()).toBe(1);
    expect(await rowsOf(page, 1)).toEqual([joined, joined]);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expect.poll(async () => page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^orders_clean / }).count()).toBe(1);
    await page.getByRole('button', { name: 'Delete step 1' }).click();
    expect(app.consoleErrors).toEqual([]);
  });

  it('keeps the recipe of a source renamed in the sidebar, and renames its cleaned table', async () => {
    const { page } = app;
    await makeTable(page, 'CREATE TABLE c2 AS SELECT i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS x FROM range(30) t(i)');
    const tables = page.getByRole('navigation', { name: 'Tables' });
    await page.getByLabel('Source table').selectOption('c2');
    await addStep(page, 'Missing values', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('x');
      await f.getByLabel('Strategy').selectOption('constant');
      await f.getByLabel('Fill value').fill('-1');
    });
    await rowsOf(page, 1);
    expect((await report(page, 1).textContent())!.match(/([\d,]+) cells changed/)![1]).toBe('10');
    await page.getByRole('button', { name: 'Rename c2', exact: true }).click();
    await page.getByLabel('New name for c2', { exact: true }).fill('c3');
    await page.getByLabel('New name for c2', { exact: true }).press('Enter');
    await expect.poll(() => page.getByLabel('Source table').inputValue()).toBe('c3');
    await expect.poll(() => steps(page).count()).toBe(1);
    await expect.poll(async () => (await report(page, 1).textContent())?.match(/([\d,]+) cells changed/)?.[1], { timeout: 60_000 }).toBe('10');
    await expect.poll(() => tables.getByRole('button', { name: /^c3_clean / }).count()).toBe(1);
    expect(await tables.getByRole('button', { name: /^c2_clean / }).count()).toBe(0);
    await page.getByRole('button', { name: 'Delete step 1' }).click();
    expect(app.consoleErrors).toEqual([]);
  });
});
