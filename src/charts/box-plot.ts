import { scaleLinear } from 'd3';
import { bottomAxis, shortNumber } from './axes';
import { mountScene, r2, type Scene } from './scene';
import type { NumericSummary } from '../services/db/explore';

/** What a box plot draws: quartiles, whiskers at the last values within 1.5 IQR, outliers. */
export type BoxStats = Pick<NumericSummary, 'min' | 'max' | 'q1' | 'median' | 'q3' | 'whiskerLo' | 'whiskerHi' | 'outliers' | 'n'>;

/** Size and labels of the box plot. */
export interface BoxPlotOptions {
  label: string;
  xLabel: string;
  width?: number;
}

/**
 * A horizontal box plot as a scene: box from Q1 to Q3 with the median, whiskers to the most
 * extreme values inside Tukey's fences (Q1 − 1.5 IQR, Q3 + 1.5 IQR), and the range beyond them
 * (where outliers lie) marked by a dotted line with the outlier count.
 */
export function boxPlotScene(s: BoxStats, options: BoxPlotOptions): Scene {
  const width = options.width ?? 460;
  const height = 110;
  const m = { left: 52, right: 14 };
  const x = scaleLinear().domain(s.max > s.min ? [s.min, s.max] : [s.min - 1, s.max + 1]).nice().range([m.left, width - m.right]);
  const mid = 34;
  const half = 16;
  const X = (v: number) => r2(x(v));
  const tip = `n ${s.n.toLocaleString('en-US')}: min ${shortNumber(s.min)}, Q1 ${shortNumber(s.q1)}, median ${shortNumber(s.median)}, Q3 ${shortNumber(s.q3)}, max ${shortNumber(s.max)}; ${s.outliers.toLocaleString('en-US')} outliers beyond 1.5 IQR`;
  const children = [
    { tag: 'line', attrs: { class: 'range', x1: X(s.min), x2: X(s.max), y1: mid, y2: mid, stroke: '#9ca3af', 'stroke-dasharray': '2 3' } },
    { tag: 'line', attrs: { class: 'whisker', x1: X(s.whiskerLo), x2: X(s.q1), y1: mid, y2: mid, stroke: '#1f2937' } },
    { tag: 'line', attrs: { class: 'whisker', x1: X(s.q3), x2: X(s.whiskerHi), y1: mid, y2: mid, stroke: '#1f2937' } },
    { tag: 'line', attrs: { x1: X(s.whiskerLo), x2: X(s.whiskerLo), y1: mid - half / 2, y2: mid + half / 2, stroke: '#1f2937' } },
    { tag: 'line', attrs: { x1: X(s.whiskerHi), x2: X(s.whiskerHi), y1: mid - half / 2, y2: mid + half / 2, stroke: '#1f2937' } },
    { tag: 'rect', attrs: { class: 'box', x: X(s.q1), y: mid - half, width: r2(Math.max(1, x(s.q3) - x(s.q1))), height: half * 2, fill: '#bfdbfe', stroke: '#1f2937' }, children: [{ tag: 'title', text: tip }] },
    { tag: 'line', attrs: { class: 'median', x1: X(s.median), x2: X(s.median), y1: mid - half, y2: mid + half, stroke: '#1d4ed8', 'stroke-width': 2 } },
    { tag: 'text', attrs: { class: 'outliers', x: width - m.right, y: 8, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: `${s.outliers.toLocaleString('en-US')} outlier${s.outliers === 1 ? '' : 's'} beyond 1.5 IQR` },
    bottomAxis(x, 64, options.xLabel, 6),
  ];
  return { width, height, label: options.label, children };
}

/** Draws the box plot into `el` with D3; returns a function that removes it. */
export function renderBoxPlot(el: Element, s: BoxStats, options: BoxPlotOptions): () => void {
  return mountScene(el, boxPlotScene(s, options));
}
