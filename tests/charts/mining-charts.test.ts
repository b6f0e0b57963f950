import { describe, expect, it } from 'vitest';
import { barsScene, renderBars } from '../../src/charts/bars';
import { columnsScene, renderColumns } from '../../src/charts/columns';
import { heatmapScene, renderHeatmap } from '../../src/charts/heatmap';
import { lineScene, renderLine } from '../../src/charts/line';
import { networkScene, renderNetwork, ruleNetwork, type ItemNetwork } from '../../src/charts/network';
import { sceneToSvg, type Scene } from '../../src/charts/scene';
import { groupColour, renderScatter, scatterScene, type ScatterPoint } from '../../src/charts/scatter';
import { FakeElement, serialize } from './fake-dom';
import { all, checkGolden } from './golden';

// The Segment and Rules rooms' charts as scenes, compared with tests/fixtures/charts/*.svg (see
// crm-charts.test.ts for how goldens are normalized and rewritten).

// A PCA picture of three clusters and a noise point (DBSCAN), laid out by hand.
const pca: ScatterPoint[] = [
  { x: -2.1, y: 0.4, group: 0, title: 'row 1' }, { x: -1.8, y: 0.1, group: 0, title: 'row 2' }, { x: -2.4, y: -0.2, group: 0, title: 'row 3' },
  { x: 0.3, y: 1.9, group: 1, title: 'row 4' }, { x: 0.6, y: 2.2, group: 1, title: 'row 5' },
  { x: 2.2, y: -1.1, group: 2, title: 'row 6' }, { x: 1.9, y: -1.4, group: 2, title: 'row 7' },
  { x: 3.6, y: 3.1, group: -1, title: 'row 8' },
];

describe('scatter (PCA by cluster; rules by support × confidence)', () => {
  const byCluster = scatterScene(pca, { label: 'PCA projection coloured by cluster', xLabel: 'PC 1', yLabel: 'PC 2', colour: 'group' });

  it('draws one dot per point in its cluster colour, noise in grey, and a legend of clusters', () => {
    const dots = all(byCluster.children).find((n) => n.attrs?.class === 'dots')!.children!;
    expect(dots).toHaveLength(8);
    expect(dots[0].attrs!.fill).toBe(groupColour(0));
    expect(dots[7].attrs!.fill).toBe('#9ca3af');
    expect(dots[3].children![0].text).toBe('row 4');
    const legend = all(byCluster.children).find((n) => n.attrs?.class === 'legend')!.children!.filter((n) => n.tag === 'text').map((n) => n.text);
    expect(legend).toEqual(['noise', 'cluster 0', 'cluster 1', 'cluster 2']);
    // Points to the right sit further right: the x scale runs left to right, y bottom to top.
    expect(Number(dots[7].attrs!.cx)).toBeGreaterThan(Number(dots[0].attrs!.cx));
    expect(Number(dots[7].attrs!.cy)).toBeLessThan(Number(dots[0].attrs!.cy));
  });

  it('matches its golden SVG (by cluster)', () => checkGolden('mining-pca-scatter', byCluster));

  it('matches its golden SVG (rules coloured by lift)', () => {
    const rules = [
      { x: 0.02, y: 0.61, value: 1.4, title: 'bread → butter' },
      { x: 0.05, y: 0.52, value: 2.8, title: 'milk → cereal' },
      { x: 0.011, y: 0.93, value: 5.1, title: 'flour, sugar → eggs' },
    ];
    const scene = scatterScene(rules, { label: 'Rules by support and confidence, coloured by lift', xLabel: 'support', yLabel: 'confidence', colour: 'value', valueLabel: 'lift' });
    const legend = all(scene.children).find((n) => n.attrs?.class === 'legend')!.children!.filter((n) => n.tag === 'text').map((n) => n.text);
    expect(legend).toEqual(['lift', '1.4', '2.32', '3.25', '4.17', '5.1']);
    checkGolden('mining-rules-scatter', scene);
  });
});

