import { max, scaleBand, scaleLinear } from 'd3';
import type { ChartOptions } from './histogram';
import { mountScene, r2, type Scene } from './scene';

/** One labelled count. */
export interface Bar {
  label: string;
  count: number;
}

/**
 * Horizontal bars (top values of a text column), in the given order, with the label and count
 * printed, as a scene.
 */
export function barsScene(bars: readonly Bar[], options: ChartOptions): Scene {
  const width = options.width ?? 260;
  const rowH = 16;
  const height = Math.max(rowH, bars.length * rowH) + 4;
  const x = scaleLinear()
    .domain([0, max(bars, (b) => b.count) ?? 1])
    .range([0, width * 0.34]);
  const y = scaleBand<number>()
    .domain(bars.map((_, i) => i))
    .range([2, height - 2])
    .padding(0.15);
  const mid = (i: number) => r2(y(i)! + y.bandwidth() / 2);
  return {
    width,
    height,
    label: options.label,
    children: [
      {
        tag: 'g',
        attrs: { class: 'bars' },
        children: bars.map((b, i) => ({
          tag: 'g',
          children: [
            { tag: 'rect', attrs: { x: width * 0.5, y: r2(y(i)!), height: r2(y.bandwidth()), width: r2(Math.max(1, x(b.count))) } },
            { tag: 'text', attrs: { class: 'label', x: width * 0.5 - 4, y: mid(i), dy: '0.35em', 'text-anchor': 'end' }, text: b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label },
            { tag: 'text', attrs: { class: 'value', x: r2(width * 0.5 + x(b.count) + 3), y: mid(i), dy: '0.35em' }, text: b.count.toLocaleString('en-US') },
          ],
        })),
      },
    ],
  };
}

/** Draws {@link barsScene} into `el`; returns a function that removes the chart. */
export function renderBars(el: Element, bars: Bar[], options: ChartOptions): () => void {
  return mountScene(el, barsScene(bars, options));
}
