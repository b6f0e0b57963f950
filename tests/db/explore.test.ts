import { beforeAll, describe, expect, it } from 'vitest';
import { localIngest } from '../../src/core/formats/parse';
import type { DbConnector } from '../../src/services/db/connector';
import {
  readCorrelations,
  readCrossTable,
  readCrosstab,
  readDensity,
  readHistogram,
  readNumericSummary,
  readScatter,
  readTimeSeries,
  readTopCategories,
  scatterSampleSql,
} from '../../src/services/db/explore';
import { loadFiles } from '../../src/services/db/ingest';
import { fileFrom, freshDb, rows } from './helpers';

// Every expected figure below comes from outside this project, computed on the same files
// (public/samples/*.csv = /work/shared/datasets/*.csv) with /usr/bin/python3, pandas 1.5.3,
// numpy 1.24.2 and scipy 1.10.1:
//   p = pd.read_csv('penguins.csv'); c = pd.read_csv('mlc_churn.csv')
const PENGUIN_NUMERIC = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
// p[PENGUIN_NUMERIC].corr() and .corr(method='spearman')
const PANDAS_PEARSON = [
  [1.0, -0.2350528703555336, 0.6561813407464264, 0.5951098244376273],
  [-0.2350528703555336, 1.0, -0.5838512164654143, -0.47191562118606745],
  [0.6561813407464264, -0.5838512164654143, 1.0, 0.8712017673060111],
  [0.5951098244376273, -0.47191562118606745, 0.8712017673060111, 1.0],
];
const PANDAS_SPEARMAN = [
  [1.0, -0.22174915179457866, 0.6727719416255545, 0.5838003194455482],
  [-0.22174915179457866, 1.0, -0.5232674711610737, -0.4323722214130437],
  [0.6727719416255545, -0.5232674711610737, 1.0, 0.8399741230312999],
  [0.5838003194455482, -0.4323722214130437, 0.8399741230312999, 1.0],
];
// c[CHURN_NUMERIC].corr(method='spearman') (integer columns with many ties)
const CHURN_NUMERIC = ['total_day_minutes', 'total_eve_calls', 'number_customer_service_calls', 'number_vmail_messages'];
const CHURN_SPEARMAN = [
  [1.0, 0.00794784395157021, -0.0014787209230754273, 0.008779444377001363],
  [0.00794784395157021, 1.0, 0.012159221280622131, -0.0015673920549835734],
  [-0.0014787209230754273, 0.012159221280622131, 1.0, -0.012190385550076519],
  [0.008779444377001363, -0.0015673920549835734, -0.012190385550076519, 1.0],
];

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFiles(db, localIngest, { files: [fileFrom('public/samples/penguins.csv')] });
  await loadFiles(db, localIngest, { files: [fileFrom('public/samples/mlc_churn.csv')] });
});

const expectMatrix = (actual: number[][], expected: number[][], digits: number) => actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], digits)));

describe('univariate', () => {
  it('box plot figures of body_mass_g equal numpy.percentile and Tukey fences', async () => {
    // np.percentile(x, [25, 50, 75]); whiskers = min/max inside q1 − 1.5 IQR, q3 + 1.5 IQR
    const s = await readNumericSummary(db, 'penguins', 'body_mass_g', null);
    expect(s).toMatchObject({ n: 342, min: 2700, max: 6300, q1: 3550, median: 4050, q3: 4750, whiskerLo: 2700, whiskerHi: 6300, outliers: 0 });
  });

  it('histogram bins equal numpy.histogram(body_mass_g, bins=10)', async () => {
    const bins = await readHistogram(db, 'penguins', 'body_mass_g', 2700, 6300, 10, null);
    expect(bins.map((b) => b.count)).toEqual([15, 43, 71, 53, 42, 41, 28, 27, 16, 6]);
    expect(bins[1].x0).toBeCloseTo(3060, 9);
    expect(bins[9].x1).toBe(6300);
  });

  it("density: binned KDE within 1 % of scipy.stats.gaussian_kde(flipper_length_mm)", async () => {
    const s = await readNumericSummary(db, 'penguins', 'flipper_length_mm', null);
    const d = await readDensity(db, 'penguins', 'flipper_length_mm', s, null);
    expect(d.bandwidth).toBeCloseTo(4.37756929495629, 9);
    // k([190, 215]) = 0.030381004826152015, 0.01916451711342293: compare at the nearest grid point
    // Linear interpolation between grid points (120 over the range ± 3 bandwidths, ~0.7 mm apart).
    const at = (x: number) => {
      const k = d.points.findIndex((p) => p.x > x);
      const [a, b] = [d.points[k - 1], d.points[k]];
      return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    };
    expect(Math.abs(at(190) - 0.030381004826152015) / 0.030381004826152015).toBeLessThan(0.01);
    expect(Math.abs(at(215) - 0.01916451711342293) / 0.01916451711342293).toBeLessThan(0.01);
    const area = d.points.reduce((a, p, i) => a + (i ? ((p.y + d.points[i - 1].y) / 2) * (p.x - d.points[i - 1].x) : 0), 0);
    expect(area).toBeCloseTo(1, 2);
  });

  it('top categories equal value_counts(); a brushed range filters them', async () => {
    // p.island.value_counts(): Biscoe 168, Dream 124, Torgersen 52
    expect(await readTopCategories(db, 'penguins', 'island', 2, null)).toEqual([
      { label: 'Biscoe', count: 168 },
      { label: 'Dream', count: 124 },
      { label: '(other)', count: 52 },
    ]);
    const heavy = await readTopCategories(db, 'penguins', 'island', 5, { column: 'body_mass_g', lo: 5000, hi: 7000 });
    const [{ n }] = await rows(db, 'SELECT count(*) AS n FROM penguins WHERE body_mass_g BETWEEN 5000 AND 7000');
    expect(heavy.reduce((a, b) => a + b.count, 0)).toBe(n);
  });

  it('names the column when it has no numbers', async () => {
    await expect(readNumericSummary(db, 'penguins', 'body_mass_g', { column: 'body_mass_g', lo: 9000, hi: 9999 })).rejects.toThrow(/"body_mass_g".*clear the filter/);
  });
});