describe('elbow line', () => {
  const elbow = [1, 2, 3, 4, 5, 6].map((k, i) => ({ x: k, y: [600, 330, 150, 120, 100, 90][i] }));
  const scene = lineScene(elbow, { label: 'Elbow: inertia by number of clusters k', xLabel: 'k', yLabel: 'inertia', markX: 3 });

  it('draws the curve, a dot with a tooltip per k, and the suggested k as a dashed rule', () => {
    const path = all(scene.children).find((n) => n.tag === 'path' && n.attrs?.class === undefined)!;
    expect(String(path.attrs!.d).match(/[ML]/g)).toHaveLength(6);
    const circles = all(scene.children).filter((n) => n.tag === 'circle');
    expect(circles.map((c) => c.children![0].text)).toContain('k 3: inertia 150');
    const mark = all(scene.children).find((n) => n.attrs?.class === 'mark')!;
    expect(mark.attrs!.x1).toBe(circles[2].attrs!.cx);
  });

  it('labels the inertia axis with SI prefixes, as d3 formats "~s"', () => {
    const ticks = all(scene.children).filter((n) => n.attrs?.class === 'tick').map((t) => t.children![1].text);
    expect(ticks).toEqual(expect.arrayContaining(['0', '1', '6', '100', '600']));
  });

  it('matches its golden SVG', () => checkGolden('mining-elbow', scene));
});

describe('cluster profile heatmap', () => {
  const data = {
    rows: ['cluster 0', 'cluster 1', 'cluster 2'],
    columns: ['recency_days', 'frequency', 'monetary_value_total', 'segment'],
    shade: [[-0.9, 1.2, 0.7, NaN], [0.1, -0.3, -0.2, NaN], [0.8, -0.6, -0.58, NaN]],
    text: [['12.5', '9.1', '1,820', 'loyal 64 %'], ['40.2', '3.3', '410', 'new 51 %'], ['88', '1.2', '95', 'lapsed 70 %']],
  };
  const scene = heatmapScene(data, { label: 'Cluster profiles: mean of each column by cluster' });

  it('colours cells by shade (clipped to ±1), grey for categories, and darkens text on strong cells', () => {
    const rects = all(scene.children).filter((n) => n.tag === 'rect');
    expect(rects).toHaveLength(12);
    expect(rects[3].attrs!.fill).toBe('#f3f4f6');
    // 1.2 is clipped to 1: the same colour as a shade of exactly 1.
    expect(rects[1].attrs!.fill).toBe(heatmapScene({ ...data, shade: [[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]] }, { label: 'x' }).children[2].children![1].children![0].attrs!.fill);
    const cellClass = all(scene.children).filter((n) => n.tag === 'text' && String(n.attrs?.class).startsWith('cell')).map((n) => n.attrs!.class);
    expect(cellClass.slice(0, 4)).toEqual(['cell dark', 'cell dark', 'cell dark', 'cell']);
    expect(all(scene.children).map((n) => n.text)).toContain('monetary_value_…');
  });

  it('matches its golden SVG', () => checkGolden('mining-heatmap', scene));
});

