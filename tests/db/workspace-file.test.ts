import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../src/services/db/connector';
import { restoreWorkspaceTables } from '../../src/services/db/privacy-workspace';
import { decodeWorkspace, encodeWorkspace, isEncryptedWorkspace, type WorkspaceSettings } from '../../src/services/storage/workspace-file';
import { tableCsv } from '../../src/services/storage/table-csv';
import { freshDb, rows } from './helpers';

// duckdb-wasm's node-blocking build returns tables of the CommonJS apache-arrow (see tablesToWorkspaceFiles).
const cjsArrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
const toIPC = (t: unknown) => cjsArrow.tableToIPC(t as InstanceType<typeof cjsArrow.Table>, 'stream');

let db: DbConnector;
const settings: WorkspaceSettings = { version: 1, savedAt: '2026-01-01T00:00:00.000Z', parts: { privacy: { secret: 'ab'.repeat(32) } } };
const CANARY = 'canary.7731@example.org';

beforeAll(async () => {
  db = await freshDb();
  await db.query(`CREATE TABLE people AS SELECT * FROM (VALUES (1, 'Ann Lee', '${CANARY}', 34, DATE '2024-02-03'), (2, 'Bo "B" Ray', NULL, NULL, NULL), (3, 'Cy, Jr.', 'cy@example.com', 71, DATE '2023-12-31')) t(id, name, email, age, signup)`);
});
afterAll(async () => {
  await db?.close();
});

describe('workspace files', () => {
  it('round-trips tables and settings, encrypted, with no plaintext inside', async () => {
    const bytes = await encodeWorkspace(db, ['people'], settings, 'pass phrase one', toIPC);
    expect(isEncryptedWorkspace(bytes)).toBe(true);
    const text = new TextDecoder('latin1').decode(bytes);
    for (const needle of [CANARY, 'Ann Lee', 'people', 'abababab']) expect(text.includes(needle)).toBe(false);
    const before = await rows(db, 'SELECT * FROM people ORDER BY id');
    const opened = await decodeWorkspace(bytes, 'pass phrase one');
    expect(opened.settings).toEqual(settings);
    await db.query('DROP TABLE people');
    expect(await restoreWorkspaceTables(db, opened.files)).toEqual(['people']);
    expect(await rows(db, 'SELECT * FROM people ORDER BY id')).toEqual(before);
  });

  it('writes a plain container without a passphrase, which opens without one', async () => {
    const bytes = await encodeWorkspace(db, ['people'], settings, null, toIPC);
    expect(isEncryptedWorkspace(bytes)).toBe(false);
    expect(new TextDecoder('latin1').decode(bytes)).toContain(CANARY);
    expect((await decodeWorkspace(bytes, 'ignored')).files.map((f) => f.name)).toEqual(['tables/people.arrow', 'tables.json', 'settings.json']);
  });

  it('tells a missing or wrong passphrase from a tampered file', async () => {
    const bytes = await encodeWorkspace(db, ['people'], settings, 'pass phrase one', toIPC);
    await expect(decodeWorkspace(bytes, null)).rejects.toMatchObject({ code: 'wrong-passphrase', message: expect.stringMatching(/encrypted: type its passphrase/) });
    await expect(decodeWorkspace(bytes, 'pass phrase two')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    const bad = bytes.slice();
    bad[bad.length - 40] ^= 0x80;
    await expect(decodeWorkspace(bad, 'pass phrase one')).rejects.toMatchObject({ code: 'tampered' });
  });
});

describe('restoring in the browser', () => {
  it('restores every table when the engine takes (transfers) each insert buffer, as duckdb-wasm does', async () => {
    await db.query('CREATE TABLE second AS SELECT range AS n FROM range(50)');
    const bytes = await encodeWorkspace(db, ['people', 'second'], settings, null, toIPC);
    // duckdb-wasm's browser connector transfers the IPC buffer to its worker: detach it likewise.
    const transferring: DbConnector = {
      ...db,
      insertArrowIPC: async (table, ipc, create) => {
        await db.insertArrowIPC(table, ipc, create);
        structuredClone(ipc.buffer, { transfer: [ipc.buffer as ArrayBuffer] });
      },
    };
    await db.query('DROP TABLE people; DROP TABLE second');
    const { files } = await decodeWorkspace(bytes, null);
    await restoreWorkspaceTables(transferring, files);
    expect(await rows(db, 'SELECT (SELECT count(*) FROM people) AS p, (SELECT count(*) FROM second) AS s')).toEqual([{ p: 3, s: 50 }]);
  });
});

describe('tableCsv', () => {
  it('writes CSV that pandas reads back to the same values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clientele-csv-'));
    const csv = await tableCsv(db, 'people', join(dir, 'people.csv'));
    rmSync(dir, { recursive: true, force: true });
    // pandas 1.5.3 as the outside reader: quoting of commas and quotes, empty cells for NULL.
    const script = 'import sys, io, json, pandas as pd\ndf = pd.read_csv(io.StringIO(sys.stdin.read()), keep_default_na=False)\nprint(json.dumps(df.astype(str).values.tolist()))';
    const parsed = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: csv }).toString());
    expect(csv.split('\n')[0]).toBe('id,name,email,age,signup');
    expect(parsed).toEqual([
      ['1', 'Ann Lee', CANARY, '34', '2024-02-03'],
      ['2', 'Bo "B" Ray', '', '', ''],
      ['3', 'Cy, Jr.', 'cy@example.com', '71', '2023-12-31'],
    ]);
  });
});
