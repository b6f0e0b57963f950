import { max, scaleLinear } from 'd3';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** One signed bar: permutation importance (with its spread), a contribution or a coefficient. */
export interface SignedBar {
  label: string;
  value: number;
  /** ± half-width of an error bar (e.g. the std of permutation importance). */
  error?: number;
}

/**
 * Horizontal bars around a zero line — positive to the right (blue), negative to the left
 * (orange) — with the label on the left and the value printed. Pure: returns the scene.
 */
export function signedBarsScene(bars: SignedBar[], options: { label: string; width?: number; digits?: number }): Scene {
  const width = options.width ?? 440;
  const rowH = 18;
  const height = bars.length * rowH + 8;
  const left = 170;
  const right = width - 60;
  const extent = max(bars, (b) => Math.abs(b.value) + (b.error ?? 0)) || 1;
  const hasNegative = bars.some((b) => b.value < 0);
  const x = scaleLinear().domain([hasNegative ? -extent : 0, extent]).range([left, right]);
  const digits = options.digits ?? 3;
  const short = (s: string) => (s.length > 26 ? `${s.slice(0, 25)}…` : s);
  const children: SvgNode[] = [{ tag: 'line', attrs: { x1: r2(x(0)), x2: r2(x(0)), y1: 2, y2: height - 2, stroke: '#9ca3af' } }];
  bars.forEach((b, i) => {
    const y = 4 + i * rowH;
    const x0 = x(Math.min(0, b.value));
    const parts: SvgNode[] = [
      { tag: 'text', attrs: { x: left - 6, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: short(b.label) },
      { tag: 'rect', attrs: { x: r2(x0), y: y + 2, width: r2(Math.abs(x(b.value) - x(0))), height: rowH - 5, fill: b.value >= 0 ? '#2563eb' : '#c2410c' }, children: [{ tag: 'title', text: `${b.label}: ${+b.value.toPrecision(4)}${b.error ? ` ± ${+b.error.toPrecision(2)}` : ''}` }] },
      { tag: 'text', attrs: { x: right + 4, y: y + rowH / 2, 'dominant-baseline': 'middle' }, text: b.value.toFixed(digits) },
    ];
    if (b.error) parts.push({ tag: 'line', attrs: { class: 'error-bar', x1: r2(x(b.value - b.error)), x2: r2(x(b.value + b.error)), y1: y + rowH / 2, y2: y + rowH / 2, stroke: '#111827' } });
    children.push({ tag: 'g', attrs: { class: 'bar' }, children: parts });
  });
  return { width, height, label: options.label, children };
}

/** Draws {@link signedBarsScene} into `el`; returns its remover. */
export function renderSignedBars(el: Element, bars: SignedBar[], options: { label: string; width?: number; digits?: number }): () => void {
  return mountScene(el, signedBarsScene(bars, options));
}
