import { interpolateBlues, scaleSequential } from 'd3';
import { mountScene, type Scene, type SvgNode } from './scene';

/**
 * A confusion matrix as a grid: rows are the true classes, columns the predicted ones, each cell
 * shaded by its share of its row and printing its count. Pure: returns the scene.
 */
export function confusionScene(matrix: number[][], classes: string[], options: { label: string }): Scene {
  const cell = 64;
  const left = 110;
  const top = 44;
  const K = classes.length;
  const width = left + K * cell + 10;
  const height = top + K * cell + 10;
  const shade = scaleSequential(interpolateBlues).domain([0, 1]);
  const short = (s: string) => (s.length > 12 ? `${s.slice(0, 11)}…` : s);
  const children: SvgNode[] = [
    { tag: 'text', attrs: { x: left + (K * cell) / 2, y: 12, 'text-anchor': 'middle' }, text: 'Predicted' },
    ...classes.map((c, j) => ({ tag: 'text', attrs: { x: left + j * cell + cell / 2, y: top - 8, 'text-anchor': 'middle' }, text: short(c) })),
    { tag: 'text', attrs: { x: 8, y: top - 8 }, text: 'Actual' },
  ];
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    children.push({ tag: 'text', attrs: { x: left - 8, y: top + i * cell + cell / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: short(classes[i]) });
    row.forEach((count, j) => {
      const share = total > 0 ? count / total : 0;
      children.push({ tag: 'g', attrs: { class: 'cell' }, children: [
        { tag: 'rect', attrs: { x: left + j * cell, y: top + i * cell, width: cell - 2, height: cell - 2, fill: shade(share) }, children: [{ tag: 'title', text: `actual ${classes[i]}, predicted ${classes[j]}: ${count} (${(share * 100).toFixed(1)} % of the row)` }] },
        { tag: 'text', attrs: { class: share > 0.55 ? 'cell dark' : 'cell', x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2 - 1, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, text: count.toLocaleString('en-US') },
      ] });
    });
  });
  return { width, height, label: options.label, children };
}

/** Draws {@link confusionScene} into `el`; returns its remover. */
export function renderConfusion(el: Element, matrix: number[][], classes: string[], options: { label: string }): () => void {
  return mountScene(el, confusionScene(matrix, classes, options));
}
