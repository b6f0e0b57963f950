import { line, max, scalePoint, scaleLinear } from 'd3';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** One group of the calibration-vs-holdout comparison (src/core/crm/holdout.ts). */
export interface HoldoutPoint {
  /** "0", "1", …, "7+": repeat transactions in the calibration period. */
  label: string;
  /** Mean holdout transactions observed. */
  actual: number;
  /** Mean holdout transactions the model expects. */
  expected: number;
}

/** Size and label of the chart. */
export interface HoldoutLinesOptions {
  label: string;
  width?: number;
  height?: number;
}

/**
 * Calibration vs holdout as two lines over the number of calibration transactions (the
 * conditional-expectations plot of Fader, Hardie & Lee 2005): observed mean holdout transactions
 * (solid) and the BG/NBD expectation (dashed), with a y axis from 0 and a legend.
 */
export function holdoutLinesScene(points: readonly HoldoutPoint[], options: HoldoutLinesOptions): Scene {
  const width = options.width ?? 420;
  const height = options.height ?? 240;
  const m = { top: 24, right: 12, bottom: 34, left: 40 };
  const x = scalePoint<string>().domain(points.map((p) => p.label)).range([m.left, width - m.right]).padding(0.3);
  const y = scaleLinear()
    .domain([0, max(points, (p) => Math.max(p.actual, p.expected)) || 1])
    .nice()
    .range([height - m.bottom, m.top]);
  const path = (key: 'actual' | 'expected') =>
    line<HoldoutPoint>()
      .x((p) => r2(x(p.label)!))
      .y((p) => r2(y(p[key])))(points as HoldoutPoint[]) ?? '';
  const children: SvgNode[] = [
    {
      tag: 'g',
      attrs: { class: 'y-axis' },
      children: y.ticks(5).flatMap((t) => [
        { tag: 'line', attrs: { x1: m.left, x2: width - m.right, y1: r2(y(t)), y2: r2(y(t)), stroke: '#e5e7eb' } },
        { tag: 'text', attrs: { x: m.left - 4, y: r2(y(t)), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: String(+t.toFixed(2)) },
      ]),
    },
    {
      tag: 'g',
      attrs: { class: 'x-axis' },
      children: [
        ...points.map((p) => ({ tag: 'text', attrs: { x: r2(x(p.label)!), y: height - m.bottom + 14, 'text-anchor': 'middle' }, text: p.label })),
        { tag: 'text', attrs: { x: r2((m.left + width - m.right) / 2), y: height - 4, 'text-anchor': 'middle' }, text: 'Repeat transactions in calibration period' },
      ],
    },
    { tag: 'path', attrs: { class: 'actual', d: path('actual'), fill: 'none', stroke: '#1f2937', 'stroke-width': 2 } },
    { tag: 'path', attrs: { class: 'expected', d: path('expected'), fill: 'none', stroke: '#2563eb', 'stroke-width': 2, 'stroke-dasharray': '5 3' } },
    {
      tag: 'g',
      attrs: { class: 'points' },
      children: points.map((p) => ({ tag: 'circle', attrs: { cx: r2(x(p.label)!), cy: r2(y(p.actual)), r: 3, fill: '#1f2937' }, children: [{ tag: 'title', text: `${p.label}: actual ${p.actual.toFixed(2)}, expected ${p.expected.toFixed(2)}` }] })),
    },
    {
      tag: 'g',
      attrs: { class: 'legend', transform: `translate(${m.left + 8},10)` },
      children: [
        { tag: 'line', attrs: { x1: 0, x2: 18, y1: 0, y2: 0, stroke: '#1f2937', 'stroke-width': 2 } },
        { tag: 'text', attrs: { x: 22, y: 0, 'dominant-baseline': 'middle' }, text: 'Actual' },
        { tag: 'line', attrs: { x1: 80, x2: 98, y1: 0, y2: 0, stroke: '#2563eb', 'stroke-width': 2, 'stroke-dasharray': '5 3' } },
        { tag: 'text', attrs: { x: 102, y: 0, 'dominant-baseline': 'middle' }, text: 'Expected (BG/NBD)' },
      ],
    },
  ];
  return { width, height, label: options.label, children };
}

/** Draws the calibration-vs-holdout lines into `el` with D3; returns a function that removes it. */
export function renderHoldoutLines(el: Element, points: readonly HoldoutPoint[], options: HoldoutLinesOptions): () => void {
  return mountScene(el, holdoutLinesScene(points, options));
}
