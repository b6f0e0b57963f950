import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../src/core/errors';
import type { DbConnector } from '../../src/services/db/connector';
import { BIG_FIELD_BYTES, STRAY_LINE, generateHugeFiles, smallCorpus, type HugeFiles } from '../fixtures/bad/generate';
import { fileFrom, fileOf, freshDb, rows } from './helpers';
import { allTables, attempt, dropLoaded, expectClearRefusal, expectUndisturbed, fileOnDisk, loadSentinel, type Attempt, type Sentinel } from './integrity';

const DIR = 'tests/fixtures/bad';

/** What loading a corpus file must do. */
interface Expectation {
  /** A plain load: loads, or is refused with an AppError. */
  plain: 'loaded' | 'refused';
  /** Patterns the refusal message must match (beyond naming the file and saying what to do). */
  message?: RegExp[];
  code?: ErrorCode;
  /** The 1-based line the refusal names (AppError.line and "line N" in the message). */
  line?: number;
  /** For a load: rows and columns of the (first) table, and patterns its notes must match. */
  rows?: number;
  columns?: number;
  notes?: RegExp[];
  /** CSV only, "Load, skipping bad rows": the rows kept and the lines reported, or still refused. */
  skip?: { rows: number; rejected: number[] } | 'refused' | 'loaded';
}

const SKIP = /choose "Load, skipping bad rows"/;

