import { hierarchy, schemeTableau10, treemap, treemapSquarify } from 'd3';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** One segment's size, as rfmSegmentSizesSql returns it. */
export interface SegmentSize {
  segment: string;
  customers: number;
  /** Share of revenue, 0–1. */
  revenueShare: number;
}

/** Size and label of the treemap. */
export interface RfmTreemapOptions {
  label: string;
  width?: number;
  height?: number;
}

/** A fixed colour per named segment (Tableau 10 plus a grey for Lost), so colours never move. */
const SEGMENT_COLOURS: Record<string, string> = {
  Champions: schemeTableau10[4],
  Loyal: schemeTableau10[0],
  'Potential loyalist': schemeTableau10[9],
  New: schemeTableau10[5],
  Promising: schemeTableau10[3],
  'Need attention': schemeTableau10[7],
  'About to sleep': schemeTableau10[8],
  'At risk': schemeTableau10[1],
  "Can't lose them": schemeTableau10[2],
  Hibernating: schemeTableau10[6],
  Lost: '#9ca3af',
};

/** Tiles light enough to need dark text. */
const LIGHT = new Set(['New', 'Potential loyalist', 'Lost', 'About to sleep']);

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * RFM segments as a squarified treemap (Bruls, Huizing & van Wijk 2000, d3-hierarchy): area ∝
 * customers, each tile labelled with the segment, its customer count and revenue share when it
 * is large enough to hold them. Segments with no customers are left out.
 */
export function rfmTreemapScene(sizes: readonly SegmentSize[], options: RfmTreemapOptions): Scene {
  const width = options.width ?? 480;
  const height = options.height ?? 280;
  type Node = { name: string; size?: SegmentSize; children?: Node[] };
  const root = hierarchy<Node>({ name: 'all', children: sizes.filter((s) => s.customers > 0).map((s) => ({ name: s.segment, size: s })) })
    .sum((d) => d.size?.customers ?? 0)
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.data.name.localeCompare(b.data.name));
  const laid = treemap<Node>().tile(treemapSquarify).size([width, height]).paddingInner(2).round(false)(root);
  const total = root.value || 1;
  const children: SvgNode[] = laid.leaves().map((leaf) => {
    const s = leaf.data.size!;
    const w = leaf.x1 - leaf.x0;
    const h = leaf.y1 - leaf.y0;
    // About 6.2 px per character at 11 px; a line is printed only where it fits the tile.
    const wanted = [s.segment, `${s.customers.toLocaleString('en-US')} customers`, `${pct(s.revenueShare)} of revenue`];
    const lines = wanted.slice(0, Math.max(0, Math.floor((h - 4) / 13))).filter((t, i) => t.length * 6.2 + 8 <= w && (i === 0 || wanted[0].length * 6.2 + 8 <= w));
    return {
      tag: 'g',
      attrs: { class: 'segment', transform: `translate(${r2(leaf.x0)},${r2(leaf.y0)})` },
      children: [
        { tag: 'rect', attrs: { width: r2(w), height: r2(h), fill: SEGMENT_COLOURS[s.segment] ?? '#6b7280' }, children: [{ tag: 'title', text: `${s.segment}: ${s.customers.toLocaleString('en-US')} customers (${pct(s.customers / total)}), ${pct(s.revenueShare)} of revenue` }] },
        ...lines.map((text, i) => ({ tag: 'text', attrs: { x: 4, y: 14 + i * 13, fill: LIGHT.has(s.segment) ? '#111827' : '#ffffff', 'font-weight': i === 0 ? 'bold' : undefined }, text })),
      ],
    };
  });
  return { width, height, label: options.label, children };
}

/** Draws the RFM segment treemap into `el` with D3; returns a function that removes it. */
export function renderRfmTreemap(el: Element, sizes: readonly SegmentSize[], options: RfmTreemapOptions): () => void {
  return mountScene(el, rfmTreemapScene(sizes, options));
}