describe('rules item network', () => {
  const data: ItemNetwork = {
    items: ['bread', 'butter', 'milk', 'cereal', 'flour', 'sugar', 'eggs', 'baking powder (double acting)'],
    support: [0.42, 0.2, 0.5, 0.12, 0.08, 0.15, 0.3, 0.03],
    links: [
      { source: 0, target: 1, lift: 1.6 }, { source: 2, target: 3, lift: 2.4 }, { source: 3, target: 2, lift: 2.4 },
      { source: 4, target: 6, lift: 3.9 }, { source: 5, target: 6, lift: 3.1 }, { source: 4, target: 7, lift: 6.2 },
      { source: 5, target: 4, lift: 4.4 }, { source: 0, target: 2, lift: 1.2 },
    ],
  };
  const options = { label: 'Item network of the 25 rules with the highest lift' };
  const scene = networkScene(data, options);
  const circles = all(scene.children).filter((n) => n.tag === 'circle');
  const labels = all(scene.children).filter((n) => n.tag === 'text');
  const lines = all(scene.children).filter((n) => n.tag === 'line');

  it('is the same picture every time (seeded layout, run to rest)', () => {
    expect(sceneToSvg(networkScene(data, options))).toBe(sceneToSvg(scene));
  });

  it('sizes items by support (area) and draws arrows wider for higher lift', () => {
    const r = circles.map((c) => Number(c.attrs!.r));
    expect(r[2]).toBeGreaterThan(r[0]);
    expect(r[0]).toBeGreaterThan(r[6]);
    expect(r[7]).toBeLessThan(r[4]);
    const width = lines.map((l) => Number(l.attrs!['stroke-width']));
    expect(width[5]).toBe(5);
    expect(width[7]).toBe(1);
    expect(width[3]).toBeGreaterThan(width[1]);
    expect(lines[5].children![0].text).toBe('flour → baking powder (double acting): lift 6.20');
  });

  it('keeps every item inside the chart and apart from the others, with labels that do not overlap', () => {
    for (const c of circles) {
      const [x, y, r] = ['cx', 'cy', 'r'].map((k) => Number(c.attrs![k]));
      expect(x - r).toBeGreaterThanOrEqual(0);
      expect(x + r).toBeLessThanOrEqual(520);
      expect(y - r).toBeGreaterThanOrEqual(0);
      expect(y + r).toBeLessThanOrEqual(360);
    }
    for (let a = 0; a < circles.length; a++) {
      for (let b = a + 1; b < circles.length; b++) {
        const gap = Math.hypot(Number(circles[a].attrs!.cx) - Number(circles[b].attrs!.cx), Number(circles[a].attrs!.cy) - Number(circles[b].attrs!.cy));
        expect(gap).toBeGreaterThan(Number(circles[a].attrs!.r) + Number(circles[b].attrs!.r) + 4);
      }
    }
    const boxes = labels.map((t) => {
      const w = t.text!.length * 6.2;
      const x = Number(t.attrs!.x);
      const x0 = t.attrs!['text-anchor'] === 'start' ? x : t.attrs!['text-anchor'] === 'end' ? x - w : x - w / 2;
      return { x0, x1: x0 + w, y0: Number(t.attrs!.y) - 6, y1: Number(t.attrs!.y) + 6 };
    });
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const ox = Math.min(boxes[a].x1, boxes[b].x1) - Math.max(boxes[a].x0, boxes[b].x0);
        const oy = Math.min(boxes[a].y1, boxes[b].y1) - Math.max(boxes[a].y0, boxes[b].y0);
        expect(ox <= 0 || oy <= 0, `${labels[a].text} / ${labels[b].text}`).toBe(true);
      }
    }
    expect(labels.map((t) => t.text)).toContain('baking powder (doub…');
  });

  it('matches its golden SVG', () => checkGolden('mining-network', scene));

  it('is built from rules, with item supports recovered from their measures', () => {
    // 100 baskets: bread 40, butter 20, bread ∧ butter 12, milk 50, cereal 10, milk ∧ cereal ∧ bread 6.
    const rules = [
      { antecedent: ['bread'], consequent: ['butter'], support: 0.12, confidence: 0.12 / 0.4, lift: 0.12 / 0.4 / 0.2 },
      { antecedent: ['milk', 'cereal'], consequent: ['bread'], support: 0.06, confidence: 0.06 / 0.08, lift: 0.06 / 0.08 / 0.4 },
    ];
    const net = ruleNetwork(rules);
    expect(net.items).toEqual(['bread', 'butter', 'milk', 'cereal']);
    expect(net.links).toEqual([
      { source: 0, target: 1, lift: rules[0].lift },
      { source: 2, target: 0, lift: rules[1].lift },
      { source: 3, target: 0, lift: rules[1].lift },
    ]);
    const [bread, butter, milk, cereal] = net.support!;
    expect(bread).toBeCloseTo(0.4, 12);
    expect(butter).toBeCloseTo(0.2, 12);
    // Only seen together in a two-item antecedent: the rule's support, a lower bound.
    expect([milk, cereal]).toEqual([0.06, 0.06]);
  });
});

