import { describe, expect, it } from 'vitest';
import { signedBarsScene, renderSignedBars } from '../../src/charts/model-bars';
import { confusionScene, renderConfusion } from '../../src/charts/model-confusion';
import { curveScene, renderCurves } from '../../src/charts/model-curves';
import { renderTree, treeScene } from '../../src/charts/model-tree';
import { sceneToSvg, type Scene } from '../../src/charts/scene';
import { fitClassificationTree } from '../../src/core/models/cart';
import { matrixFromRows } from '../../src/core/models/matrix';
import { FakeElement, serialize } from './fake-dom';
import { all, checkGolden } from './golden';

// The Predict room's charts, as the CRM charts are tested: each scene against its golden SVG
// (tests/fixtures/charts/model-*.svg), what it must show, and render() building that very SVG.

const roc = [{ name: 'ROC', points: [{ x: 0, y: 0 }, { x: 0.1, y: 0.6 }, { x: 0.3, y: 0.85 }, { x: 1, y: 1 }] }];
const rocOptions = { label: 'ROC curve', xLabel: 'false-positive rate', yLabel: 'true-positive rate', unit: true, diagonal: true, mark: { x: 0.1, y: 0.6, title: 'threshold 0.50' } };

describe('curves (ROC, PR, calibration, partial dependence, residuals)', () => {
  const scene = curveScene(roc, rocOptions);

  it('draws the curve on unit axes, the chance diagonal and the operating point', () => {
    const nodes = all(scene.children);
    const path = nodes.find((n) => n.attrs?.class === 'series')!;
    expect(String(path.attrs!.d).match(/[ML]/g)).toHaveLength(4);
    const diagonal = nodes.find((n) => n.attrs?.class === 'diagonal')!;
    // (0, 0) at the bottom-left corner, (1, 1) at the top-right of the plot box.
    expect([diagonal.attrs!.x1, diagonal.attrs!.y1, diagonal.attrs!.x2, diagonal.attrs!.y2]).toEqual([48, 226, 348, 10]);
    const mark = nodes.find((n) => n.attrs?.class === 'mark')!;
    expect([mark.attrs!.cx, mark.attrs!.cy]).toEqual([78, 96.4]);
  });

  it('a residual plot is dots with a zero rule', () => {
    const s = curveScene([{ name: 'residual', points: [{ x: 1, y: -1 }, { x: 2, y: 0.5 }, { x: 3, y: 2 }] }], { label: 'Residuals', xLabel: 'predicted', yLabel: 'residual', scatter: true, ruleY: 0 });
    const nodes = all(s.children);
    expect(nodes.filter((n) => n.tag === 'circle')).toHaveLength(3);
    expect(nodes.some((n) => n.attrs?.class === 'series')).toBe(false);
    expect(nodes.find((n) => n.attrs?.class === 'rule')).toBeDefined();
  });

  it('matches its golden SVG', () => checkGolden('model-roc', scene));
});

describe('confusion matrix', () => {
  const scene = confusionScene([[50, 10], [5, 35]], ['no', 'yes'], { label: 'Confusion matrix' });

  it('prints each count in its cell, true classes as rows', () => {
    const cells = all(scene.children).filter((n) => n.tag === 'g' && n.attrs?.class === 'cell');
    expect(cells.map((c) => c.children![1].text)).toEqual(['50', '10', '5', '35']);
    expect(cells[1].children![0].children![0].text).toBe('actual no, predicted yes: 10 (16.7 % of the row)');
  });

  it('matches its golden SVG', () => checkGolden('model-confusion', scene));
});

describe('signed bars', () => {
  const scene = signedBarsScene([{ label: 'tenure', value: 0.12, error: 0.01 }, { label: 'plan=Basic', value: -0.05 }], { label: 'Importance' });

  it('puts positive bars right of zero and negative ones left', () => {
    const rects = all(scene.children).filter((n) => n.tag === 'rect');
    const zero = Number(scene.children[0].attrs!.x1);
    expect(Number(rects[0].attrs!.x)).toBe(zero);
    expect(Number(rects[1].attrs!.x) + Number(rects[1].attrs!.width)).toBeCloseTo(zero, 1);
    expect(all(scene.children).filter((n) => n.attrs?.class === 'error-bar')).toHaveLength(1);
  });

  it('matches its golden SVG', () => checkGolden('model-bars', scene));
});

describe('decision tree', () => {
  // x ≤ 1.5 → class 0, else class 1: a root and two pure leaves.
  const tree = fitClassificationTree(matrixFromRows([[0], [1], [2], [3]]), Int32Array.from([0, 0, 1, 1]));
  const scene = treeScene({ nodes: tree.nodes, featureNames: ['tenure'], classes: ['stay', 'churn'] }, { label: 'Decision tree' });

  it('draws every node with its split, rows and majority class, and labels the branches', () => {
    const texts = all(scene.children).filter((n) => n.tag === 'text').map((n) => n.text);
    expect(texts).toEqual(expect.arrayContaining(['tenure ≤ 1.5', 'n = 4', 'stay 50 %', 'n = 2', 'stay 100 %', 'churn 100 %', 'yes', 'no']));
    expect(all(scene.children).filter((n) => n.tag === 'rect')).toHaveLength(3);
  });

  it('folds nodes below the depth limit', () => {
    const folded = treeScene({ nodes: tree.nodes, featureNames: ['tenure'], classes: ['stay', 'churn'] }, { label: 'Decision tree', maxDepth: 0 });
    expect(all(folded.children).filter((n) => n.tag === 'rect')).toHaveLength(1);
    expect(all(folded.children).some((n) => n.text === '…')).toBe(true);
  });

  it('matches its golden SVG', () => checkGolden('model-tree', scene));
});

describe('render() appends exactly the scene, and its disposer removes it', () => {
  const tree = fitClassificationTree(matrixFromRows([[0], [1], [2], [3]]), Int32Array.from([0, 0, 1, 1]));
  const cases: [string, (el: Element) => () => void, Scene][] = [
    ['curves', (el) => renderCurves(el, roc, rocOptions), curveScene(roc, rocOptions)],
    ['confusion', (el) => renderConfusion(el, [[1, 2], [3, 4]], ['a', 'b'], { label: 'c' }), confusionScene([[1, 2], [3, 4]], ['a', 'b'], { label: 'c' })],
    ['bars', (el) => renderSignedBars(el, [{ label: 'a', value: 1 }], { label: 'b' }), signedBarsScene([{ label: 'a', value: 1 }], { label: 'b' })],
    ['tree', (el) => renderTree(el, { nodes: tree.nodes, featureNames: ['x'], classes: ['a', 'b'] }, { label: 't' }), treeScene({ nodes: tree.nodes, featureNames: ['x'], classes: ['a', 'b'] }, { label: 't' })],
  ];
  it.each(cases)('%s', (_, render, scene) => {
    const host = new FakeElement('div');
    const dispose = render(host as unknown as Element);
    expect(`${serialize(host.children[0])}\n`).toBe(sceneToSvg(scene));
    dispose();
    expect(host.children).toHaveLength(0);
  });
});
