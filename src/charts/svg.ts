import { select } from 'd3';

/**
 * The root `<svg>` every chart draws into: a fixed viewBox (it scales down with its container),
 * role="img" and an accessible name saying what the chart shows.
 */
export function appendChartSvg(el: Element, width: number, height: number, label: string) {
  return select(el)
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', label);
}