const CASES: Record<string, Expectation> = {
  // CSV: rows that break the layout — refused with the line; skipping loads the rest.
  'ragged-extra-field.csv': { plain: 'refused', line: 3, message: [/line 3 has 4 fields where the header has 3/, /"2,Bob,20,extra"/, SKIP], skip: { rows: 3, rejected: [3] } },
  'ragged-missing-field.csv': { plain: 'refused', line: 5, message: [/line 5 has 2 fields where the header has 3/, SKIP], skip: { rows: 4, rejected: [5] } },
  'unterminated-quote.csv': { plain: 'refused', line: 13, message: [/line 13 opens a quote that never closes/, /closing quote/, SKIP], skip: { rows: 27, rejected: [13] } },
  'unterminated-quote-last-line.csv': { plain: 'refused', line: 21, message: [/line 21 opens a quote that never closes/, SKIP], skip: { rows: 19, rejected: [21] } },
  'text-after-closing-quote.csv': { plain: 'refused', line: 8, message: [/line 8 has a quoted value with other text right after its closing quote/, /written twice/, SKIP], skip: { rows: 19, rejected: [8] } },
  'embedded-newline-unquoted.csv': { plain: 'refused', line: 3, message: [/line 3 has 3 fields where the header has 4/, SKIP], skip: { rows: 3, rejected: [3, 4] } },
  'mixed-line-endings.csv': { plain: 'refused', message: [/end in different ways/, /one kind of line ending/], skip: 'refused' },
  'embedded-newlines.csv': { plain: 'loaded', rows: 3, columns: 3, skip: 'loaded' },
  // CSV: encodings and byte-order marks.
  'mixed-encoding.csv': { plain: 'refused', line: 4, message: [/line 4 is not valid UTF-8 text/, /mixes encodings/, /Save As → "CSV UTF-8"/, SKIP], skip: { rows: 4, rejected: [4] } },
  'windows-1252.csv': { plain: 'refused', line: 3, message: [/line 3 is not valid UTF-8 text/, /Windows-1252/, /CSV UTF-8/, SKIP], skip: { rows: 3, rejected: [3, 5] } },
  'bom-in-middle.csv': { plain: 'loaded', rows: 5, columns: 2, notes: [/byte-order mark \(U\+FEFF\)/, /1 row repeats the header line/], skip: 'loaded' },
  'utf16le-with-bom.csv': { plain: 'loaded', rows: 2, columns: 2, skip: 'loaded' },
  'utf16le-no-bom.csv': { plain: 'refused', code: 'unsupported-format', message: [/UTF-16 text without a byte-order mark/, /re-save it as UTF-8/], skip: 'refused' },
  'nul-byte-in-field.csv': { plain: 'loaded', rows: 20, columns: 4, skip: 'loaded' },
  // CSV: not a table at all.
  'binary-garbage.csv': { plain: 'refused', code: 'unsupported-format', message: [/binary data/, /Load a CSV\/TSV, Parquet, JSON\/NDJSON or \.xlsx file/], skip: 'refused' },
  'png-renamed.csv': { plain: 'refused', code: 'unsupported-format', message: [/is a PNG image, not a table/], skip: 'refused' },
  'gzip-renamed.csv': { plain: 'refused', code: 'unsupported-format', message: [/gzip-compressed/, /decompress it first/], skip: 'refused' },
  'zip-archive.csv': { plain: 'refused', code: 'unsupported-format', message: [/is a zip archive/, /Unzip it/], skip: 'refused' },
  'html-error-page.csv': { plain: 'refused', code: 'unsupported-format', message: [/an HTML web page/, /Download or export the data again/], skip: 'refused' },
  'empty.csv': { plain: 'refused', code: 'empty-file', message: [/is empty \(0 bytes\)/, /export or download finished/], skip: 'refused' },
  'blank-lines.csv': { plain: 'refused', code: 'empty-file', message: [/holds only blank lines/], skip: 'refused' },
  'workbook-named.csv': { plain: 'loaded', rows: 3, columns: 4, skip: 'loaded' },
  // CSV: columns.
  'header-only.csv': { plain: 'loaded', rows: 0, columns: 3, notes: [/header but no data rows/], skip: 'loaded' },
  'duplicate-column-names.csv': { plain: 'loaded', rows: 2, columns: 5, notes: [/name → name_1/, /email → email_1/], skip: 'loaded' },
  'empty-column-names.csv': { plain: 'loaded', rows: 3, columns: 4, notes: [/\(blank column 2\) → column1/, /\(blank column 4\) → column3/], skip: 'loaded' },
  // JSON and NDJSON.
  'missing-comma.json': { plain: 'refused', line: 4, message: [/not valid JSON at line 4, column 3/, /a comma may be missing/, /Fix that spot/] },
  'trailing-comma.json': { plain: 'refused', line: 4, message: [/at line 4, column 1/, /remove the trailing comma/] },
  'truncated.json': { plain: 'refused', line: 4, message: [/at line 4/, /cut short/] },
  'single-quotes.json': { plain: 'refused', line: 2, message: [/at line 2, column 4/, /double quotes, not single quotes/] },
  'scalar.json': { plain: 'refused', message: [/a single number value, not rows/, /list of objects/] },
  'array-of-arrays.json': { plain: 'refused', message: [/record 1 is an array, not an object/] },
  'empty-array.json': { plain: 'refused', code: 'empty-file', message: [/empty list/] },
  'duplicate-keys.json': { plain: 'loaded', rows: 2, columns: 3, notes: [/name → name_1/] },
  'bad-line.ndjson': { plain: 'refused', line: 3, message: [/not valid JSON at line 3, column 20/, /double quotes/] },
  // Parquet.
  'truncated.parquet': { plain: 'refused', message: [/is truncated/, /footer/, /load the complete file/] },
  'signature-only.parquet': { plain: 'refused', message: [/is truncated/] },
  'csv-named.parquet': { plain: 'refused', message: [/is not a Parquet file/, /rename it to \.csv or \.json/] },
  'corrupt-footer.parquet': { plain: 'refused', message: [/is a damaged Parquet file/, /Export it again/] },
  // Excel.
  'truncated.xlsx': { plain: 'refused', message: [/is damaged or truncated/, /save it again as \.xlsx or CSV/] },
  'password-protected.xlsx': { plain: 'refused', code: 'encrypted-file', message: [/password-protected/, /remove the password/] },
  'legacy-97-2003.xls': { plain: 'refused', code: 'unsupported-format', message: [/Excel 97–2003/, /Save it as \.xlsx or CSV/] },
  'csv-named.xlsx': { plain: 'refused', message: [/is not an Excel workbook/, /rename it to \.csv/] },
  'zip-not-workbook.xlsx': { plain: 'refused', message: [/zip archive but holds no Excel workbook/] },
  'blank-sheet.xlsx': { plain: 'refused', code: 'empty-file', message: [/no sheet with data/] },
};

let db: DbConnector;
let sentinel: Sentinel;

beforeAll(async () => {
  db = await freshDb();
  sentinel = await loadSentinel(db);
});

/** Checks a refusal against its expectation. */
function checkRefusal(result: Attempt, name: string, want: Expectation): void {
  expect(result.ok, result.ok ? `${name} loaded ${JSON.stringify(result.tables.map((t) => [t.rows, t.columns]))}` : '').toBe(false);
  if (result.ok) return;
  expectClearRefusal(result.error, name);
  const e = result.error;
  for (const re of want.message ?? []) expect(e.message).toMatch(re);
  if (want.code) expect(e.code).toBe(want.code);
  if (want.line !== undefined) {
    expect(e.line).toBe(want.line);
    expect(e.message).toMatch(new RegExp(`line ${want.line}\\b`));
  }
}

