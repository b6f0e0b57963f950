import { describe, expect, it } from 'vitest';
import { cohortHeatmapScene, renderCohortHeatmap } from '../../src/charts/cohort-heatmap';
import { holdoutLinesScene, renderHoldoutLines } from '../../src/charts/holdout-lines';
import { renderRfmTreemap, rfmTreemapScene } from '../../src/charts/rfm-treemap';
import { sceneToSvg, type Scene, type SvgNode } from '../../src/charts/scene';
import { FakeElement, serialize } from './fake-dom';
import { all, checkGolden, normalizeSvg } from './golden';

// No DOM library (jsdom/happy-dom) is installed, so these compare each chart's scene — the exact
// elements render() appends with D3 — serialized to SVG, against tests/fixtures/charts/*.svg, and
// check on a minimal fake DOM (fake-dom.ts) that render() builds that very SVG.

describe('cohort heatmap', () => {
  // The cohort fixture of tests/db/crm/cohorts.test.ts.
  const data = { cohorts: ['2024-01', '2024-02'], sizes: [3, 2], retention: [[1, 1 / 3, 1 / 3, 1 / 3], [1, 0.5, 0, null]] };
  const scene = cohortHeatmapScene(data, { label: 'Retention by first-purchase month' });

  it('draws one cell per observed month with its percentage, none for unobserved months', () => {
    const rects = all(scene.children).filter((n) => n.tag === 'rect');
    expect(rects).toHaveLength(7);
    const labels = all(scene.children).filter((n) => n.tag === 'text').map((n) => n.text);
    expect(labels).toEqual(expect.arrayContaining(['2024-01 (3)', '2024-02 (2)', '33%', '50%', '0%']));
  });

  it('matches its golden SVG', () => checkGolden('cohort-heatmap', scene));
});

describe('RFM segment treemap', () => {
  const sizes = [
    { segment: 'Champions', customers: 120, revenueShare: 0.38 },
    { segment: 'Loyal', customers: 200, revenueShare: 0.3 },
    { segment: 'At risk', customers: 90, revenueShare: 0.14 },
    { segment: 'Hibernating', customers: 260, revenueShare: 0.1 },
    { segment: 'Lost', customers: 300, revenueShare: 0.06 },
    { segment: 'New', customers: 30, revenueShare: 0.02 },
    { segment: 'Promising', customers: 0, revenueShare: 0 },
  ];
  const scene = rfmTreemapScene(sizes, { label: 'Customers by RFM segment', width: 480, height: 280 });

  it('tiles areas in proportion to customers and leaves out empty segments', () => {
    const rects = all(scene.children).filter((n) => n.tag === 'rect');
    expect(rects).toHaveLength(6);
    const area = (n: SvgNode) => Number(n.attrs!.width) * Number(n.attrs!.height);
    const titles = rects.map((r) => r.children![0].text!);
    const lost = rects[titles.findIndex((t) => t.startsWith('Lost'))];
    const champions = rects[titles.findIndex((t) => t.startsWith('Champions'))];
    // Padding makes small tiles slightly smaller than their share; 300/120 = 2.5.
    expect(area(lost) / area(champions)).toBeGreaterThan(2.3);
    expect(area(lost) / area(champions)).toBeLessThan(2.7);
  });

  it('matches its golden SVG', () => checkGolden('rfm-treemap', scene));
});

describe('calibration vs holdout lines', () => {
  const points = [
    { label: '0', actual: 0.6, expected: 0.6 },
    { label: '1', actual: 0.51, expected: 0.48 },
    { label: '2', actual: 0.78, expected: 0.77 },
    { label: '3+', actual: 1.4, expected: 1.5 },
  ];
  const scene = holdoutLinesScene(points, { label: 'Holdout transactions, actual vs expected' });

  it('draws an actual and an expected line through every group', () => {
    const paths = all(scene.children).filter((n) => n.tag === 'path');
    expect(paths.map((p) => p.attrs!.class)).toEqual(['actual', 'expected']);
    for (const p of paths) expect(String(p.attrs!.d).match(/[ML]/g)).toHaveLength(4);
  });

  it('matches its golden SVG', () => checkGolden('holdout-lines', scene));
});

describe('normalizeSvg', () => {
  it('rounds decimals to 2 places and renumbers ids', () => {
    expect(normalizeSvg('<g id="clip-17" x="1.23456" y="-0.004"></g>')).toBe('<g id="id-0" x="1.23" y="0"></g>');
  });
});

describe('render() appends exactly the scene with D3, and its disposer removes it', () => {
  it.each([
    ['cohort-heatmap', () => renderCohortHeatmap],
    ['rfm-treemap', () => renderRfmTreemap],
    ['holdout-lines', () => renderHoldoutLines],
  ] as const)('%s', (name, getRender) => {
    const data = {
      'cohort-heatmap': { cohorts: ['2024-01'], sizes: [4], retention: [[1, 0.25, null]] },
      'rfm-treemap': [{ segment: 'Loyal', customers: 3, revenueShare: 1 }],
      'holdout-lines': [{ label: '0', actual: 1, expected: 1.2 }],
    }[name];
    const scenes = { 'cohort-heatmap': cohortHeatmapScene, 'rfm-treemap': rfmTreemapScene, 'holdout-lines': holdoutLinesScene };
    const host = new FakeElement('div');
    const render = getRender() as (el: Element, d: unknown, o: { label: string }) => () => void;
    const dispose = render(host as unknown as Element, data, { label: `chart ${name}` });
    expect(host.children).toHaveLength(1);
    const scene = (scenes[name] as (d: unknown, o: { label: string }) => Scene)(data, { label: `chart ${name}` });
    expect(`${serialize(host.children[0])}\n`).toBe(sceneToSvg(scene));
    expect(host.children[0].attributes.get('role')).toBe('img');
    dispose();
    expect(host.children).toHaveLength(0);
  });
});
