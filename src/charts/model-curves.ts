import { extent, line, scaleLinear } from 'd3';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** A line of points (x ascending or in curve order), drawn in one colour. */
export interface CurveSeries {
  name: string;
  points: { x: number; y: number }[];
  /** Draw dots at the points (few points, e.g. calibration bins). */
  dots?: boolean;
}

/** Options of {@link curveScene}. */
export interface CurveOptions {
  label: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Fix both axes to [0, 1] (rates and probabilities). */
  unit?: boolean;
  /** Draw the dashed y = x diagonal (ROC chance line, perfect calibration). */
  diagonal?: boolean;
  /** The operating point to mark (the threshold slider's). */
  mark?: { x: number; y: number; title: string };
  /** Draw a dashed horizontal rule at this y (zero residual). */
  ruleY?: number;
  /** Draw points only, no line (residual plot). */
  scatter?: boolean;
}

const COLOURS = ['#2563eb', '#c2410c', '#15803d', '#7c3aed'];

function axes(x: (v: number) => number, y: (v: number) => number, xt: number[], yt: number[], box: { l: number; r: number; t: number; b: number }, o: CurveOptions, height: number): SvgNode[] {
  const f = (v: number) => String(+v.toPrecision(3));
  return [
    { tag: 'g', attrs: { class: 'grid' }, children: yt.flatMap((t) => [
      { tag: 'line', attrs: { x1: box.l, x2: box.r, y1: r2(y(t)), y2: r2(y(t)), stroke: '#e5e7eb' } },
      { tag: 'text', attrs: { x: box.l - 4, y: r2(y(t)), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: f(t) },
    ]) },
    { tag: 'g', attrs: { class: 'x-axis' }, children: [
      { tag: 'line', attrs: { x1: box.l, x2: box.r, y1: box.b, y2: box.b, stroke: '#9ca3af' } },
      ...xt.map((t) => ({ tag: 'text', attrs: { x: r2(x(t)), y: box.b + 14, 'text-anchor': 'middle' }, text: f(t) })),
      { tag: 'text', attrs: { x: r2((box.l + box.r) / 2), y: height - 4, 'text-anchor': 'middle' }, text: o.xLabel },
    ] },
    { tag: 'text', attrs: { transform: `translate(12,${r2((box.t + box.b) / 2)}) rotate(-90)`, 'text-anchor': 'middle' }, text: o.yLabel },
  ];
}

/**
 * Lines (or points) on linear axes: ROC and precision–recall curves with the threshold's
 * operating point, the calibration chart with its diagonal, partial dependence, and the residual
 * plot (scatter with a zero rule). Pure: returns the scene that {@link renderCurves} mounts.
 */
export function curveScene(series: CurveSeries[], o: CurveOptions): Scene {
  const width = o.width ?? 360;
  const height = o.height ?? 260;
  const legend = series.length > 1 ? 16 : 0;
  const box = { l: 48, r: width - 12, t: 10 + legend, b: height - 34 };
  const all = series.flatMap((s) => s.points);
  const [x0, x1] = o.unit ? [0, 1] : (extent(all, (p) => p.x) as [number, number]);
  const [y0, y1] = o.unit ? [0, 1] : (extent([...all.map((p) => p.y), ...(o.ruleY !== undefined ? [o.ruleY] : [])]) as [number, number]);
  const x = scaleLinear().domain([x0 ?? 0, x1 === x0 ? (x0 ?? 0) + 1 : (x1 ?? 1)]).range([box.l, box.r]);
  const y = scaleLinear().domain([y0 ?? 0, y1 === y0 ? (y0 ?? 0) + 1 : (y1 ?? 1)]).range([box.b, box.t]);
  if (!o.unit) {
    x.nice();
    y.nice();
  }
  const children: SvgNode[] = axes(x, y, x.ticks(5), y.ticks(5), box, o, height);
  if (o.diagonal) children.push({ tag: 'line', attrs: { class: 'diagonal', x1: r2(x(0)), y1: r2(y(0)), x2: r2(x(1)), y2: r2(y(1)), stroke: '#9ca3af', 'stroke-dasharray': '4 3' } });
  if (o.ruleY !== undefined) children.push({ tag: 'line', attrs: { class: 'rule', x1: box.l, x2: box.r, y1: r2(y(o.ruleY)), y2: r2(y(o.ruleY)), stroke: '#9ca3af', 'stroke-dasharray': '4 3' } });
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    if (!o.scatter) {
      const d = line<{ x: number; y: number }>().x((p) => r2(x(p.x))).y((p) => r2(y(p.y)))(s.points) ?? '';
      children.push({ tag: 'path', attrs: { class: 'series', d, fill: 'none', stroke: colour, 'stroke-width': 2 } });
    }
    if (o.scatter || s.dots) {
      children.push({ tag: 'g', attrs: { class: 'dots' }, children: s.points.map((p) => ({ tag: 'circle', attrs: { cx: r2(x(p.x)), cy: r2(y(p.y)), r: o.scatter ? 2 : 3, fill: colour, 'fill-opacity': o.scatter ? 0.5 : 1 } })) });
    }
    if (legend) {
      children.push({ tag: 'g', attrs: { class: 'legend', transform: `translate(${box.l + i * 150},8)` }, children: [
        { tag: 'line', attrs: { x1: 0, x2: 16, y1: 0, y2: 0, stroke: colour, 'stroke-width': 2 } },
        { tag: 'text', attrs: { x: 20, y: 0, 'dominant-baseline': 'middle' }, text: s.name },
      ] });
    }
  });
  if (o.mark) {
    children.push({ tag: 'circle', attrs: { class: 'mark', cx: r2(x(o.mark.x)), cy: r2(y(o.mark.y)), r: 5, fill: 'none', stroke: '#111827', 'stroke-width': 2 }, children: [{ tag: 'title', text: o.mark.title }] });
  }
  return { width, height, label: o.label, children };
}

/** Draws {@link curveScene} into `el`; returns its remover. */
export function renderCurves(el: Element, series: CurveSeries[], o: CurveOptions): () => void {
  return mountScene(el, curveScene(series, o));
}
