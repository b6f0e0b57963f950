// Model data from a real DuckDB-WASM engine: the telecom churn sample (modeldata's mlc_churn,
// /work/shared/datasets) loaded through the app's own ingest path.
import { beforeAll, describe, expect, it } from 'vitest';
import { localIngest } from '../../src/core/formats/parse';
import { decodeColumn, encodeCategories } from '../../src/core/models/column-codes';
import { encodeLabels } from '../../src/core/models/labels';
import { trainModels } from '../../src/core/models/train';
import type { DbConnector } from '../../src/services/db/connector';
import { loadFiles } from '../../src/services/db/ingest';
import { readModelData, SQL_CLASSES, suggestFeatures, targetInfo } from '../../src/services/db/model-data';
import { keyValues, rowsWithKey, tableCsv, topScores, writeScoreTable } from '../../src/services/db/model-scores';
import { fileFrom, freshDb, rows } from './helpers';

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFiles(db, localIngest, { files: [fileFrom('/work/shared/datasets/mlc_churn.csv', 'churn.csv')] });
  // A leaky column (the outcome recorded as a code, 1 % flipped), an id and a near-empty column.
  await db.query(`CREATE TABLE telco AS SELECT row_number() OVER () AS customer_id, *,
    CASE WHEN (churn = 'yes') <> (hash(rowid) % 100 = 0) THEN 1 ELSE 0 END AS closed_account,
    CASE WHEN rowid % 10 = 0 THEN 1.0 END AS survey_score FROM churn`);
}, 60_000);

describe('target and task', () => {
  it('a yes/no column is classification; a many-valued number is regression; a few-valued number is classes', async () => {
    expect(await targetInfo(db, 'telco', 'churn')).toMatchObject({ task: 'classification', distinct: 2, present: 5000 });
    expect((await targetInfo(db, 'telco', 'total_day_minutes')).task).toBe('regression');
    expect((await targetInfo(db, 'telco', 'number_customer_service_calls')).task).toBe('classification');
  });
});

describe('feature suggestions for churn', () => {
  it('flags the id, the near-empty and the leaky column, and ranks by mutual information', async () => {
    const advice = await suggestFeatures(db, 'telco', await targetInfo(db, 'telco', 'churn'));
    const by = new Map(advice.map((a) => [a.name, a]));
    expect(by.get('customer_id')!.flags).toContain('id-like');
    expect(by.get('survey_score')!.flags).toContain('near-empty');
    expect(by.get('closed_account')!.flags).toEqual(['leakage']);
    expect(by.get('closed_account')!.reasons[0]).toMatch(/alone it removes \d+ % of the errors/);
    expect(by.get('total_day_minutes')!.flags).toEqual([]);
    // Mutual information of text columns, in bits, against sklearn 1.2.1's
    // mutual_info_score(column, churn) / ln 2: international_plan 0.036374, state 0.014177.
    expect(by.get('international_plan')!.relevance).toBeCloseTo(0.0363745, 6);
    expect(by.get('state')!.relevance).toBeCloseTo(0.0141769, 6);
    const ranked = advice.filter((a) => a.flags.length === 0).map((a) => a.name);
    expect(ranked.slice(0, 4)).toEqual(expect.arrayContaining(['total_day_minutes', 'total_day_charge']));
    expect(ranked.indexOf('international_plan')).toBeLessThan(ranked.indexOf('area_code'));
  });
});