describe('the bad-input corpus (tests/fixtures/bad): clear refusals, nothing lost', () => {
  it('has at least 30 small committed files, each with an expectation, each what generate.ts writes', () => {
    const files = readdirSync(DIR).filter((f) => !/\.(ts|md)$/.test(f)).sort();
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files).toEqual(Object.keys(CASES).sort());
    const built = smallCorpus();
    for (const f of files) {
      expect(statSync(join(DIR, f)).size, f).toBeLessThan(100 * 1024);
      expect(new Uint8Array(readFileSync(join(DIR, f))), f).toEqual(built[f]);
    }
  });

  for (const [name, want] of Object.entries(CASES)) {
    it(`${name}: ${want.plain}${want.skip && want.skip !== 'loaded' && want.skip !== 'refused' ? ', then loaded with rejects' : ''}`, async () => {
      const before = await allTables(db);
      const plain = await attempt(db, { files: [fileFrom(join(DIR, name))] });
      if (want.plain === 'refused') {
        checkRefusal(plain, name, want);
        await expectUndisturbed(db, sentinel, before);
      } else {
        expect(plain.ok, plain.ok ? '' : String((plain as { error: unknown }).error)).toBe(true);
        if (!plain.ok) return;
        const [t] = plain.tables;
        if (want.rows !== undefined) expect(t.rows).toBe(want.rows);
        if (want.columns !== undefined) expect(t.columns).toBe(want.columns);
        for (const re of want.notes ?? []) expect(t.notes.join(' ')).toMatch(re);
        await expectUndisturbed(db, sentinel, before, plain.tables);
        await dropLoaded(db, plain.tables);
      }
      if (!want.skip) return;
      const skipped = await attempt(db, { files: [fileFrom(join(DIR, name))], csv: { skipBadRows: true } });
      if (want.skip === 'refused') {
        checkRefusal(skipped, name, { plain: 'refused' });
        // Already skipping: the message must not offer the same way out again.
        if (!skipped.ok) expect((skipped.error as AppError).message).not.toMatch(SKIP);
        await expectUndisturbed(db, sentinel, before);
        return;
      }
      expect(skipped.ok, skipped.ok ? '' : String((skipped as { error: unknown }).error)).toBe(true);
      if (!skipped.ok) return;
      const [t] = skipped.tables;
      if (want.skip === 'loaded') {
        expect(t.rejects?.total ?? 0).toBe(0);
        if (want.rows !== undefined) expect(t.rows).toBe(want.rows);
      } else {
        expect(t.rows).toBe(want.skip.rows);
        expect(t.rejects?.total).toBe(want.skip.rejected.length);
        expect(t.rejects?.lines.map((l) => l.line)).toEqual(want.skip.rejected);
        for (const l of t.rejects!.lines) {
          expect(l.text.length).toBeGreaterThan(0);
          expect(l.message.length).toBeGreaterThan(0);
        }
        expect(t.notes.join(' ')).toMatch(/bad lines? (was|were) skipped/);
      }
      await expectUndisturbed(db, sentinel, before, skipped.tables);
      await dropLoaded(db, skipped.tables);
    });
  }

  it('keeps the good rows intact when skipping: the mixed-encoding file reads its UTF-8 lines correctly', async () => {
    const r = await attempt(db, { files: [fileFrom(join(DIR, 'mixed-encoding.csv'))], csv: { skipBadRows: true } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(await rows(db, `SELECT name, city FROM ${r.tables[0].table} ORDER BY id`)).toEqual([
      { name: 'Zoë', city: 'Köln' },
      { name: 'Ann', city: 'Paris' },
      { name: 'Åsa', city: 'Malmö' },
      { name: 'Bob', city: 'Lyon' },
    ]);
    await dropLoaded(db, r.tables);
  });

  it('refuses a bad file named like a loaded table without touching that table', async () => {
    const before = await allTables(db);
    const bad = readFileSync(join(DIR, 'ragged-extra-field.csv'));
    const plain = await attempt(db, { files: [fileOf('keep.csv', new Uint8Array(bad))], table: 'keep' });
    checkRefusal(plain, 'keep.csv', { plain: 'refused', line: 3 });
    await expectUndisturbed(db, sentinel, before);
    const skipped = await attempt(db, { files: [fileOf('keep.csv', new Uint8Array(bad))], table: 'keep', csv: { skipBadRows: true } });
    expect(skipped.ok && skipped.tables.map((t) => t.table)).toEqual(['keep_2']);
    if (skipped.ok) {
      await expectUndisturbed(db, sentinel, before, skipped.tables);
      await dropLoaded(db, skipped.tables);
    }
  });

  it('refuses combining a good file with a broken one, naming the broken one, and creates nothing', async () => {
    const before = await allTables(db);
    const jan = fileOf('jan.csv', 'id,name,amount\n1,Ann,10\n2,Bob,20\n');
    for (const skipBadRows of [false, true]) {
      const r = await attempt(db, { files: [jan, fileFrom(join(DIR, 'ragged-extra-field.csv'))], csv: { skipBadRows } });
      checkRefusal(r, 'ragged-extra-field.csv', { plain: 'refused', message: [/do not fit its own columns/, /Load ragged-extra-field\.csv on its own/] });
      await expectUndisturbed(db, sentinel, before);
    }
  });
});

describe('huge generated inputs (written to the OS temp folder, never committed)', () => {
  let huge: HugeFiles;
  beforeAll(async () => {
    huge = await generateHugeFiles();
  }, 120_000);

  it('loads 10 000 columns', async () => {
    const before = await allTables(db);
    const r = await attempt(db, { files: [fileOnDisk(huge.wide)] });
    expect(r.ok, r.ok ? '' : String((r as { error: unknown }).error)).toBe(true);
    if (!r.ok) return;
    expect([r.tables[0].rows, r.tables[0].columns]).toEqual([3, 10_000]);
    await expectUndisturbed(db, sentinel, before, r.tables);
    await dropLoaded(db, r.tables);
  });

  it(`names line ${STRAY_LINE} when a numeric column meets a stray string there, and skipping reports just that line`, async () => {
    const before = await allTables(db);
    const name = 'stray-string-line-900000.csv';
    const plain = await attempt(db, { files: [fileOnDisk(huge.strayString)] });
    checkRefusal(plain, name, {
      plain: 'refused',
      line: STRAY_LINE,
      message: [/the value "n\/a" in column amount is not a whole number \(BIGINT\)/, /Set that column's type to VARCHAR/, SKIP],
    });
    await expectUndisturbed(db, sentinel, before);

    const skipped = await attempt(db, { files: [fileOnDisk(huge.strayString)], csv: { skipBadRows: true } });
    expect(skipped.ok).toBe(true);
    if (!skipped.ok) return;
    const [t] = skipped.tables;
    expect(t.rows).toBe(STRAY_LINE + 10 - 2); // lines 2…900 010, less the bad one
    expect(t.rejects?.total).toBe(1);
    expect(t.rejects?.lines[0]).toMatchObject({ line: STRAY_LINE, column: 'amount', kind: 'CAST', text: `${STRAY_LINE},n/a,Paris` });
    await expectUndisturbed(db, sentinel, before, skipped.tables);
    await dropLoaded(db, skipped.tables);

    // The advice works: with the column read as text, every row loads.
    const asText = await attempt(db, { files: [fileOnDisk(huge.strayString)], csv: { dialect: { types: { amount: 'VARCHAR' } } } });
    expect(asText.ok && asText.tables[0].rows).toBe(STRAY_LINE + 10 - 1);
    if (asText.ok) await dropLoaded(db, asText.tables);
  });

  it('explains a 50 MB field with DuckDB’s max_line_size, and loads it once the limit is raised', async () => {
    const before = await allTables(db);
    const name = 'field-50mb.csv';
    const plain = await attempt(db, { files: [fileOnDisk(huge.bigField)] });
    checkRefusal(plain, name, {
      plain: 'refused',
      code: 'too-large',
      message: [/the line that starts "2,xxx/, /longer than the maximum line size \(2,000,000 bytes; that line is at least \d+\.\d MB\)/, /raise "Max line size" in the dialect/],
    });
    await expectUndisturbed(db, sentinel, before);
    expect(plain.ms).toBeLessThan(20_000);

    const raised = await attempt(db, { files: [fileOnDisk(huge.bigField)], csv: { dialect: { maxLineSize: 60_000_000 } } });
    expect(raised.ok, raised.ok ? '' : String((raised as { error: unknown }).error)).toBe(true);
    if (!raised.ok) return;
    expect(await rows(db, `SELECT id, length(payload) AS len FROM ${raised.tables[0].table} ORDER BY id`)).toEqual([
      { id: 1, len: 5 },
      { id: 2, len: BIG_FIELD_BYTES },
      { id: 3, len: 2 },
    ]);
    await expectUndisturbed(db, sentinel, before, raised.tables);
    await dropLoaded(db, raised.tables);
  });
});
