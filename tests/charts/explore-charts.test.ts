import { describe, expect, it } from 'vitest';
import { boxPlotScene, renderBoxPlot } from '../../src/charts/box-plot';
import { densityScene, renderDensity } from '../../src/charts/density';
import { histogramScene } from '../../src/charts/explore-histogram';
import { groupedBarsScene, renderGroupedBars } from '../../src/charts/grouped-bars';
import { sceneToSvg, type Scene } from '../../src/charts/scene';
import { renderTimeSeries, timeSeriesScene } from '../../src/charts/time-series';
import { renderTrendScatter, trendScatterScene } from '../../src/charts/trend-scatter';
import { crossTableRows, fileStem, rowsToCsv } from '../../src/charts/export';
import { FakeElement, serialize } from './fake-dom';
import { all, checkGolden } from './golden';

// Same pattern as crm-charts.test.ts: each chart's scene serialized to SVG against
// tests/fixtures/charts/*.svg, and render() checked on the fake DOM to build that very SVG.

// numpy.histogram(penguins.body_mass_g, bins=10): the counts of tests/db/explore.test.ts.
const COUNTS = [15, 43, 71, 53, 42, 41, 28, 27, 16, 6];
const BINS = COUNTS.map((count, k) => ({ x0: 2700 + 360 * k, x1: 3060 + 360 * k, count }));
// numpy.percentile(body_mass_g, [25, 50, 75]) and Tukey's whiskers.
const BOX = { min: 2700, max: 6300, q1: 3550, median: 4050, q3: 4750, whiskerLo: 2700, whiskerHi: 6300, outliers: 0, n: 342 };

describe('brushable histogram', () => {
  it('draws one bar per bin, taller for more rows, darker inside the selection', () => {
    const scene = histogramScene(BINS, { label: 'Histogram of body_mass_g', xLabel: 'body_mass_g', selection: [3500, 4200] });
    const bars = all(scene.children).filter((n) => n.tag === 'rect');
    expect(bars).toHaveLength(10);
    expect(Number(bars[2].attrs!.height)).toBeGreaterThan(Number(bars[9].attrs!.height) * 10);
    expect(bars.map((b) => b.attrs!.fill === '#1d4ed8')).toEqual([false, false, true, true, true, false, false, false, false, false]);
    expect(bars[2].children![0].text).toBe('3420 – 3780: 71 rows');
    checkGolden('explore-histogram', scene);
  });
});

describe('box plot', () => {
  const scene = boxPlotScene({ ...BOX, outliers: 3 }, { label: 'Box plot of body_mass_g', xLabel: 'body_mass_g' });
  it('puts the box on the quartiles and says how many outliers lie beyond the fences', () => {
    const box = all(scene.children).find((n) => n.attrs?.class === 'box')!;
    const median = all(scene.children).find((n) => n.attrs?.class === 'median')!;
    expect(Number(box.attrs!.x)).toBeLessThan(Number(median.attrs!.x1));
    expect(Number(box.attrs!.x) + Number(box.attrs!.width)).toBeGreaterThan(Number(median.attrs!.x1));
    expect(all(scene.children).find((n) => n.attrs?.class === 'outliers')!.text).toBe('3 outliers beyond 1.5 IQR');
  });
  it('matches its golden SVG', () => checkGolden('box-plot', scene));
});

describe('density', () => {
  const points = Array.from({ length: 41 }, (_, i) => ({ x: i - 20, y: Math.exp(-0.5 * ((i - 20) / 5) ** 2) / (5 * Math.sqrt(2 * Math.PI)) }));
  const scene = densityScene(points, { label: 'Density of x', xLabel: 'x', note: 'Gaussian KDE on 256 bins of 1,000 rows' });
  it('draws the area and the curve through every point', () => {
    const curve = all(scene.children).find((n) => n.attrs?.class === 'curve')!;
    expect(String(curve.attrs!.d).match(/[ML]/g)).toHaveLength(41);
    expect(all(scene.children).some((n) => n.text === 'Gaussian KDE on 256 bins of 1,000 rows')).toBe(true);
  });
  it('matches its golden SVG', () => checkGolden('density', scene));
});

describe('grouped and stacked bars', () => {
  // pd.pivot_table(penguins, 'body_mass_g', 'species', 'island', 'sum') (NaN: no such penguins)
  const data = { groups: ['Adelie', 'Chinstrap', 'Gentoo'], series: ['Biscoe', 'Dream', 'Torgersen'], values: [[163225, 206550, 189025], [NaN, 253850, NaN], [624350, NaN, NaN]] };
  it('grouped: one bar per non-empty cell, side by side', () => {
    const scene = groupedBarsScene(data, { label: 'Body mass by species and island', yLabel: 'sum of body_mass_g', mode: 'grouped' });
    const bars = all(scene.children).filter((n) => n.tag === 'rect' && n.children);
    expect(bars).toHaveLength(5);
    expect(new Set(bars.slice(0, 3).map((b) => b.attrs!.x)).size).toBe(3);
    checkGolden('grouped-bars', scene);
  });
  it('stacked: segments of a group share x and pile up to its total', () => {
    const scene = groupedBarsScene(data, { label: 'Body mass by species and island, stacked', yLabel: 'sum of body_mass_g', mode: 'stacked' });
    const adelie = all(scene.children).filter((n) => n.tag === 'rect' && n.children?.[0].text?.startsWith('Adelie'));
    expect(new Set(adelie.map((b) => b.attrs!.x)).size).toBe(1);
    const top = Math.min(...adelie.map((b) => Number(b.attrs!.y)));
    const bottom = Math.max(...adelie.map((b) => Number(b.attrs!.y) + Number(b.attrs!.height)));
    const gentoo = all(scene.children).find((n) => n.tag === 'rect' && n.children?.[0].text?.startsWith('Gentoo'))!;
    // Adelie's stack (558,800) is 0.895 of Gentoo's single bar (624,350).
    expect((bottom - top) / Number(gentoo.attrs!.height)).toBeCloseTo(558800 / 624350, 2);
    checkGolden('stacked-bars', scene);
  });
});

