import { line, max, min, scaleLinear } from 'd3';
import { bottomAxis, leftAxis, legendRow } from './axes';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** One completed epoch's figures (src/neural/train.ts `EpochReport`, the fields drawn). */
export interface EpochPoint {
  epoch: number;
  /** Training loss (mean over the epoch's batches). */
  loss: number;
  valLoss?: number;
  /** Validation accuracy in [0, 1] (classification). */
  valAccuracy?: number;
}

/** Options of {@link neuralCurvesScene}. */
export interface NeuralCurvesOptions {
  label: string;
  /** 'loss': training and validation loss; 'accuracy': validation accuracy. */
  metric: 'loss' | 'accuracy';
  /** Planned epochs: the x axis spans 1…epochs from the start, so a live curve grows into it. */
  epochs: number;
  /** The epoch whose weights the model keeps (early stopping's best): a dashed rule. */
  bestEpoch?: number;
  width?: number;
  height?: number;
}

const SERIES = {
  loss: [
    { key: 'loss', label: 'training loss', colour: '#2563eb', dashed: false },
    { key: 'valLoss', label: 'validation loss', colour: '#c2410c', dashed: true },
  ],
  accuracy: [{ key: 'valAccuracy', label: 'validation accuracy', colour: '#15803d', dashed: false }],
} as const;

/**
 * Training curves by epoch, drawn while a network trains: loss (training and validation) or
 * validation accuracy, on an x axis fixed to the planned epochs, with the restored best epoch
 * marked. Pure: returns the scene that {@link renderNeuralCurves} mounts.
 */
export function neuralCurvesScene(history: readonly EpochPoint[], o: NeuralCurvesOptions): Scene {
  const width = o.width ?? 380;
  const height = o.height ?? 220;
  const m = { top: 24, right: 14, bottom: 40, left: 52 };
  const series = SERIES[o.metric].map((s) => ({ ...s, points: history.filter((h) => h[s.key] !== undefined && Number.isFinite(h[s.key])).map((h) => ({ x: h.epoch, y: h[s.key] as number })) }));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const x = scaleLinear().domain([1, Math.max(2, o.epochs)]).range([m.left, width - m.right]);
  const y = (o.metric === 'accuracy'
    ? scaleLinear().domain([Math.min(0.5, min(ys) ?? 0.5), 1])
    : scaleLinear().domain([0, max(ys) ?? 1]).nice()
  ).range([height - m.bottom, m.top]);
  const children: SvgNode[] = [leftAxis(y, m, width, o.metric === 'loss' ? 'loss' : 'accuracy'), bottomAxis(x, height - m.bottom, 'epoch', Math.min(10, Math.max(2, o.epochs) - 1))];
  if (o.bestEpoch !== undefined) {
    children.push({ tag: 'line', attrs: { class: 'best', x1: r2(x(o.bestEpoch)), x2: r2(x(o.bestEpoch)), y1: m.top, y2: height - m.bottom, stroke: '#6b7280', 'stroke-dasharray': '4 3' }, children: [{ tag: 'title', text: `best epoch ${o.bestEpoch}: its weights are kept` }] });
  }
  for (const s of series) {
    const d = line<{ x: number; y: number }>().x((p) => r2(x(p.x))).y((p) => r2(y(p.y)))(s.points) ?? '';
    children.push({ tag: 'path', attrs: { class: `series ${s.key}`, d, fill: 'none', stroke: s.colour, 'stroke-width': 2, 'stroke-dasharray': s.dashed ? '5 3' : undefined } });
    children.push({ tag: 'g', attrs: { class: `dots ${s.key}` }, children: s.points.map((p) => ({ tag: 'circle', attrs: { cx: r2(x(p.x)), cy: r2(y(p.y)), r: 2.5, fill: s.colour }, children: [{ tag: 'title', text: `epoch ${p.x}: ${s.label} ${p.y.toFixed(4)}` }] })) });
  }
  children.push(legendRow(series.map((s) => ({ label: s.label, colour: s.colour, dashed: s.dashed })), m.left, 10));
  return { width, height, label: o.label, children };
}

/** Draws {@link neuralCurvesScene} into `el`; returns its remover. */
export function renderNeuralCurves(el: Element, history: readonly EpochPoint[], o: NeuralCurvesOptions): () => void {
  return mountScene(el, neuralCurvesScene(history, o));
}
