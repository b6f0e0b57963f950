import { extent, scaleLinear } from 'd3';
import { bottomAxis, leftAxis, shortNumber } from './axes';
import { r2, type Scene, type SvgNode } from './scene';
import { MAX_TITLED_POINTS, mountInSlices } from './scatter';

/** The fitted line y = intercept + slope · x and its R² (computed over all rows, not the sample). */
export interface TrendLine {
  slope: number;
  intercept: number;
  r2: number;
  n: number;
}

/** Size and labels of the scatter. */
export interface TrendScatterOptions {
  label: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

/**
 * A scatter of (sampled) points with the least-squares line across the x range and a caption
 * giving the equation, R² and how many rows it was fitted on versus how many points are shown.
 * Up to {@link MAX_TITLED_POINTS} points carry tooltips.
 */
export function trendScatterScene(points: readonly { x: number; y: number }[], trend: TrendLine | null, options: TrendScatterOptions): Scene {
  const width = options.width ?? 460;
  const height = options.height ?? 300;
  const m = { top: 24, right: 14, bottom: 40, left: 56 };
  const [x0, x1] = extent(points, (p) => p.x);
  const [y0, y1] = extent(points, (p) => p.y);
  const x = scaleLinear().domain([x0 ?? 0, x1 ?? 1]).nice().range([m.left, width - m.right]);
  const y = scaleLinear().domain([y0 ?? 0, y1 ?? 1]).nice().range([height - m.bottom, m.top]);
  const titled = points.length <= MAX_TITLED_POINTS;
  const dots: SvgNode[] = points.map((p) => ({
    tag: 'circle',
    attrs: { cx: r2(x(p.x)), cy: r2(y(p.y)), r: titled ? 3 : 2, fill: '#2563eb', 'fill-opacity': 0.45 },
    children: titled ? [{ tag: 'title', text: `${options.xLabel} ${shortNumber(p.x)}, ${options.yLabel} ${shortNumber(p.y)}` }] : undefined,
  }));
  const children: SvgNode[] = [leftAxis(y, m, width, options.yLabel), bottomAxis(x, height - m.bottom, options.xLabel), { tag: 'g', attrs: { class: 'dots' }, children: dots }];
  if (trend && Number.isFinite(trend.slope)) {
    const [a, b] = x.domain();
    // The line is clipped to the plot: y is clamped to the y domain by moving along the line.
    const clampX = (xv: number) => {
      const yv = trend.intercept + trend.slope * xv;
      const [lo, hi] = y.domain();
      if (yv >= lo && yv <= hi) return xv;
      return trend.slope === 0 ? xv : ((yv < lo ? lo : hi) - trend.intercept) / trend.slope;
    };
    const xa = clampX(a);
    const xb = clampX(b);
    children.push({
      tag: 'line',
      attrs: { class: 'trend', x1: r2(x(xa)), y1: r2(y(trend.intercept + trend.slope * xa)), x2: r2(x(xb)), y2: r2(y(trend.intercept + trend.slope * xb)), stroke: '#c2410c', 'stroke-width': 2 },
      children: [{ tag: 'title', text: `Least squares over ${trend.n.toLocaleString('en-US')} rows: ${options.yLabel} = ${shortNumber(trend.intercept)} + ${shortNumber(trend.slope)} × ${options.xLabel}` }],
    });
    children.push({
      tag: 'text',
      attrs: { class: 'caption', x: m.left, y: 10, 'dominant-baseline': 'middle' },
      text: `R² = ${trend.r2.toFixed(3)} over ${trend.n.toLocaleString('en-US')} rows; ${points.length.toLocaleString('en-US')} ${points.length < trend.n ? 'sampled points shown' : 'points shown'}`,
    });
  }
  return { width, height, label: options.label, children };
}

/**
 * Draws the scatter and its trend line into `el` with D3; returns a function that removes it.
 * Thousands of circles created at once hold the main thread for over 100 ms, so the dots are
 * added in slices of a few milliseconds, one task each (as renderScatter does); once done, the
 * element holds exactly the scene.
 */
export function renderTrendScatter(el: Element, points: readonly { x: number; y: number }[], trend: TrendLine | null, options: TrendScatterOptions): () => void {
  const scene = trendScatterScene(points, trend, options);
  const at = scene.children.findIndex((n) => n.attrs?.class === 'dots');
  const dots = scene.children[at].children ?? [];
  const frame = { ...scene, children: scene.children.map((n, i) => (i === at ? { ...n, children: [] } : n)) };
  return mountInSlices(el, frame, 'dots', dots.length, (i) => dots[i]);
}