describe('scatter with trend line', () => {
  const points = [1, 2, 3, 4, 5, 6].map((x) => ({ x, y: 2 * x + 1 + (x % 2 ? 0.5 : -0.5) }));
  const trend = { slope: 2, intercept: 1, r2: 0.95, n: 600 };
  const scene = trendScatterScene(points, trend, { label: 'y by x', xLabel: 'x', yLabel: 'y' });
  it('draws every point, the line and a caption saying the points are a sample', () => {
    expect(all(scene.children).filter((n) => n.tag === 'circle')).toHaveLength(6);
    expect(all(scene.children).find((n) => n.attrs?.class === 'caption')!.text).toBe('R² = 0.950 over 600 rows; 6 sampled points shown');
    expect(all(scene.children).filter((n) => n.attrs?.class === 'trend')).toHaveLength(1);
  });
  it('matches its golden SVG', () => checkGolden('trend-scatter', scene));
});

describe('time series', () => {
  // The monthly series of tests/db/explore.test.ts (pandas resample/rolling/shift).
  const values = [5, 3, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 4];
  const points = values.map((value, i) => ({ period: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, value, movingAvg: value, lastYear: i >= 12 ? values[i - 12] : null }));
  const scene = timeSeriesScene(points, { label: 'Revenue per month', yLabel: 'Revenue', movingAvgLabel: '3-month moving average', yearOverYear: true });
  it('draws value, moving average and last year (only where it exists)', () => {
    const paths = all(scene.children).filter((n) => n.tag === 'path');
    expect(paths.map((p) => p.attrs!.class)).toEqual(['last-year', 'value', 'moving-average']);
    expect(String(paths[0].attrs!.d).match(/[ML]/g)).toHaveLength(4);
    expect(all(scene.children).filter((n) => n.tag === 'circle')).toHaveLength(16);
  });
  it('matches its golden SVG', () => checkGolden('time-series', scene));
});

describe('render() appends exactly the scene with D3, and its disposer removes it', () => {
  const cases: [string, (el: Element) => () => void, Scene][] = [
    ['box-plot', (el) => renderBoxPlot(el, BOX, { label: 'b', xLabel: 'x' }), boxPlotScene(BOX, { label: 'b', xLabel: 'x' })],
    ['density', (el) => renderDensity(el, [{ x: 0, y: 1 }, { x: 1, y: 2 }], { label: 'd', xLabel: 'x' }), densityScene([{ x: 0, y: 1 }, { x: 1, y: 2 }], { label: 'd', xLabel: 'x' })],
    ['grouped-bars', (el) => renderGroupedBars(el, { groups: ['a'], series: ['s'], values: [[2]] }, { label: 'g', yLabel: 'n', mode: 'stacked' }), groupedBarsScene({ groups: ['a'], series: ['s'], values: [[2]] }, { label: 'g', yLabel: 'n', mode: 'stacked' })],
    ['trend-scatter', (el) => renderTrendScatter(el, [{ x: 1, y: 1 }, { x: 2, y: 3 }], null, { label: 't', xLabel: 'x', yLabel: 'y' }), trendScatterScene([{ x: 1, y: 1 }, { x: 2, y: 3 }], null, { label: 't', xLabel: 'x', yLabel: 'y' })],
    ['time-series', (el) => renderTimeSeries(el, [{ period: '2024-01-01', value: 1, movingAvg: 1, lastYear: null }], { label: 'ts', yLabel: 'v' }), timeSeriesScene([{ period: '2024-01-01', value: 1, movingAvg: 1, lastYear: null }], { label: 'ts', yLabel: 'v' })],
  ];
  it.each(cases)('%s', async (_, render, scene) => {
    const host = new FakeElement('div');
    const dispose = render(host as unknown as Element);
    // The scatter adds its dots in timed slices.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(host.children).toHaveLength(1);
    expect(`${serialize(host.children[0])}\n`).toBe(sceneToSvg(scene));
    dispose();
    expect(host.children).toHaveLength(0);
  });
});

describe('chart data as CSV', () => {
  it('quotes fields as RFC 4180 and leaves missing values empty', () => {
    expect(rowsToCsv([{ a: 'x, "y"', b: 1.5 }, { a: null, b: NaN }])).toBe('a,b\n"x, ""y""",1.5\n,\n');
    expect(rowsToCsv([])).toBe('');
  });

  it('lists the non-empty cells of a cross table, one per line', () => {
    const t = { rows: ['a', 'b'], columns: ['x', 'y'], values: [[3, NaN], [1.5, 2]], counts: [[2, 0], [1, 4]] };
    expect(crossTableRows(t, 'r', 'c', 'mean')).toEqual([
      { r: 'a', c: 'x', mean: 3, rows: 2 },
      { r: 'b', c: 'x', mean: 1.5, rows: 1 },
      { r: 'b', c: 'y', mean: 2, rows: 4 },
    ]);
  });

  it('names files after the chart', () => expect(fileStem('Histogram of Amount (€)')).toBe('histogram-of-amount'));
});