describe('bivariate', () => {
  it('trend over all rows equals numpy.polyfit and R²; the sample is seeded and bounded', async () => {
    // np.polyfit(flipper_length_mm, body_mass_g, 1) = 49.68556640610007, -5780.831358077055;
    // np.corrcoef(...)[0,1]**2 = 0.758992519357118 on the 342 complete rows
    const { points, trend } = await readScatter(db, 'penguins', 'flipper_length_mm', 'body_mass_g', { limit: 100, seed: 7, filter: null });
    expect(trend.slope).toBeCloseTo(49.68556640610007, 9);
    expect(trend.intercept).toBeCloseTo(-5780.831358077055, 6);
    expect(trend.r2).toBeCloseTo(0.758992519357118, 12);
    expect(trend.n).toBe(342);
    expect(points).toHaveLength(100);
    const again = await readScatter(db, 'penguins', 'flipper_length_mm', 'body_mass_g', { limit: 100, seed: 7, filter: null });
    expect(again.points).toEqual(points);
    expect(scatterSampleSql('t', 'x', 'y', 5000, 42, null)).toContain('reservoir(5000 ROWS) REPEATABLE (42)');
  });

  it('Pearson and Spearman matrices equal pandas .corr() on penguins', async () => {
    const m = await readCorrelations(db, 'penguins', PENGUIN_NUMERIC, null);
    expect(m.n).toBe(342);
    expectMatrix(m.pearson, PANDAS_PEARSON, 12);
    expectMatrix(m.spearman!, PANDAS_SPEARMAN, 12);
    const pearsonOnly = await readCorrelations(db, 'penguins', PENGUIN_NUMERIC, null, { spearman: false });
    expect(pearsonOnly.spearman).toBeNull();
    expectMatrix(pearsonOnly.pearson, PANDAS_PEARSON, 12);
  });

  it('Spearman with heavy ties equals pandas on mlc_churn', async () => {
    const m = await readCorrelations(db, 'mlc_churn', CHURN_NUMERIC, null);
    expect(m.n).toBe(5000);
    expectMatrix(m.spearman!, CHURN_SPEARMAN, 12);
  });

  it.each([
    // scipy.stats.chi2_contingency(pd.crosstab(a, b).values, correction=False)
    ['penguins', 'species', 'island', 299.55032743148195, 4, 1.3545738297192517e-63],
    ['penguins', 'species', 'sex', 0.04860717014078318, 2, 0.9759893689765846],
    ['mlc_churn', 'international_plan', 'churn', 335.722726962286, 1, 5.450065096908781e-75],
    ['mlc_churn', 'state', 'churn', 96.89904116867889, 50, 7.850836224371879e-5],
    ['mlc_churn', 'area_code', 'voice_mail_plan', 0.8687629060813794, 2, 0.6476651545170996],
  ] as const)('crosstab %s %s × %s: chi-square equals scipy', async (table, a, b, stat, df, p) => {
    const t = await readCrosstab(db, table, a, b, null);
    expect(t.test.statistic).toBeCloseTo(stat, 9);
    expect(t.test.df).toBe(df);
    expect(Math.abs(t.test.pValue - p) / p).toBeLessThan(1e-8);
  });

  it('crosstab counts equal pd.crosstab(species, island), missing rows left out', async () => {
    const t = await readCrosstab(db, 'penguins', 'species', 'island', null);
    expect(t.rows).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(t.columns).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(t.counts).toEqual([[44, 56, 52], [0, 68, 0], [124, 0, 0]]);
    const sex = await readCrosstab(db, 'penguins', 'species', 'sex', null);
    expect(sex.test.n).toBe(333);
  });

  it('refuses a crosstab of a column with too many categories, naming it', async () => {
    await expect(readCrosstab(db, 'mlc_churn', 'total_day_minutes', 'churn', null)).rejects.toThrow(/"total_day_minutes" has 1,\d{3} distinct values/);
  });

  it('pivot mean and sum equal pandas.pivot_table', async () => {
    // pd.pivot_table(p, values='body_mass_g', index='species', columns='sex', aggfunc='mean')
    const mean = await readCrossTable(db, 'penguins', 'species', 'sex', { aggregate: 'mean', measure: 'body_mass_g', dropMissing: true, filter: null });
    expectMatrix(mean.values, [[3368.8356164383563, 4043.4931506849316], [3527.205882352941, 3938.970588235294], [4679.741379310345, 5484.836065573771]], 9);
    // pd.pivot_table(p, values='body_mass_g', index='species', columns='island', aggfunc='sum')
    const sum = await readCrossTable(db, 'penguins', 'species', 'island', { aggregate: 'sum', measure: 'body_mass_g', filter: null });
    expect(sum.values).toEqual([[163225, 206550, 189025], [NaN, 253850, NaN], [624350, NaN, NaN]]);
  });

  it('lumps categories beyond the top ones into (other) and keeps (missing)', async () => {
    const t = await readCrossTable(db, 'penguins', 'island', 'sex', { aggregate: 'count', topRows: 1, filter: null });
    expect(t.rows).toEqual(['Biscoe', '(other)']);
    expect(t.columns).toEqual(['female', 'male', '(missing)']);
    expect(t.values.flat().reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0)).toBe(344);
  });
});

