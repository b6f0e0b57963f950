import { line, max, min, scaleLinear, scaleUtc } from 'd3';
import { legendRow, leftAxis, shortNumber } from './axes';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** One period: its start (YYYY-MM-DD), the value, its moving average and last year's value. */
export interface TimeSeriesPoint {
  period: string;
  value: number;
  movingAvg: number;
  lastYear: number | null;
}

/** Size, labels and which lines to draw. */
export interface TimeSeriesOptions {
  label: string;
  yLabel: string;
  /** Legend text of the moving average, e.g. "3-month moving average"; omitted → not drawn. */
  movingAvgLabel?: string;
  /** Draw last year's values (dashed). */
  yearOverYear?: boolean;
  width?: number;
  height?: number;
}

const day = (s: string) => new Date(`${s}T00:00:00Z`);

/**
 * A time series as a scene: the value per period (with a dot and tooltip per period when there
 * are at most 120), its moving average, and the same period a year earlier (dashed), on a UTC
 * time axis.
 */
export function timeSeriesScene(points: readonly TimeSeriesPoint[], options: TimeSeriesOptions): Scene {
  const width = options.width ?? 640;
  const height = options.height ?? 260;
  const m = { top: 26, right: 14, bottom: 30, left: 56 };
  const dates = points.map((p) => day(p.period));
  const x = scaleUtc().domain([dates[0] ?? new Date(0), dates[dates.length - 1] ?? new Date(86_400_000)]).range([m.left, width - m.right]);
  const all = points.flatMap((p) => [p.value, p.movingAvg, ...(options.yearOverYear && p.lastYear !== null ? [p.lastYear] : [])]).filter(Number.isFinite);
  const y = scaleLinear().domain([Math.min(0, min(all) ?? 0), max(all) || 1]).nice().range([height - m.bottom, m.top]);
  const path = (get: (p: TimeSeriesPoint) => number | null) =>
    line<TimeSeriesPoint>()
      .defined((p) => get(p) !== null && Number.isFinite(get(p)))
      .x((p) => r2(x(day(p.period))))
      .y((p) => r2(y(get(p) ?? 0)))(points as TimeSeriesPoint[]) ?? '';
  const ticks = x.ticks(Math.min(8, Math.max(2, points.length)));
  const fmt = x.tickFormat();
  const children: SvgNode[] = [
    leftAxis(y, m, width, options.yLabel),
    {
      tag: 'g',
      attrs: { class: 'x-axis' },
      children: ticks.map((t) => ({ tag: 'text', attrs: { x: r2(x(t)), y: height - m.bottom + 16, 'text-anchor': 'middle' }, text: fmt(t) })),
    },
  ];
  const legend: { label: string; colour: string; dashed: boolean }[] = [{ label: options.yLabel, colour: '#1f2937', dashed: false }];
  if (options.yearOverYear) {
    children.push({ tag: 'path', attrs: { class: 'last-year', d: path((p) => p.lastYear), fill: 'none', stroke: '#9ca3af', 'stroke-width': 1.5, 'stroke-dasharray': '5 3' } });
    legend.push({ label: 'Same period last year', colour: '#9ca3af', dashed: true });
  }
  children.push({ tag: 'path', attrs: { class: 'value', d: path((p) => p.value), fill: 'none', stroke: '#1f2937', 'stroke-width': 1.5 } });
  if (options.movingAvgLabel) {
    children.push({ tag: 'path', attrs: { class: 'moving-average', d: path((p) => p.movingAvg), fill: 'none', stroke: '#c2410c', 'stroke-width': 2 } });
    legend.push({ label: options.movingAvgLabel, colour: '#c2410c', dashed: false });
  }
  if (points.length <= 120) {
    children.push({
      tag: 'g',
      attrs: { class: 'points' },
      children: points.map((p) => ({
        tag: 'circle',
        attrs: { cx: r2(x(day(p.period))), cy: r2(y(p.value)), r: 2.5, fill: '#1f2937' },
        children: [{ tag: 'title', text: `${p.period}: ${shortNumber(p.value)}${options.movingAvgLabel ? `, average ${shortNumber(p.movingAvg)}` : ''}${options.yearOverYear && p.lastYear !== null ? `, last year ${shortNumber(p.lastYear)}` : ''}` }],
      })),
    });
  }
  children.push(legendRow(legend, m.left, 10));
  return { width, height, label: options.label, children };
}

/** Draws the time series into `el` with D3; returns a function that removes it. */
export function renderTimeSeries(el: Element, points: readonly TimeSeriesPoint[], options: TimeSeriesOptions): () => void {
  return mountScene(el, timeSeriesScene(points, options));
}
