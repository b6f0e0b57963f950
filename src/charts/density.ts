import { area, extent, line, max, scaleLinear } from 'd3';
import { bottomAxis, leftAxis, shortNumber } from './axes';
import { mountScene, r2, type Scene } from './scene';

/** Size and labels of the density chart. */
export interface DensityOptions {
  label: string;
  xLabel: string;
  width?: number;
  height?: number;
  /** A note drawn in the corner, e.g. how the curve was estimated. */
  note?: string;
}

/** A density curve as a scene: a shaded area under the line, density axis, value axis. */
export function densityScene(points: readonly { x: number; y: number }[], options: DensityOptions): Scene {
  const width = options.width ?? 460;
  const height = options.height ?? 200;
  const m = { top: 18, right: 14, bottom: 40, left: 52 };
  const [x0, x1] = extent(points, (p) => p.x);
  const x = scaleLinear().domain([x0 ?? 0, x1 ?? 1]).range([m.left, width - m.right]);
  const y = scaleLinear().domain([0, max(points, (p) => p.y) || 1]).nice().range([height - m.bottom, m.top]);
  const pts = points.filter((p) => Number.isFinite(p.y)) as { x: number; y: number }[];
  const fill = area<{ x: number; y: number }>().x((p) => r2(x(p.x))).y0(r2(y(0))).y1((p) => r2(y(p.y)))(pts) ?? '';
  const stroke = line<{ x: number; y: number }>().x((p) => r2(x(p.x))).y((p) => r2(y(p.y)))(pts) ?? '';
  const peak = pts.reduce((a, p) => (p.y > a.y ? p : a), pts[0] ?? { x: 0, y: 0 });
  return {
    width,
    height,
    label: options.label,
    children: [
      leftAxis(y, m, width, 'Density', 4),
      { tag: 'path', attrs: { class: 'area', d: fill, fill: '#bfdbfe' } },
      { tag: 'path', attrs: { class: 'curve', d: stroke, fill: 'none', stroke: '#1d4ed8', 'stroke-width': 1.5 }, children: [{ tag: 'title', text: `Peak near ${shortNumber(peak.x)} (density ${shortNumber(peak.y)})` }] },
      bottomAxis(x, height - m.bottom, options.xLabel),
      ...(options.note ? [{ tag: 'text', attrs: { class: 'note', x: width - m.right, y: 8, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: options.note }] : []),
    ],
  };
}

/** Draws the density curve into `el` with D3; returns a function that removes it. */
export function renderDensity(el: Element, points: readonly { x: number; y: number }[], options: DensityOptions): () => void {
  return mountScene(el, densityScene(points, options));
}