describe('time series', () => {
  beforeAll(async () => {
    await db.query(`CREATE TABLE sales AS SELECT * FROM (VALUES (DATE '2023-01-10', 5.0, 1), (DATE '2023-02-02', 0.0, 2), (DATE '2023-02-20', 3.0, 2),
      (DATE '2023-04-01', 7.0, 1), (DATE '2024-01-15', 2.0, 3), (DATE '2024-04-30', 4.0, 1)) t(day, amount, customer)`);
  });

  it('monthly revenue, 3-period moving average and last year equal pandas resample/rolling/shift', async () => {
    // s.resample('MS').sum(); .rolling(3, min_periods=1).mean(); .shift(12)
    const t = await readTimeSeries(db, 'sales', { date: 'day', grain: 'month', metric: 'revenue', measure: 'amount', window: 3, filter: null });
    expect(t).toHaveLength(16);
    expect(t[0].period).toBe('2023-01-01');
    expect(t.map((p) => p.value)).toEqual([5, 3, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 4]);
    const pandasRolling = [5.0, 4.0, 2.666667, 3.333333, 2.333333, 2.333333, 0, 0, 0, 0, 0, 0, 0.666667, 0.666667, 0.666667, 1.333333];
    t.forEach((p, i) => expect(p.movingAvg).toBeCloseTo(pandasRolling[i], 5));
    expect(t.map((p) => p.lastYear)).toEqual([...Array(12).fill(null), 5, 3, 0, 7]);
  });

  it('counts orders and distinct customers per period', async () => {
    const orders = await readTimeSeries(db, 'sales', { date: 'day', grain: 'month', metric: 'orders', window: 1, filter: null });
    expect(orders.slice(0, 2).map((p) => p.value)).toEqual([1, 2]);
    const customers = await readTimeSeries(db, 'sales', { date: 'day', grain: 'month', metric: 'customers', customer: 'customer', window: 1, filter: null });
    expect(customers.slice(0, 2).map((p) => p.value)).toEqual([1, 1]);
    await expect(readTimeSeries(db, 'sales', { date: 'day', grain: 'week', metric: 'revenue', window: 1, filter: null })).rejects.toThrow(/amount column/);
  });
});
