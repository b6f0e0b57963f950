import { axisBottom, max, scaleBand, scaleLinear } from 'd3';
import { appendChartSvg } from './svg';
import type { Bar } from './bars';
import type { ChartOptions } from './histogram';

/**
 * Vertical bars over ordered categories (counts by month for a date column).
 * Returns a function that removes the chart.
 */
export function renderColumns(el: Element, bars: Bar[], options: ChartOptions): () => void {
  const width = options.width ?? 260;
  const height = options.height ?? 90;
  const margin = { top: 4, right: 18, bottom: 18, left: 18 };
  const svg = appendChartSvg(el, width, height, options.label);
  const x = scaleBand<string>()
    .domain(bars.map((b) => b.label))
    .range([margin.left, width - margin.right])
    .padding(0.1);
  const y = scaleLinear()
    .domain([0, max(bars, (b) => b.count) ?? 1])
    .nice()
    .range([height - margin.bottom, margin.top]);
  svg
    .append('g')
    .attr('class', 'bars')
    .selectAll('rect')
    .data(bars)
    .join('rect')
    .attr('x', (b) => x(b.label)!)
    .attr('width', x.bandwidth())
    .attr('y', (b) => y(b.count))
    .attr('height', (b) => y(0) - y(b.count))
    .append('title')
    .text((b) => `${b.label}: ${b.count.toLocaleString('en-US')}`);
  const every = Math.max(1, Math.ceil(bars.length / 4));
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${height - margin.bottom})`)
    .call(
      axisBottom(x)
        .tickValues(bars.filter((_, i) => i % every === 0).map((b) => b.label))
        .tickSizeOuter(0),
    );
  return () => svg.remove();
}
