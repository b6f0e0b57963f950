import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, useAppOnDemo, type RecordedPage } from './chromium';
import { acceptRegionSuggestion, addStep } from './recipe-steps';

const session = useAppOnDemo();
let fingerprint = '';
let app: RecordedPage;
let page: Page;
beforeAll(() => {
  app = session.app();
  page = app.page;
});

const CANARY_EMAIL = 'zq.canary.8841@example.org';
const CANARY_NAME = 'Quillon Vexbury';
const PASSPHRASE = 'correct horse battery staple';

const room = (name: string) => page.getByRole('navigation', { name: 'Workflow' }).getByRole('button', { name, exact: true }).click();
const tableButton = (name: string) => page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: new RegExp(`^${name} `) });

let queries = 0;

async function runInConsole(text: string): Promise<void> {
  await room('Data');
  await page.getByRole('tab', { name: 'SQL' }).click();
  await page.getByLabel('SQL (DuckDB dialect)').fill(text);
  await page.getByRole('button', { name: 'Run query' }).click();
}

/** Runs a query in the Data room's console and returns the first result row's cells. */
async function sql(query: string): Promise<string[]> {
  // A marker column tells this query's result from the one still on screen.
  const marker = `q${++queries}`;
  await runInConsole(`SELECT '${marker}' AS marker, * FROM (${query})`);
  const row = page.getByRole('grid', { name: 'Query result' }).getByRole('row').nth(1);
  await expect.poll(async () => (await row.getByRole('gridcell').allTextContents())[0], { timeout: 30_000 }).toBe(marker);
  return (await row.getByRole('gridcell').allTextContents()).slice(1);
}

/** Runs a statement (CREATE TABLE …) in the console and waits until it is done. */
async function exec(statement: string): Promise<void> {
  await runInConsole(statement);
  await page.getByRole('status').filter({ hasText: `Done: ${statement.split(/\s+/).slice(0, 3).join(' ')}` }).waitFor();
}

