import { brushX, max, scaleLinear, select } from 'd3';
import { bottomAxis, leftAxis, shortNumber } from './axes';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** One bar: values in [x0, x1) and how many rows. */
export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

/** Size, labels and the highlighted range of the histogram. */
export interface BrushHistogramOptions {
  label: string;
  xLabel: string;
  width?: number;
  height?: number;
  /** A range to highlight (the active brush): bars overlapping it are drawn darker. */
  selection?: [number, number] | null;
}

const MARGIN = { top: 10, right: 14, bottom: 40, left: 52 };

function scales(bins: readonly HistogramBin[], width: number, height: number) {
  const x = scaleLinear()
    .domain(bins.length ? [bins[0].x0, bins[bins.length - 1].x1] : [0, 1])
    .range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, max(bins, (b) => b.count) || 1])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  return { x, y };
}

/**
 * A histogram of equal-width bins as a scene: bars with a tooltip each (range and count), a
 * count axis with grid lines, and the value axis. Bars overlapping `selection` are darker.
 */
export function histogramScene(bins: readonly HistogramBin[], options: BrushHistogramOptions): Scene {
  const width = options.width ?? 460;
  const height = options.height ?? 220;
  const { x, y } = scales(bins, width, height);
  const sel = options.selection;
  const bars: SvgNode[] = bins.map((b) => ({
    tag: 'rect',
    attrs: {
      x: r2(x(b.x0) + 0.5),
      y: r2(y(b.count)),
      width: r2(Math.max(1, x(b.x1) - x(b.x0) - 1)),
      height: r2(y(0) - y(b.count)),
      fill: sel && b.x1 > sel[0] && b.x0 < sel[1] ? '#1d4ed8' : '#93c5fd',
    },
    children: [{ tag: 'title', text: `${shortNumber(b.x0)} – ${shortNumber(b.x1)}: ${b.count.toLocaleString('en-US')} rows` }],
  }));
  return {
    width,
    height,
    label: options.label,
    children: [leftAxis(y, MARGIN, width, 'Rows'), { tag: 'g', attrs: { class: 'marks' }, children: bars }, bottomAxis(x, height - MARGIN.bottom, options.xLabel)],
  };
}

/**
 * Draws the histogram and a horizontal brush (d3.brushX) over it: when the analyst drags a range,
 * `onBrush` gets its [lo, hi] in data units; a click that clears the brush gives null. Returns a
 * function that removes the chart.
 */
export function renderBrushableHistogram(el: Element, bins: readonly HistogramBin[], options: BrushHistogramOptions & { onBrush: (range: [number, number] | null) => void }): () => void {
  const scene = histogramScene(bins, options);
  const remove = mountScene(el, scene);
  const { x } = scales(bins, scene.width, scene.height);
  const svg = select(el.lastElementChild as SVGSVGElement);
  const brush = brushX<unknown>()
    .extent([
      [MARGIN.left, MARGIN.top],
      [scene.width - MARGIN.right, scene.height - MARGIN.bottom],
    ])
    .on('end', (event: { selection: [number, number] | null; sourceEvent?: unknown }) => {
      if (!event.sourceEvent) return;
      options.onBrush(event.selection ? [x.invert(event.selection[0]), x.invert(event.selection[1])] : null);
    });
  const g = svg.append('g').attr('class', 'brush').attr('aria-label', 'Drag to filter the other charts').call(brush);
  if (options.selection) g.call(brush.move, [Math.max(MARGIN.left, x(options.selection[0])), Math.min(scene.width - MARGIN.right, x(options.selection[1]))]);
  return () => {
    g.on('.brush', null);
    remove();
  };
}