describe('reading and training', () => {
  it('reads numbers as doubles (missing = NaN) and text as codes, drops rows without a target', async () => {
    await db.query(`CREATE OR REPLACE TABLE small AS SELECT * FROM (VALUES (1, 'a', 'x'), (NULL, NULL, 'y'), (3, 'b', NULL), (4, 'a', 'x')) v(n, c, y)`);
    const data = await readModelData(db, { table: 'small', features: ['n', 'c'], target: { name: 'y', task: 'classification' } });
    expect(data.n).toBe(3);
    expect(Array.from(data.rowIds)).toEqual([0, 1, 3]);
    expect(decodeColumn(data.columns[0]).values).toEqual(Float64Array.from([1, NaN, 4]));
    expect(decodeColumn(data.columns[1]).values).toEqual(['a', null, 'a']);
    expect(data.target).toMatchObject({ classes: ['x', 'y'], codes: Int32Array.from([0, 1, 0]) });
    await expect(readModelData(db, { table: 'small', features: ['nope'] })).rejects.toThrow(/Column "nope" of small/);
  });

  it('trains two models on mlc_churn and writes scores back as a table', async () => {
    const features = ['international_plan', 'voice_mail_plan', 'total_day_minutes', 'total_eve_minutes', 'total_night_minutes', 'total_intl_minutes', 'total_intl_calls', 'number_customer_service_calls', 'state'];
    const data = await readModelData(db, { table: 'telco', features, target: { name: 'churn', task: 'classification' } });
    const columns = data.columns.map(decodeColumn);
    const result = trainModels(columns, data.target!, 'churn', [{ kind: 'logistic' }, { kind: 'cart', params: { maxDepth: 6 } }], { seed: 0 });
    expect(result.test.length).toBe(1250);
    const [logit, tree] = result.runs;
    // Hold-out AUC near the 5-fold CV figures of sklearn on all columns (0.821 logistic, 0.872 depth-6 tree).
    expect(logit.scores!.task === 'classification' && logit.scores!.auc).toBeGreaterThan(0.78);
    expect(tree.scores!.task === 'classification' && tree.scores!.auc).toBeGreaterThan(0.84);
    expect(tree.importance![0].feature).toMatch(/total_day_minutes|number_customer_service_calls|international_plan/);

    const all = await readModelData(db, { table: 'telco', features });
    const { predictModel } = await import('../../src/core/models/pipeline');
    const p = predictModel(tree.model!, all.columns.map(decodeColumn));
    const probability = Float64Array.from({ length: all.n }, (_, i) => p.proba![i * 2 + 1]);
    const written = await writeScoreTable(db, { source: 'telco', key: 'customer_id', output: 'churn_scores' }, { rowIds: all.rowIds, probability, predicted: { codes: Int32Array.from(p.values), classes: tree.model!.classes } });
    expect(written).toBe(5000);
    const summary = await rows(db, `SELECT count(*) AS n, count(DISTINCT customer_id) AS ids, min(decile) AS lo, max(decile) AS hi, sum((predicted_class = 'yes')::INT) AS yes FROM churn_scores`);
    expect(summary[0]).toMatchObject({ n: 5000, ids: 5000, lo: 1, hi: 10 });
    const top = await topScores(db, 'churn_scores', 5);
    expect(top).toHaveLength(5);
    expect(top[0].decile).toBe(1);
    expect(Number(top[0].probability)).toBeGreaterThanOrEqual(Number(top[4].probability));
    const csv = await tableCsv(db, 'churn_scores');
    expect(csv.split('\n')[0]).toBe('customer_id,probability,predicted_class,decile');
    expect(csv.trim().split('\n')).toHaveLength(5001);
  }, 60_000);
});

describe('customers by key (for "why" of one customer)', () => {
  it('finds the rows whose key reads a value, counts duplicates, and lists key values in row order', async () => {
    await db.query(`CREATE OR REPLACE TABLE keyed AS SELECT 'C' || lpad((rowid + 1)::VARCHAR, 4, '0') AS customer_id, state FROM churn ORDER BY rowid`);
    expect(await rowsWithKey(db, 'keyed', 'customer_id', ' C0042 ')).toEqual({ rowIds: [41], count: 1 });
    expect(await rowsWithKey(db, 'keyed', 'customer_id', 'C9999')).toEqual({ rowIds: [], count: 0 });
    // pandas: (mlc_churn.state == 'KS').sum() is 99, first at rows 0, 179, 258.
    expect(await rowsWithKey(db, 'keyed', 'state', 'KS', 3)).toEqual({ rowIds: [0, 179, 258], count: 99 });
    // A number key is compared as text.
    expect((await rowsWithKey(db, 'telco', 'account_length', '128', 1)).count).toBeGreaterThan(0);
    expect(await keyValues(db, 'keyed', 'customer_id', 3)).toEqual(['C0001', 'C0002', 'C0003']);
    expect(await keyValues(db, 'keyed', 'state', 3)).toEqual(['KS', 'OH', 'NJ']);
  });
});

