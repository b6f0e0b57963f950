import { max, scaleBand, scaleLinear } from 'd3';
import type { Bar } from './bars';
import { axisScene, type ChartOptions } from './histogram';
import { mountScene, r2, type Scene } from './scene';

/** Vertical bars over ordered categories (counts by month for a date column), as a scene. */
export function columnsScene(bars: readonly Bar[], options: ChartOptions): Scene {
  const width = options.width ?? 260;
  const height = options.height ?? 90;
  const margin = { top: 4, right: 18, bottom: 18, left: 18 };
  const x = scaleBand<string>()
    .domain(bars.map((b) => b.label))
    .range([margin.left, width - margin.right])
    .padding(0.1);
  const y = scaleLinear()
    .domain([0, max(bars, (b) => b.count) ?? 1])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const every = Math.max(1, Math.ceil(bars.length / 4));
  return {
    width,
    height,
    label: options.label,
    children: [
      {
        tag: 'g',
        attrs: { class: 'bars' },
        children: bars.map((b) => ({
          tag: 'rect',
          attrs: { x: r2(x(b.label)!), width: r2(x.bandwidth()), y: r2(y(b.count)), height: r2(y(0) - y(b.count)) },
          children: [{ tag: 'title', text: `${b.label}: ${b.count.toLocaleString('en-US')}` }],
        })),
      },
      axisScene('bottom', x, `translate(0,${height - margin.bottom})`, { tickValues: bars.filter((_, i) => i % every === 0).map((b) => b.label), tickSizeOuter: 0 }),
    ],
  };
}

/** Draws {@link columnsScene} into `el`; returns a function that removes the chart. */
export function renderColumns(el: Element, bars: Bar[], options: ChartOptions): () => void {
  return mountScene(el, columnsScene(bars, options));
}
