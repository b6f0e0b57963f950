import { max, scaleBand, scaleLinear } from 'd3';
import { appendChartSvg } from './svg';
import type { ChartOptions } from './histogram';

/** One labelled count. */
export interface Bar {
  label: string;
  count: number;
}

/**
 * Horizontal bars (top values of a text column), longest first, with the label and count
 * printed. Returns a function that removes the chart.
 */
export function renderBars(el: Element, bars: Bar[], options: ChartOptions): () => void {
  const width = options.width ?? 260;
  const rowH = 16;
  const height = Math.max(rowH, bars.length * rowH) + 4;
  const svg = appendChartSvg(el, width, height, options.label);
  const x = scaleLinear()
    .domain([0, max(bars, (b) => b.count) ?? 1])
    .range([0, width * 0.34]);
  const y = scaleBand<number>()
    .domain(bars.map((_, i) => i))
    .range([2, height - 2])
    .padding(0.15);
  const g = svg.append('g').attr('class', 'bars').selectAll('g').data(bars).join('g');
  g.append('rect')
    .attr('x', width * 0.5)
    .attr('y', (_, i) => y(i)!)
    .attr('height', y.bandwidth())
    .attr('width', (b) => Math.max(1, x(b.count)));
  g.append('text')
    .attr('class', 'label')
    .attr('x', width * 0.5 - 4)
    .attr('y', (_, i) => y(i)! + y.bandwidth() / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((b) => (b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label));
  g.append('text')
    .attr('class', 'value')
    .attr('x', (b) => width * 0.5 + x(b.count) + 3)
    .attr('y', (_, i) => y(i)! + y.bandwidth() / 2)
    .attr('dy', '0.35em')
    .text((b) => b.count.toLocaleString('en-US'));
  return () => svg.remove();
}
