import { hierarchy, tree as treeLayout } from 'd3';
import type { TreeNodes } from '../core/models/cart-build';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** What the tree drawing needs: the nodes, feature names and class names (none for regression). */
export interface TreePicture {
  nodes: TreeNodes;
  featureNames: string[];
  classes: string[];
}

interface Item {
  id: number;
  children?: Item[];
  /** More nodes below that are not drawn. */
  cut: boolean;
}

function items(nodes: TreeNodes, id: number, depth: number, maxDepth: number): Item {
  const leaf = nodes.feature[id] < 0;
  if (leaf) return { id, cut: false };
  if (depth >= maxDepth) return { id, cut: true };
  return { id, cut: false, children: [items(nodes, nodes.left[id], depth + 1, maxDepth), items(nodes, nodes.right[id], depth + 1, maxDepth)] };
}

function nodeText(p: TreePicture, id: number): { title: string; lines: string[] } {
  const { nodes, featureNames, classes } = p;
  const w = nodes.width;
  const value = nodes.value.slice(id * w, id * w + w);
  const samples = nodes.samples[id];
  let summary: string;
  if (classes.length) {
    const total = value.reduce((a, b) => a + b, 0);
    const best = value.indexOf(Math.max(...value));
    summary = `${classes[best]} ${total > 0 ? Math.round((value[best] / total) * 100) : 0} %`;
  } else summary = `mean ${+value[0].toPrecision(4)}`;
  const split = nodes.feature[id] >= 0 ? `${featureNames[nodes.feature[id]]} ≤ ${+nodes.threshold[id].toPrecision(4)}` : 'leaf';
  return { title: `${split}; ${samples} rows; ${summary}`, lines: [split.length > 28 ? `${split.slice(0, 27)}…` : split, `n = ${samples}`, summary] };
}

/**
 * A decision tree drawn top-down with D3's tree layout (Reingold–Tilford): each node shows its
 * split (left branch: condition true), its training rows and its majority class share (or mean);
 * nodes deeper than `maxDepth` are folded into a "…" mark. Pure: returns the scene.
 */
export function treeScene(p: TreePicture, options: { label: string; maxDepth?: number }): Scene {
  const root = hierarchy(items(p.nodes, 0, 0, options.maxDepth ?? 4));
  const nodeW = 156;
  const nodeH = 46;
  treeLayout<Item>().nodeSize([nodeW + 10, nodeH + 34])(root);
  const all = root.descendants();
  const minX = Math.min(...all.map((d) => d.x ?? 0));
  const maxX = Math.max(...all.map((d) => d.x ?? 0));
  const maxY = Math.max(...all.map((d) => d.y ?? 0));
  const ox = -minX + nodeW / 2 + 6;
  const width = r2(maxX - minX + nodeW + 12);
  const height = r2(maxY + nodeH + 30);
  const children: SvgNode[] = [];
  for (const link of root.links()) {
    const yes = link.source.children?.[0] === link.target;
    const sx = r2((link.source.x ?? 0) + ox);
    const sy = r2((link.source.y ?? 0) + nodeH + 4);
    const tx = r2((link.target.x ?? 0) + ox);
    const ty = r2((link.target.y ?? 0) + 4);
    children.push({ tag: 'g', attrs: { class: 'link' }, children: [
      { tag: 'path', attrs: { d: `M${sx},${sy}C${sx},${r2((sy + ty) / 2)} ${tx},${r2((sy + ty) / 2)} ${tx},${ty}`, fill: 'none', stroke: '#9ca3af' } },
      { tag: 'text', attrs: { x: r2((sx + tx) / 2), y: r2((sy + ty) / 2), 'text-anchor': 'middle', 'font-size': 10 }, text: yes ? 'yes' : 'no' },
    ] });
  }
  for (const d of all) {
    const id = d.data.id;
    const t = nodeText(p, id);
    const x = r2((d.x ?? 0) + ox - nodeW / 2);
    const y = r2((d.y ?? 0) + 4);
    const leaf = p.nodes.feature[id] < 0;
    children.push({ tag: 'g', attrs: { class: leaf ? 'node leaf' : 'node' }, children: [
      { tag: 'rect', attrs: { x, y, width: nodeW, height: nodeH, rx: 4, fill: leaf ? '#eff6ff' : '#ffffff', stroke: '#6b7280' }, children: [{ tag: 'title', text: t.title }] },
      ...t.lines.map((line, k) => ({ tag: 'text', attrs: { x: r2(x + nodeW / 2), y: r2(y + 13 + k * 13), 'text-anchor': 'middle', 'font-size': 10 }, text: line })),
      ...(d.data.cut ? [{ tag: 'text', attrs: { x: r2(x + nodeW / 2), y: r2(y + nodeH + 14), 'text-anchor': 'middle' }, text: '…' }] : []),
    ] });
  }
  return { width, height, label: options.label, children };
}

/** Draws {@link treeScene} into `el`; returns its remover. */
export function renderTree(el: Element, p: TreePicture, options: { label: string; maxDepth?: number }): () => void {
  return mountScene(el, treeScene(p, options));
}
