import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAppOnDemo, type RecordedPage } from './chromium';
import { acceptRegionSuggestion, addStep, num, report, rowsOf, steps } from './recipe-steps';

const session = useAppOnDemo();
let app: RecordedPage;
beforeAll(() => {
  app = session.app();
});

/** A preview cell's text without its visually hidden "(changed)" mark. */
const unmarked = (s: string) => s.replace(/ \(changed\)$/, '');

describe('the Clean room on the demo data', () => {
  it('builds a 6-step recipe by clicking, with per-step counts, and the cleaned table in the workspace', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Clean' }).click();
    await expect.poll(() => page.getByLabel('Source table').inputValue()).toBe('customers');

    // 1: a profile suggestion, accepted with one click (the demo writes regions as 'north', 'NORTH ', blanks…).
    await acceptRegionSuggestion(page);
    await expect.poll(() => steps(page).count()).toBe(1);
    // 2–6 through the forms.
    await addStep(page, 'Clean text (trim, case)', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('region');
      await f.getByLabel('Operation').selectOption('lower');
    });
    await addStep(page, 'Missing values', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('age');
      await f.getByLabel('Strategy').selectOption('median');
      await f.getByLabel('Add an is-missing indicator').check();
    });
    await addStep(page, 'Range rule', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('age');
      await f.getByLabel('Minimum').fill('21');
      await f.getByLabel('Maximum').fill('80');
      await f.getByLabel('Values outside').selectOption('clip');
    });
    await addStep(page, 'Label / ordinal encode', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('region');
      await f.getByLabel('First code').fill('1');
      await f.getByLabel('New column name (optional)').fill('region_code');
    });
    await addStep(page, 'Filter rows', async (f) => {
      await f.getByLabel('Condition 1 column').selectOption('age');
      await f.getByLabel('Condition 1 operator').selectOption('>=');
      await f.getByLabel('Condition 1 value').fill('30');
    });
    await expect.poll(() => steps(page).count()).toBe(6);

    // Each step reports rows in → out; only the filter drops rows.
    expect(await rowsOf(page, 1)).toEqual([2000, 2000]);
    const [in6, out6] = await rowsOf(page, 6);
    expect(in6).toBe(2000);
    expect(out6).toBeGreaterThan(1000);
    expect(out6).toBeLessThan(2000);
    // The spelling map and the median fill changed cells (3 % of ages are missing in the demo).
    expect(num((await report(page, 1).textContent())!.match(/([\d,]+) cells changed/)![1])).toBeGreaterThan(0);
    const filled = num((await report(page, 3).textContent())!.match(/([\d,]+) cells changed/)![1]);
    expect(filled).toBeGreaterThan(20);
    expect(filled).toBeLessThan(120);
    expect(await report(page, 3).textContent()).toContain('added age_missing');
    expect(await report(page, 5).textContent()).toContain('added region_code');
    // What the steps were fitted with: the median, and the label codes of the lower-cased regions
    // (sorted, from 1; the demo's typos 'Nrth', 'Soth', 'Wets' are not case variants, so they stay).
    await expect(page.getByLabel('Step 3 fitted').textContent()).resolves.toMatch(/^Fitted: fill value \d+(\.5)? \(median\)$/);
    await expect(page.getByLabel('Step 5 fitted').textContent()).resolves.toBe('Fitted: codes "east" = 1, "north" = 2, "nrth" = 3, "soth" = 4, "south" = 5, "west" = 6, "wets" = 7');

    // Opening the suggested spelling map and saving it unchanged keeps every mapping, those of
    // values with spaces at their ends ('North ') included: opened again, it reads the same.
    const mappings = page.getByLabel('Mappings (one per line: old -> new)');
    await page.getByRole('button', { name: 'Edit step 1' }).click();
    const text = await mappings.inputValue();
    expect(text).toMatch(/^"[^"]* " -> /m);
    await page.getByRole('form', { name: 'Edit step 1' }).getByRole('button', { name: 'Save step' }).click();
    await page.getByRole('button', { name: 'Edit step 1' }).click();
    expect(await mappings.inputValue()).toBe(text);
    await page.getByRole('form', { name: 'Edit step 1' }).getByRole('button', { name: 'Cancel' }).click();
    await rowsOf(page, 6);

    // Before/after preview of the selected step: the rows the step changed, its column first.
    await page.getByRole('button', { name: 'Preview step 2' }).click();
    const after2 = page.getByRole('table', { name: 'After step 2' });
    await after2.waitFor();
    await after2.getByRole('columnheader', { name: 'region VARCHAR' }).first().waitFor();
    const regions = (await after2.locator('td:nth-child(1)').allTextContents()).map(unmarked);
    expect(regions.length).toBeGreaterThan(0);
    expect(regions.every((r) => r === r.toLowerCase())).toBe(true);
    // The spelling map: misspelled regions before, their one spelling (or missing, for a blank) after, marked as changed.
    await page.getByRole('button', { name: 'Preview step 1' }).click();
    const [before1, after1] = [page.getByRole('table', { name: 'Before step 1' }), page.getByRole('table', { name: 'After step 1' })];
    await after1.waitFor();
    expect(await before1.getByRole('columnheader').first().textContent()).toMatch(/^region\s+VARCHAR$/);
    const was = await before1.locator('td:nth-child(1)').allTextContents();
    const now = (await after1.locator('td:nth-child(1)').allTextContents()).map(unmarked);
    expect(was).toHaveLength(5);
    expect(now).toHaveLength(5);
    now.forEach((v, i) => {
      expect(v).not.toBe(was[i]);
      // The canonical spelling is one of the spellings seen ('North'): the same letters, trimmed.
      if (was[i].trim() === '') expect(v).toBe('null');
      else expect([v, v.toLowerCase()]).toEqual([v.trim(), was[i].trim().toLowerCase()]);
    });
    expect(await after1.getByRole('cell', { name: /\(changed\)$/ }).count()).toBe(5);
    expect(await after1.locator('td.changed').count()).toBe(5);
    expect(await page.getByText(/^5 of the rows the step changed \([\d,]+ cells changed in all\)/).count()).toBe(1);
    // Step 3 (median fill with an indicator): the filled ages were missing; the indicator column is marked new.
    await page.getByRole('button', { name: 'Preview step 3' }).click();
    const after3 = page.getByRole('table', { name: 'After step 3' });
    await after3.getByRole('columnheader', { name: 'age_missing BOOLEAN new' }).waitFor();
    expect(await page.getByRole('table', { name: 'Before step 3' }).locator('td:nth-child(1)').allTextContents()).toEqual(Array(5).fill('null'));
    expect(await after3.locator('td:nth-child(2)').allTextContents()).toEqual(Array(5).fill('true'));

    // The cleaned table is a workspace table the other rooms can use.
    const tables = page.getByRole('navigation', { name: 'Tables' });
    await expect.poll(async () => (await tables.getByRole('button', { name: /^customers_clean / }).textContent()) ?? '', { timeout: 30_000 }).toContain(`${out6.toLocaleString('en-US')} × 11`);
    expect(app.consoleErrors).toEqual([]);
  });

  it('shows a failing step inline with DuckDB-side detail, leaves the source as it was, and undoes', async () => {
    const { page } = app;
    const tables = page.getByRole('navigation', { name: 'Tables' });
    const before = await tables.getByRole('button', { name: /^customers / }).textContent();
    const [, out6] = await rowsOf(page, 6);
    await addStep(page, 'Change type', async (f) => {
      await f.getByLabel('Column', { exact: true }).selectOption('name');
      await f.getByLabel('Target type').selectOption('INTEGER');
    });
    const error = page.getByRole('alert', { name: 'Step 7 error' });
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain(`step 7 (change type "name"): none of the ${out6.toLocaleString('en-US')} values of "name" could be converted: check the target type`);
    expect(await tables.getByRole('button', { name: /^customers / }).textContent()).toBe(before);
    expect(before).toContain('2,000 × 9');
    // Regression: the steps before the failing one keep their "Rows … → …" reports and previews
    // (they used to lose them: reports went out only once every step had been counted).
    for (let n = 1; n <= 6; n++) expect(await report(page, n).count()).toBe(1);
    expect(await rowsOf(page, 1)).toEqual([2000, 2000]);
    expect(await rowsOf(page, 6)).toEqual([2000, out6]);
    await page.getByRole('button', { name: 'Preview step 2' }).click();
    await page.getByRole('table', { name: 'After step 2' }).waitFor();
    // Delete the bad step, then undo and redo with the keyboard.
    await page.getByRole('button', { name: 'Delete step 7' }).click();
    await expect.poll(() => steps(page).count()).toBe(6);
    await page.getByRole('heading', { name: 'Recipe' }).click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => steps(page).count()).toBe(7);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => steps(page).count()).toBe(6);
    await page.keyboard.press('Control+z');
    await expect.poll(() => steps(page).count()).toBe(7);
    await page.keyboard.press('Control+y');
    await expect.poll(() => steps(page).count()).toBe(6);
    await expect.poll(() => page.getByRole('alert', { name: 'Step 7 error' }).count()).toBe(0);

    // A step DuckDB itself refuses: its message, naming the column, shown beside the step.
    await addStep(page, 'Derived column (SQL)', async (f) => {
      await f.getByLabel('New column name').fill('bad');
      await f.getByLabel('SQL expression').fill('age * no_such_column');
    });
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(/^step 7 \(derive "bad"\) failed: .*"no_such_column" not found.*the source table and the steps before it are unchanged/s);
    expect(await tables.getByRole('button', { name: /^customers / }).textContent()).toBe(before);
    // The cleaned table on hand is the previous recipe's: it is not offered as this one's.
    await page.getByRole('status', { name: 'Cleaned table out of date' }).waitFor();
    expect(await page.getByRole('button', { name: 'Download CSV' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Delete step 7' }).click();
    await page.getByRole('button', { name: 'Run recipe' }).click();
    expect(await rowsOf(page, 6)).toEqual([2000, out6]);
    await expect.poll(() => page.getByRole('alert', { name: 'Step 7 error' }).count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Download CSV' }).isDisabled()).toBe(false);
    expect(await page.getByRole('status', { name: 'Cleaned table out of date' }).count()).toBe(0);

    // With re-running off, an edit leaves the counts of the run before: they say so until the next run.
    await page.getByLabel('Re-run after each change').uncheck();
    await page.getByRole('button', { name: 'Move step 2 down' }).click();
    await page.getByRole('status', { name: 'Reports out of date' }).waitFor();
    await page.getByRole('button', { name: 'Move step 3 up' }).click();
    await page.getByRole('button', { name: 'Run recipe' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Reports out of date' }).count(), { timeout: 60_000 }).toBe(0);
    await page.getByLabel('Re-run after each change').check();
    expect(await rowsOf(page, 6)).toEqual([2000, out6]);
  });

  it('downloads the cleaned table as CSV and the recipe as .sql', async () => {
    const { page } = app;
    const [, out6] = await rowsOf(page, 6);
    // The cleaned table holds customer rows: the export passes the privacy check first (issue 8).
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const guard = page.getByRole('dialog', { name: 'Before you export' });
    await expect(guard.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Before you export customers_clean as CSV');
    const pii = guard.getByRole('list', { name: 'PII columns still present' });
    await pii.waitFor();
    expect((await pii.getByRole('listitem').allTextContents()).map((t) => t.split(':')[0])).toEqual(['name', 'email']);
    // Cancelling downloads nothing; confirming downloads the file.
    let downloads = 0;
    page.on('download', () => downloads++);
    await guard.getByRole('button', { name: 'Cancel export' }).click();
    await expect.poll(() => guard.count()).toBe(0);
    await page.getByRole('button', { name: 'Download CSV' }).click();
    await pii.waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), guard.getByRole('button', { name: 'Export anyway' }).click()]);
    expect(csv.suggestedFilename()).toBe('customers_clean.csv');
    const lines = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('customer_id,name,email,gender,age,region,city,signup_date,plan,age_missing,region_code');
    expect(lines.length).toBe(out6 + 1);
    expect(downloads).toBe(1);

    // Parquet is encoded in the ingest worker; native DuckDB reads the file back.
    await page.getByRole('button', { name: 'Download Parquet' }).click();
    await pii.waitFor();
    const [parquet] = await Promise.all([page.waitForEvent('download'), guard.getByRole('button', { name: 'Export anyway' }).click()]);
    expect(parquet.suggestedFilename()).toBe('customers_clean.parquet');
    const native = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const file = `read_parquet('${await parquet.path()}')`;
      const counted = await native.runAndReadAll(`SELECT count(*)::INTEGER, count(DISTINCT customer_id)::INTEGER FROM ${file}`);
      expect(counted.getRows()[0]).toEqual([out6, out6]);
      const columns = await native.runAndReadAll(`SELECT string_agg(column_name, ',') FROM (DESCRIBE SELECT * FROM ${file})`);
      expect(columns.getRows()[0][0]).toBe(lines[0]);
    } finally {
      native.closeSync();
    }
    const [sql] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download recipe (.sql)' }).click()]);
    expect(sql.suggestedFilename()).toBe('customers_clean.sql');
    const script = readFileSync((await sql.path())!, 'utf8');
    expect(script).toContain('CREATE OR REPLACE TABLE "customers_clean" AS SELECT * FROM "customers_clean__s6"');
  });

  it('keeps the recipe across a page reload and runs it again', async () => {
    const { page } = app;
    const [, out6] = await rowsOf(page, 6);
    // The browser keeps the steps, not the statistics fitted from the data (the median filled in…).
    const stored = (await page.evaluate(() => localStorage.getItem('clientele.clean.recipes')))!;
    expect(stored).toContain('"kind":"missing"');
    expect(stored).not.toContain('"fitted"');
    // A dismissed suggestion stays dismissed.
    const suggestions = page.getByRole('complementary', { name: 'Suggestions' });
    const dismiss = suggestions.getByRole('button', { name: /^Dismiss: / }).first();
    await dismiss.waitFor({ timeout: 60_000 });
    const dismissed = (await dismiss.getAttribute('aria-label'))!;
    await dismiss.click();
    await expect.poll(() => suggestions.getByRole('button', { name: dismissed, exact: true }).count()).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: /^customers / }).waitFor({ timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name: 'Clean' }).click();
    await expect.poll(() => steps(page).count()).toBe(6);
    await suggestions.getByRole('button', { name: /^Dismiss: / }).first().waitFor({ timeout: 60_000 });
    expect(await suggestions.getByRole('button', { name: dismissed, exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Preview step 5' }).textContent()).toBe('step 5 (encode "region")');
    expect(await rowsOf(page, 6)).toEqual([2000, out6]);
    expect(app.consoleErrors).toEqual([]);
  });

  it('writes the cleaned table again after an engine crash', async () => {
    const { page } = app;
    const cleaned = page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^customers_clean / });
    await cleaned.waitFor();
    const before = await cleaned.textContent();
    await page.evaluate(() => (window as unknown as { __clientele: { workspace: { db: { simulateCrash(): void } } } }).__clientele.workspace.db.simulateCrash());
    const alert = page.getByRole('alert', { name: 'Load error' });
    await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toMatch(/All tables were reloaded/);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => cleaned.textContent()).toBe(before);
    expect(await page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /__s\d/ }).count()).toBe(0);
  });

  it('re-applies an exported recipe JSON only to a table with the same columns, saying which is missing', async () => {
    const { page } = app;
    await rowsOf(page, 6);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download recipe (JSON)' }).click()]);
    const path = (await json.path())!;
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1, source: 'customers', name: 'customers_clean' });
    await page.getByLabel('Source table').selectOption('orders');
    await expect.poll(() => steps(page).count()).toBe(0);
    await page.getByLabel('Import recipe (JSON)…').setInputFiles(path);
    const error = page.getByRole('alert', { name: 'Import error' });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/This recipe cannot be applied to "orders": "orders" has none of the columns "name", "email", .*which the recipe was made with: is it the right table\?/);
    expect(await steps(page).count()).toBe(0);
    // The same file on the table it was made for: the six steps come back and run.
    await page.getByLabel('Source table').selectOption('customers');
    await expect.poll(() => steps(page).count()).toBe(6);
    for (let i = 6; i >= 1; i--) await page.getByRole('button', { name: `Delete step ${i}` }).click();
    await expect.poll(() => steps(page).count()).toBe(0);
    await page.getByLabel('Import recipe (JSON)…').setInputFiles(path);
    await expect.poll(() => steps(page).count()).toBe(6);
    await rowsOf(page, 6);
    expect(app.consoleErrors).toEqual([]);
  });

  it('offers derived columns in the type-filtered lists once DuckDB has typed them, and scales one', async () => {
    const { page } = app;
    const [, out6] = await rowsOf(page, 6);
    // Regression: a derived column was typed UNKNOWN and left out of every number/text list.
    await addStep(page, 'Derived column (SQL)', async (f) => {
      await f.getByLabel('New column name').fill('age2');
      await f.getByLabel('SQL expression').fill('age * 2');
    });
    await addStep(page, 'Derived column (SQL)', async (f) => {
      await f.getByLabel('New column name').fill('signup_txt');
      await f.getByLabel('SQL expression').fill('signup_date::VARCHAR');
    });
    expect(await rowsOf(page, 8)).toEqual([out6, out6]);
    const openForm = async (kind: string) => {
      await page.getByLabel('Step kind').selectOption({ label: kind });
      await page.getByRole('button', { name: 'Add step', exact: true }).click();
      return page.getByRole('form', { name: 'New step' });
    };
    const options = (form: Locator, label: string) => form.getByLabel(label, { exact: true }).locator('option').allTextContents();

    const parse = await openForm('Parse dates');
    expect(await options(parse, 'Column')).toContain('signup_txt');
    expect(await options(parse, 'Column')).not.toContain('age2');
    await parse.getByRole('button', { name: 'Cancel' }).click();
    const missing = await openForm('Missing values');
    await missing.getByLabel('Column', { exact: true }).selectOption('age2');
    expect(await options(missing, 'Strategy')).toEqual(expect.arrayContaining(['mean', 'median']));
    await missing.getByRole('button', { name: 'Cancel' }).click();

    await addStep(page, 'Scale (z-score, min-max)', async (f) => {
      expect(await options(f, 'Column')).toContain('age2');
      expect(await options(f, 'Column')).not.toContain('signup_txt');
      await f.getByLabel('Column', { exact: true }).selectOption('age2');
      await f.getByLabel('Method').selectOption('minmax');
    });
    expect(await rowsOf(page, 9)).toEqual([out6, out6]);
    // Min-max puts every value of age2 in [0, 1].
    await page.getByRole('button', { name: 'Preview step 9' }).click();
    const after = page.getByRole('table', { name: 'After step 9' });
    await after.waitFor();
    // A header reads name then type ("age2 DOUBLE").
    const column = (await after.locator('th').allTextContents()).findIndex((h) => /^age2\s+[A-Z]/.test(h));
    expect(column).toBeGreaterThanOrEqual(0);
    // (A changed cell also says "(changed)" to assistive tech.)
    const values = (await after.locator(`td:nth-child(${column + 1})`).allTextContents()).map((t) => Number.parseFloat(t));
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
    for (const n of [9, 8, 7]) await page.getByRole('button', { name: `Delete step ${n}` }).click();
    await expect.poll(() => steps(page).count()).toBe(6);
    expect(app.consoleErrors).toEqual([]);
  });
});