/** Every OPFS file's bytes, IndexedDB's records and localStorage, as Latin-1 text (UTF-8 bytes stay searchable). */
async function storedText(): Promise<{ files: Record<string, string>; indexedDb: string; local: string }> {
  return page.evaluate(async () => {
    const latin1 = (b: ArrayBuffer | ArrayBufferView) => new TextDecoder('latin1').decode(b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    const files: Record<string, string> = {};
    const walk = async (dir: FileSystemDirectoryHandle, path: string): Promise<void> => {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${path}${name}/`);
        else files[`${path}${name}`] = latin1(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer());
      }
    };
    await walk(await navigator.storage.getDirectory(), '');
    const flatten = (v: unknown): string => {
      if (v === null || v === undefined) return '';
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return latin1(v);
      if (v instanceof Blob) return '[blob]';
      if (typeof v === 'object') return Object.entries(v as object).map(([k, x]) => `${k}:${flatten(x)}`).join('|');
      return String(v);
    };
    let indexedDb = '';
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        indexedDb += `${info.name}/${store}:${all.map(flatten).join('\n')}`;
      }
      db.close();
    }
    const local = Object.entries(localStorage).map(([k, v]) => `${k}=${v}`).join('\n') + Object.entries(sessionStorage).map(([k, v]) => `${k}=${v}`).join('\n');
    return { files, indexedDb, local };
  });
}

async function restore(name: string, passphrase: string) {
  await page.getByLabel('Passphrase to open a workspace').fill(passphrase);
  await page.getByRole('button', { name: `Restore ${name}` }).click();
}

const workspaceError = () => page.getByRole('alert', { name: 'Workspace error' });
const workspaceNotice = () => page.getByRole('status', { name: 'Workspace notice' });

describe('the Privacy room on the demo data', () => {
  it('shows the PII columns of customers with their evidence', async () => {
    await room('Privacy');
    await expect.poll(() => page.getByLabel('Table', { exact: true }).inputValue()).toBe('customers');
    const plan = page.getByRole('table', { name: 'Columns and personal data' });
    const row = (c: string) => plan.getByRole('row').filter({ has: page.getByRole('rowheader', { name: c, exact: true }) });
    await row('email').waitFor();
    await expect(row('email').textContent()).resolves.toMatch(/e-mail addresses \(\d+ %\)/);
    // The demo's e-mails all pass the e-mail check on the 500 sampled rows, and the name column is flagged.
    await expect(row('email').textContent()).resolves.toContain('by values: 500 of 500 sampled (100 %) pass the email check');
    await expect(row('name').textContent()).resolves.toMatch(/people's names/);
    await expect(row('plan').textContent()).resolves.not.toMatch(/by values/);
    expect(await page.getByLabel('Action for email').inputValue()).toBe('pseudonymize');
    expect(await page.getByLabel('Action for customer_id').inputValue()).toBe('keep');
    await expect(page.getByRole('status', { name: 'PII summary' }).textContent()).resolves.toMatch(/^\s*2 columns of customers/);
  });

  it('pseudonymizes with keyed tokens that still join across tables, and generalizes age', async () => {
    await page.getByLabel('Action for age').selectOption('generalize');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('status', { name: 'Privacy notice' }).textContent()).resolves.toBe('Wrote customers_protected: 2 pseudonymized, 1 generalized.');
    const preview = page.getByRole('table', { name: 'Preview of customers_protected' });
    const header = await preview.locator('thead th').allTextContents();
    const first = await preview.locator('tbody tr').first().locator('td').allTextContents();
    const cell = (c: string) => first[header.indexOf(c)];
    expect(cell('email')).toMatch(/^[0-9a-f]{16}$/);
    expect(cell('name')).toMatch(/^[0-9a-f]{16}$/);
    expect(cell('age')).toMatch(/^(\d+-\d+|90\+|)$/);
    fingerprint = (await page.getByLabel('Secret fingerprint').textContent())!;
    expect(fingerprint).toMatch(/^[0-9a-f]{8}$/);

    // A second table holding some of the same e-mails gets the same tokens: joins still work.
    await exec('CREATE TABLE some_emails AS SELECT email FROM customers ORDER BY customer_id DESC LIMIT 7');
    await room('Privacy');
    await page.getByLabel('Table', { exact: true }).selectOption('some_emails');
    await expect.poll(() => page.getByLabel('Action for email').inputValue()).toBe('pseudonymize');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status', { name: 'Privacy notice' }).filter({ hasText: 'Wrote some_emails_protected' }).waitFor();
    const [joined, plainLeft] = await sql(
      `SELECT (SELECT count(*) FROM some_emails_protected s JOIN customers_protected c USING (email)),
              (SELECT count(*) FROM customers_protected c JOIN customers p ON c.email = p.email)`,
    );
    expect(joined).toBe('7');
    expect(plainLeft).toBe('0');

    // In place only once confirmed; the tokens are the same as in the new table.
    await room('Privacy');
    await page.getByLabel('Table', { exact: true }).selectOption('some_emails');
    await expect.poll(() => page.getByLabel('Action for email').inputValue()).toBe('pseudonymize');
    await page.getByLabel('in place, replacing some_emails').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('alert', { name: 'Privacy error' }).textContent()).resolves.toMatch(/replacing "some_emails" in place loses its original values/);
    await page.getByLabel('I understand the original values of some_emails will be gone').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('status', { name: 'Privacy notice' }).textContent()).resolves.toBe('Replaced some_emails: 1 pseudonymized.');
    expect(await sql('SELECT count(*) FROM some_emails JOIN some_emails_protected USING (email)')).toEqual(['7']);
  });

  it('checks PII and k-anonymity before an export, with figures from DuckDB', async () => {
    // The reference figures, from a query written here rather than the app's k-anonymity SQL.
    const [smallest, atRisk, total] = await sql(
      'SELECT min(n), sum(n) FILTER (WHERE n < 5), sum(n) FROM (SELECT count(*) AS n FROM customers GROUP BY gender, age, region, city)',
    );
    await room('Privacy');
    await page.getByLabel('Export a table as CSV').selectOption('customers');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const guard = page.getByRole('dialog', { name: 'Before you export' });
    const list = guard.getByRole('list', { name: 'PII columns still present' });
    await list.waitFor();
    expect((await list.getByRole('listitem').allTextContents()).map((t) => t.split(':')[0])).toEqual(['name', 'email']);
    const report = guard.getByRole('status', { name: 'k-anonymity report' });
    await report.waitFor();
    const quasi = await guard.getByRole('group', { name: 'Quasi-identifiers' }).getByRole('checkbox', { checked: true }).evaluateAll((els) => els.map((e) => e.parentElement!.textContent!.trim()));
    expect(quasi).toEqual(['gender', 'age', 'region', 'city']);
    const text = (await report.textContent())!.replace(/,/g, '');
    expect(text).toContain(`Smallest group: ${smallest} ${smallest === '1' ? 'row' : 'rows'}.`);
    expect(text).toContain(`${atRisk} of ${total} rows`);
    await guard.getByRole('button', { name: 'Cancel export' }).click();
    await expect(guard.count()).resolves.toBe(0);

    // The protected table exports after the check; its columns no longer hold names or e-mails.
    await page.getByLabel('Export a table as CSV').selectOption('customers_protected');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await guard.getByRole('status', { name: 'k-anonymity report' }).waitFor();
    expect(await guard.getByRole('list', { name: 'PII columns still present' }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), guard.getByRole('button', { name: /^Export/ }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(csv[0]).toBe('customer_id,name,email,gender,age,region,city,signup_date,plan');
    expect(csv.filter((l) => l.trim()).length).toBe(2001);
  });
});

describe('workspaces in the origin-private file system', () => {
  let checksum: string[] = [];

  it('saves encrypted with no plaintext canary anywhere in OPFS, IndexedDB or localStorage', async () => {
    await exec(`CREATE TABLE canary AS SELECT 1 AS id, '${CANARY_NAME}' AS full_name, '${CANARY_EMAIL}' AS email`);
    checksum = await sql('SELECT count(*), sum(hash(c))::VARCHAR FROM customers c');
    await room('Privacy');
    await page.getByRole('button', { name: 'Keep storage on this device' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Persistent storage' }).textContent()).toMatch(/Persistent storage (granted|not granted)/);

    // A plain save first, as the control: the scan below must find the canary in it.
    await page.getByLabel('Workspace name').fill('plain-control');
    await page.getByLabel('Encrypt with a passphrase').uncheck();
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await workspaceNotice().filter({ hasText: 'Saved "plain-control"' }).waitFor();
    const plain = await storedText();
    expect(Object.values(plain.files).some((t) => t.includes(CANARY_EMAIL) && t.includes(CANARY_NAME))).toBe(true);
    await page.getByRole('button', { name: 'Delete plain-control' }).click();
    await workspaceNotice().filter({ hasText: 'Deleted' }).waitFor();

    await page.getByLabel('Workspace name').fill('canary-test');
    await page.getByLabel('Encrypt with a passphrase').check();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Repeat passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await expect(workspaceNotice().textContent()).resolves.toMatch(/^Saved "canary-test" \(\d+ tables, [\d.]+ (kB|MB), encrypted\)\.$/);
    const list = page.getByRole('table', { name: 'Saved workspaces list' });
    await expect(list.getByRole('row').filter({ hasText: 'canary-test' }).textContent()).resolves.toMatch(/canary-test[\d.]+ (kB|MB).*Encrypted/);

    const stored = await storedText();
    const names = Object.keys(stored.files);
    expect(names).toEqual([expect.stringMatching(/^workspaces\/canary-test\/\d+\.clw$/)]);
    expect(stored.files[names[0]].startsWith('CLTE')).toBe(true);
    for (const needle of [CANARY_EMAIL, CANARY_NAME, 'Quillon', 'zq.canary', 'customers', PASSPHRASE]) {
      for (const text of [...Object.values(stored.files), stored.indexedDb, stored.local]) expect(text.includes(needle)).toBe(false);
    }
  });

  it('restores after a reload: wrong passphrase refused, the right one brings the tables back', async () => {
    await page.reload();
    await tableButton('customers').waitFor({ timeout: 60_000 });
    expect(await tableButton('canary').count()).toBe(0);
    await room('Privacy');
    await page.getByRole('table', { name: 'Saved workspaces list' }).waitFor();
    await restore('canary-test', 'not the passphrase');
    await expect(workspaceError().textContent()).resolves.toMatch(/passphrase does not match/);
    expect(await tableButton('canary').count()).toBe(0);

    await restore('canary-test', PASSPHRASE);
    await expect(workspaceNotice().textContent()).resolves.toMatch(/^Restored \d+ tables from "canary-test": .*customers \(2,000 rows\).*canary \(1 row\)/);
    await expect(tableButton('customers_protected').textContent()).resolves.toContain('2,000 × 9');
    expect(await sql('SELECT count(*), sum(hash(c))::VARCHAR FROM customers c')).toEqual(checksum);
    expect(await sql('SELECT full_name, email FROM canary')).toEqual([CANARY_NAME, CANARY_EMAIL]);
    // The pseudonymization secret came back with the encrypted workspace.
    await room('Privacy');
    await expect(page.getByLabel('Secret fingerprint').textContent()).resolves.toBe(fingerprint);
  });

  it('keeps the previous save when the quota runs out, with the sizes in the message', async () => {
    await room('Privacy');
    const before = await storedText();
    await page.evaluate(() => {
      // The browser's own error for a full origin, raised by every write until put back below.
      const proto = FileSystemWritableFileStream.prototype as FileSystemWritableFileStream & { realWrite?: unknown };
      proto.realWrite = proto.write;
      proto.write = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    });
    await page.getByLabel('Workspace name').fill('canary-test');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Repeat passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await expect(workspaceError().textContent()).resolves.toMatch(
      /^Not enough browser storage to save "canary-test": the workspace needs [\d.]+ (kB|MB)\. This site already uses [\d.]+ \w?B of the [\d.]+ \w?B the browser allows it .*The previous save of "canary-test" is unchanged\./,
    );
    await page.evaluate(() => {
      const proto = FileSystemWritableFileStream.prototype as FileSystemWritableFileStream & { realWrite?: FileSystemWritableFileStream['write'] };
      proto.write = proto.realWrite!;
    });
    // Same files, same bytes: no partial file left behind, the old save still opens.
    expect(await storedText()).toEqual(before);
    await restore('canary-test', PASSPHRASE);
    await workspaceNotice().filter({ hasText: 'Restored' }).waitFor();
  });

  it('refuses a tampered file and changes nothing', async () => {
    const tablesBefore = await page.getByRole('navigation', { name: 'Tables' }).getByRole('button').allTextContents();
    await page.evaluate(async () => {
      const dir = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('workspaces')).getDirectoryHandle('canary-test');
      for await (const [, handle] of dir.entries()) {
        const file = handle as FileSystemFileHandle;
        const bytes = new Uint8Array(await (await file.getFile()).arrayBuffer());
        bytes[Math.floor(bytes.length / 2)] ^= 0x01;
        const w = await file.createWritable();
        await w.write(bytes);
        await w.close();
      }
    });
    await restore('canary-test', PASSPHRASE);
    await expect(workspaceError().textContent()).resolves.toMatch(/damaged or was changed/);
    expect(await page.getByRole('navigation', { name: 'Tables' }).getByRole('button').allTextContents()).toEqual(tablesBefore);
  });

  it('exports the workspace as one encrypted file and imports it again', async () => {
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Repeat passphrase').fill(PASSPHRASE);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as encrypted file' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^clientele-workspace-\d{4}-\d{2}-\d{2}\.clw$/);
    const path = (await download.path())!;
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('CLTE');
    expect(bytes.includes(CANARY_EMAIL)).toBe(false);
    await exec('DROP TABLE canary');
    await room('Privacy');
    await page.getByLabel('Passphrase to open a workspace').fill(PASSPHRASE);
    await page.getByLabel('Import a workspace file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer: bytes });
    await expect(workspaceNotice().textContent()).resolves.toMatch(/^Restored \d+ tables from "clientele-workspace-.*canary \(1 row\)/);
    expect(await sql('SELECT full_name FROM canary')).toEqual([CANARY_NAME]);
  });

  it('brings restored and pseudonymized tables back after an engine crash', async () => {
    const tables = page.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /×/ });
    const before = await tables.allTextContents();
    const tokens = await sql('SELECT string_agg(email, \',\' ORDER BY customer_id) FROM customers_protected');
    await page.evaluate(() => (window as unknown as { __clientele: { workspace: { db: { simulateCrash(): void } } } }).__clientele.workspace.db.simulateCrash());
    await expect.poll(() => page.getByRole('alert', { name: 'Load error' }).textContent(), { timeout: 60_000 }).toMatch(/All tables were reloaded/);
    await page.getByRole('alert', { name: 'Load error' }).getByRole('button', { name: 'Dismiss' }).click();
    expect(await tables.allTextContents()).toEqual(before);
    expect(await sql('SELECT string_agg(email, \',\' ORDER BY customer_id) FROM customers_protected')).toEqual(tokens);
    expect(await sql('SELECT full_name FROM canary')).toEqual([CANARY_NAME]);
  });

  it("brings the Clean room's recipes back with a restored workspace", async () => {
    await room('Clean');
    await page.getByLabel('Source table').selectOption('customers');
    await acceptRegionSuggestion(page);
    await page.getByLabel('Step 1 report').waitFor({ timeout: 60_000 });
    await room('Privacy');
    await page.getByLabel('Workspace name').fill('with-recipe');
    await page.getByLabel('Encrypt with a passphrase').uncheck();
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await workspaceNotice().filter({ hasText: 'Saved "with-recipe"' }).waitFor();
    // The recipe is emptied (and so forgotten by this browser), then comes back with the workspace.
    await room('Clean');
    await page.getByRole('button', { name: 'Delete step 1' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Recipe steps' }).getByRole('listitem').count()).toBe(0);
    await room('Privacy');
    await page.getByRole('button', { name: 'Restore with-recipe' }).click();
    await workspaceNotice().filter({ hasText: 'Restored' }).waitFor({ timeout: 60_000 });
    await room('Clean');
    await expect.poll(() => page.getByRole('list', { name: 'Recipe steps' }).getByRole('listitem').count()).toBe(1);
    await expect(page.getByRole('button', { name: 'Preview step 1' }).textContent()).resolves.toBe('step 1 (map values "region")');
    await page.getByLabel('Step 1 report').waitFor({ timeout: 60_000 });
  });

  it('saves the cleaned table a running recipe writes, once the run has ended', async () => {
    await exec('CREATE TABLE slow AS SELECT i AS id, i % 97 AS x FROM range(1500000) t(i)');
    await room('Clean');
    await page.getByLabel('Source table').selectOption('slow');
    await addStep(page, 'Derived column (SQL)', async (f) => {
      await f.getByLabel('New column name').fill('digest');
      await f.getByLabel('SQL expression').fill('md5(md5(md5(id::VARCHAR)))');
    });
    // The save is asked for while the recipe is still running (it has not written slow_clean yet).
    await page.getByRole('status', { name: 'Recipe progress' }).waitFor();
    await room('Privacy');
    await page.getByLabel('Workspace name').fill('mid-run');
    await page.getByLabel('Encrypt with a passphrase').uncheck();
    await page.getByRole('button', { name: 'Save workspace' }).click();
    expect(await tableButton('slow_clean').count()).toBe(0);
    await workspaceNotice().filter({ hasText: 'Saved "mid-run"' }).waitFor({ timeout: 60_000 });
    // Its manifest lists the cleaned table with the new column, and no build table. (A plain
    // bundle stores each file as its name, a 4-byte big-endian length and the bytes; read as Latin-1.)
    const saved = Object.entries((await storedText()).files).find(([name]) => name.startsWith('workspaces/mid-run/'))![1];
    const at = saved.indexOf('tables.json') + 'tables.json'.length;
    const length = [0, 1, 2, 3].reduce((n, i) => n * 256 + saved.charCodeAt(at + i), 0);
    const manifest = JSON.parse(saved.slice(at + 4, at + 4 + length)) as { tables: { name: string; rows: number; columns: { name: string }[] }[] };
    const cleaned = manifest.tables.find((t) => t.name === 'slow_clean');
    expect(cleaned?.rows).toBe(1_500_000);
    expect(cleaned?.columns.map((c) => c.name)).toEqual(['id', 'x', 'digest']);
    expect(manifest.tables.filter((t) => t.name.includes('__s'))).toEqual([]);
    await page.getByRole('button', { name: 'Delete mid-run' }).click();
    await workspaceNotice().filter({ hasText: 'Deleted' }).waitFor();
    await room('Clean');
    await page.getByRole('button', { name: 'Delete step 1' }).click();
    await exec('DROP TABLE slow_clean');
    await exec('DROP TABLE slow');
  });

  it('made no request to another origin and sent no request body', () => {
    const origin = new URL(baseUrl()).origin;
    expect(app.requests.filter((r) => new URL(r.url).origin !== origin && !r.url.startsWith('blob:') && !r.url.startsWith('data:'))).toEqual([]);
    expect(app.requests.filter((r) => r.hasBody)).toEqual([]);
    expect(app.requests.filter((r) => r.url.includes('canary') || r.url.includes('Quillon'))).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