describe('bars and columns (column profiles, top values)', () => {
  const top = [{ label: 'Bakery & breakfast cereals (organic)', count: 1520 }, { label: 'Dairy', count: 980 }, { label: 'Produce', count: 40 }];
  const bars = barsScene(top, { label: 'Most frequent values of category' });
  const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'].map((label, i) => ({ label, count: [120, 95, 160, 80, 0, 140][i] }));
  const columns = columnsScene(months, { label: 'Rows per month of ordered_at' });

  it('draws bars in proportion to their counts, with shortened labels and counts printed', () => {
    const rects = all(bars.children).filter((n) => n.tag === 'rect');
    expect(Number(rects[0].attrs!.width) / Number(rects[1].attrs!.width)).toBeCloseTo(1520 / 980, 1);
    // A bar never vanishes: the smallest is at least 1 px wide.
    expect(Number(rects[2].attrs!.width)).toBeGreaterThanOrEqual(1);
    expect(all(bars.children).map((n) => n.text)).toEqual(expect.arrayContaining(['Bakery & breakfast ce…', '1,520']));
  });

  it('draws one column per month, labels every other month, and an empty month as height 0', () => {
    const rects = all(columns.children).filter((n) => n.tag === 'rect');
    expect(rects.map((r) => r.children![0].text)).toContain('2024-05: 0');
    expect(rects[4].attrs!.height).toBe(0);
    const ticks = all(columns.children).filter((n) => n.attrs?.class === 'tick').map((t) => t.children![1].text);
    expect(ticks).toEqual(['2024-01', '2024-03', '2024-05']);
  });

  it('match their golden SVGs', () => {
    checkGolden('profile-bars', bars);
    checkGolden('profile-columns', columns);
  });
});

describe('render() appends exactly the scene with D3, and its disposer removes it', () => {
  const cases: [string, (el: Element) => () => void, Scene][] = [
    ['line', (el) => renderLine(el, [{ x: 1, y: 5 }, { x: 2, y: 2 }], { label: 'l', xLabel: 'k', yLabel: 'inertia', markX: 2 }), lineScene([{ x: 1, y: 5 }, { x: 2, y: 2 }], { label: 'l', xLabel: 'k', yLabel: 'inertia', markX: 2 })],
    ['heatmap', (el) => renderHeatmap(el, { rows: ['a'], columns: ['x'], shade: [[0.3]], text: [['1']] }, { label: 'h' }), heatmapScene({ rows: ['a'], columns: ['x'], shade: [[0.3]], text: [['1']] }, { label: 'h' })],
    ['network', (el) => renderNetwork(el, { items: ['a', 'b'], links: [{ source: 0, target: 1, lift: 2 }] }, { label: 'n' }), networkScene({ items: ['a', 'b'], links: [{ source: 0, target: 1, lift: 2 }] }, { label: 'n' })],
    ['bars', (el) => renderBars(el, [{ label: 'a', count: 2 }], { label: 'b' }), barsScene([{ label: 'a', count: 2 }], { label: 'b' })],
    ['columns', (el) => renderColumns(el, [{ label: 'a', count: 2 }], { label: 'c' }), columnsScene([{ label: 'a', count: 2 }], { label: 'c' })],
    ['scatter', (el) => renderScatter(el, pca, { label: 's', xLabel: 'x', yLabel: 'y', colour: 'group' }), scatterScene(pca, { label: 's', xLabel: 'x', yLabel: 'y', colour: 'group' })],
  ];
  it.each(cases)('%s', async (name, render, scene) => {
    const host = new FakeElement('div');
    const dispose = render(host as unknown as Element);
    // The scatter adds its dots, and the network its layout ticks, in slices, one task each.
    await expect.poll(() => host.children.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(host.children).toHaveLength(1);
    const svg = `${serialize(host.children[0])}\n`;
    // The network's arrowhead id is numbered per chart, so two networks on a page never share one.
    expect(name === 'network' ? svg.replace(/network-arrow-\d+/g, 'network-arrow') : svg).toBe(sceneToSvg(scene));
    dispose();
    expect(host.children).toHaveLength(0);
  });
});
