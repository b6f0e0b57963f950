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
