import type { Locator, Page } from 'playwright-core';

/** Adds a Clean-room step through the "Add step" form: picks the kind, fills fields by label, saves. */
export async function addStep(page: Page, kind: string, fill: (form: Locator) => Promise<void>): Promise<void> {
  await page.getByLabel('Step kind').selectOption({ label: kind });
  await page.getByRole('button', { name: 'Add step', exact: true }).click();
  const form = page.getByRole('form', { name: 'New step' });
  await fill(form);
  await form.getByRole('button', { name: 'Save step' }).click();
}

/** Accepts the profile's suggestion for the demo's region spellings ('north', 'NORTH '…) with one click. */
export async function acceptRegionSuggestion(page: Page): Promise<void> {
  const suggestion = page.getByRole('button', { name: /^Accept: region has spellings differing only by case\/whitespace/ });
  await suggestion.waitFor({ timeout: 60_000 });
  await suggestion.click();
}

/** A number as the reports print it (1,234). */
export const num = (s: string): number => Number(s.replace(/,/g, ''));

/** The steps of the recipe, as list items. */
export const steps = (page: Page): Locator => page.getByRole('list', { name: 'Recipe steps' }).getByRole('listitem');

/** Step n's report line (rows in → out, cells changed…). */
export const report = (page: Page, n: number): Locator => page.getByLabel(`Step ${n} report`);

/** Rows in and out of step n, read from its report once it has run. */
export async function rowsOf(page: Page, n: number): Promise<[number, number]> {
  await report(page, n).waitFor({ timeout: 60_000 });
  const m = (await report(page, n).textContent())!.match(/Rows ([\d,]+) → ([\d,]+)/)!;
  return [num(m[1]), num(m[2])];
}

/** Runs `sql` (a CREATE TABLE) in the page's engine and lists the tables again, as a loaded file would. */
export async function makeTable(page: Page, sql: string): Promise<void> {
  await page.evaluate(async (statement) => {
    const w = (window as unknown as { __clientele: { workspace: { db: { query(sql: string): Promise<unknown> }; refresh(): Promise<void> } } }).__clientele.workspace;
    await w.db.query(statement);
    await w.refresh();
  }, sql);
}
