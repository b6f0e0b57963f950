import type { ScaleLinear } from 'd3';
import { r2, type SvgNode } from './scene';

/** Plot-area margins of a chart, in px. */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A number as a short tick or tooltip label: 1234567 → "1.23M", 0.000123 → "1.23e-4". */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a > 0 && a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(+v.toPrecision(4));
}

/**
 * A bottom axis of a linear scale as scene nodes: a baseline, tick marks and tick labels, and
 * the axis title centred below.
 */
export function bottomAxis(x: ScaleLinear<number, number>, y0: number, title: string, ticks = 6): SvgNode {
  const [a, b] = x.range();
  return {
    tag: 'g',
    attrs: { class: 'x-axis' },
    children: [
      { tag: 'line', attrs: { x1: r2(a), x2: r2(b), y1: r2(y0), y2: r2(y0), stroke: '#9ca3af' } },
      ...x.ticks(ticks).flatMap((t) => [
        { tag: 'line', attrs: { x1: r2(x(t)), x2: r2(x(t)), y1: r2(y0), y2: r2(y0 + 4), stroke: '#9ca3af' } },
        { tag: 'text', attrs: { x: r2(x(t)), y: r2(y0 + 14), 'text-anchor': 'middle' }, text: shortNumber(t) },
      ]),
      { tag: 'text', attrs: { class: 'axis-title', x: r2((a + b) / 2), y: r2(y0 + 28), 'text-anchor': 'middle' }, text: title },
    ],
  };
}

/** A left axis of a linear scale with light grid lines across the plot, and its title rotated. */
export function leftAxis(y: ScaleLinear<number, number>, m: Margins, width: number, title: string, ticks = 5): SvgNode {
  const [b, t] = y.range();
  return {
    tag: 'g',
    attrs: { class: 'y-axis' },
    children: [
      ...y.ticks(ticks).flatMap((v) => [
        { tag: 'line', attrs: { x1: m.left, x2: width - m.right, y1: r2(y(v)), y2: r2(y(v)), stroke: '#e5e7eb' } },
        { tag: 'text', attrs: { x: m.left - 4, y: r2(y(v)), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: shortNumber(v) },
      ]),
      { tag: 'text', attrs: { class: 'axis-title', transform: `translate(12,${r2((b + t) / 2)}) rotate(-90)`, 'text-anchor': 'middle' }, text: title },
    ],
  };
}

/** A row of colour swatches with labels (the legend of grouped bars and line charts). */
export function legendRow(items: { label: string; colour: string; dashed?: boolean }[], x: number, y: number): SvgNode {
  let at = 0;
  return {
    tag: 'g',
    attrs: { class: 'legend', transform: `translate(${r2(x)},${r2(y)})` },
    children: items.flatMap((it) => {
      const here = at;
      at += 36 + Math.min(24, it.label.length) * 6.5;
      return [
        it.dashed === undefined
          ? { tag: 'rect', attrs: { x: here, y: -5, width: 10, height: 10, fill: it.colour } }
          : { tag: 'line', attrs: { x1: here, x2: here + 16, y1: 0, y2: 0, stroke: it.colour, 'stroke-width': 2, 'stroke-dasharray': it.dashed ? '5 3' : undefined } },
        { tag: 'text', attrs: { x: here + (it.dashed === undefined ? 14 : 20), y: 0, 'dominant-baseline': 'middle' }, text: it.label.length > 24 ? `${it.label.slice(0, 23)}…` : it.label },
      ];
    }),
  };
}

/** A column of colour swatches with labels, for a legend at the right of the plot. */
export function legendColumn(items: { label: string; colour: string }[], x: number, y: number): SvgNode {
  return {
    tag: 'g',
    attrs: { class: 'legend', transform: `translate(${r2(x)},${r2(y)})` },
    children: items.flatMap((it, i) => [
      { tag: 'rect', attrs: { x: 0, y: i * 16 - 5, width: 10, height: 10, fill: it.colour } },
      { tag: 'text', attrs: { x: 14, y: i * 16, 'dominant-baseline': 'middle' }, text: it.label.length > 16 ? `${it.label.slice(0, 15)}…` : it.label },
    ]),
  };
}
