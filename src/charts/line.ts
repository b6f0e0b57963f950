import { extent, line, scaleLinear } from 'd3';
import { axisScene, type ChartOptions } from './histogram';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** Options of {@link renderLine}. */
export interface LineOptions extends ChartOptions {
  xLabel: string;
  yLabel: string;
  /** An x to mark with a dashed vertical rule (the suggested k or eps). */
  markX?: number;
  /** A y to mark with a dashed horizontal rule. */
  markY?: number;
}

/**
 * A line through points in x order as a scene, with dots when there are few (the elbow curve:
 * inertia by k; the k-distance curve: distance by rank) and dashed rules at `markX`/`markY`.
 */
export function lineScene(points: readonly { x: number; y: number }[], options: LineOptions): Scene {
  const width = options.width ?? 420;
  const height = options.height ?? 200;
  const m = { top: 10, right: 12, bottom: 34, left: 56 };
  const [x0, x1] = extent(points, (p) => p.x);
  const [y0, y1] = extent(points, (p) => p.y);
  const x = scaleLinear().domain([x0 ?? 0, x1 ?? 1]).range([m.left, width - m.right]);
  const y = scaleLinear().domain([Math.min(0, y0 ?? 0), y1 ?? 1]).nice().range([height - m.bottom, m.top]);
  const path = line<{ x: number; y: number }>().x((p) => r2(x(p.x))).y((p) => r2(y(p.y)));
  const children: SvgNode[] = [
    axisScene('bottom', x, `translate(0,${height - m.bottom})`, { ticks: 6, tickSizeOuter: 0 }),
    axisScene('left', y, `translate(${m.left},0)`, { ticks: 5, specifier: '~s' }),
    { tag: 'text', attrs: { class: 'label', x: (m.left + width - m.right) / 2, y: height - 4, 'text-anchor': 'middle' }, text: options.xLabel },
    { tag: 'text', attrs: { class: 'label', transform: `translate(12,${(m.top + height - m.bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle' }, text: options.yLabel },
    { tag: 'path', attrs: { fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5, d: path(points as { x: number; y: number }[]) ?? '' } },
  ];
  if (points.length <= 40) {
    children.push({
      tag: 'g',
      children: points.map((p) => ({
        tag: 'circle',
        attrs: { cx: r2(x(p.x)), cy: r2(y(p.y)), r: 3, fill: 'currentColor' },
        children: [{ tag: 'title', text: `${options.xLabel} ${p.x}: ${options.yLabel} ${+p.y.toPrecision(5)}` }],
      })),
    });
  }
  const rule = { stroke: '#c2410c', 'stroke-dasharray': '4 3' };
  if (options.markX !== undefined) {
    const at = r2(x(options.markX));
    children.push({ tag: 'line', attrs: { class: 'mark', x1: at, x2: at, y1: m.top, y2: height - m.bottom, ...rule } });
  }
  if (options.markY !== undefined) {
    const at = r2(y(options.markY));
    children.push({ tag: 'line', attrs: { class: 'mark', x1: m.left, x2: width - m.right, y1: at, y2: at, ...rule } });
  }
  return { width, height, label: options.label, children };
}

/** Draws {@link lineScene} into `el`; returns a function that removes the chart. */
export function renderLine(el: Element, points: { x: number; y: number }[], options: LineOptions): () => void {
  return mountScene(el, lineScene(points, options));
}