describe('codes computed by DuckDB', () => {
  /** What the page computed before DuckDB did: every value decoded, then coded in JavaScript. */
  async function decodedHere(table: string, features: string[], target: string, numericTarget: boolean) {
    const r = await db.query(`SELECT ${numericTarget ? `${target}::DOUBLE` : `${target}::VARCHAR`} AS y, ${features.map((f) => `${f}::VARCHAR AS ${f}`).join(', ')} FROM ${table} WHERE ${target} IS NOT NULL ORDER BY rowid`);
    const rows = r.toArray().map((x) => x.toJSON());
    return {
      labels: encodeLabels(rows.map((x) => x.y as string | number)),
      columns: features.map((f) => encodeCategories(f, rows.map((x) => x[f] as string | null))),
    };
  }

  it('equal the page-side encodings: first-appearance dictionaries, sorted classes, blanks missing', async () => {
    // Text with blanks and NULLs, a private-use character (U+E000) against an astral one (U+1F600),
    // which UTF-8 byte order and JavaScript's code-unit order sort differently; numbers as classes.
    await db.query(`CREATE OR REPLACE TABLE coded AS SELECT * FROM (VALUES
      ('b', 'x', '\u{E000}', 10, 1), ('', 'y', '😀', 2, 2), (NULL, 'x', 'é', 0.5, NULL), ('a', NULL, '\u{E000}', 2, 3),
      ('b', '', 'a', 10, 4), ('c', 'z', '😀', 0.5, 5), ('a', 'y', 'é', 2, 6)) v(c1, c2, y, ny, k)`);
    for (const [target, numeric] of [['y', false], ['ny', true]] as const) {
      const data = await readModelData(db, { table: 'coded', features: ['c1', 'c2'], target: { name: target, task: 'classification' } });
      const here = await decodedHere('coded', ['c1', 'c2'], target, numeric);
      expect(data.target).toEqual({ task: 'classification', ...here.labels });
      expect(data.columns).toEqual(here.columns);
    }
    const byK = await readModelData(db, { table: 'coded', features: ['c1'], target: { name: 'k', task: 'classification' } });
    expect(byK.target).toMatchObject({ classes: ['1', '2', '3', '4', '5', '6'] });
    expect(byK.n).toBe(6);
  });

  it('name the first row with an empty label, and refuse a single class', async () => {
    await db.query(`CREATE OR REPLACE TABLE blank AS SELECT * FROM (VALUES (1, 'a'), (2, NULL), (3, 'b'), (4, ''), (5, 'a')) v(x, y)`);
    await expect(readModelData(db, { table: 'blank', features: ['x'], target: { name: 'y', task: 'classification' } })).rejects.toThrow(/target is missing on row 3;/);
    await db.query(`CREATE OR REPLACE TABLE single AS SELECT * FROM (VALUES (1, 'a'), (2, 'a')) v(x, y)`);
    await expect(readModelData(db, { table: 'single', features: ['x'], target: { name: 'y', task: 'classification' } })).rejects.toThrow(/only one class \(a\)/);
  });

  it(`decodes a target of more than ${SQL_CLASSES} classes on the page, the same way`, async () => {
    await db.query(`CREATE OR REPLACE TABLE many AS SELECT i % 7 AS x, 'c' || (i % 300) AS y FROM range(1200) t(i)`);
    const data = await readModelData(db, { table: 'many', features: ['x'], target: { name: 'y', task: 'classification' } });
    const here = await decodedHere('many', ['x'], 'y', false);
    expect(data.target).toEqual({ task: 'classification', ...here.labels });
  });
});
