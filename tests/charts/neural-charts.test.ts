import { describe, expect, it } from 'vitest';
import { neuralCurvesScene, renderNeuralCurves, type EpochPoint } from '../../src/charts/neural-curves';
import { sceneToSvg, type SvgNode } from '../../src/charts/scene';
import { FakeElement, serialize } from './fake-dom';
import { expectGolden } from './golden';

// The Neural room's live training curves: the scene against its golden SVG
// (tests/fixtures/charts/neural-curves.svg), what it must show, and render() building that SVG.

function all(nodes: SvgNode[]): SvgNode[] {
  return nodes.flatMap((n) => [n, ...all(n.children ?? [])]);
}

const history: EpochPoint[] = [
  { epoch: 1, loss: 0.69, valLoss: 0.66, valAccuracy: 0.62 },
  { epoch: 2, loss: 0.55, valLoss: 0.52, valAccuracy: 0.74 },
  { epoch: 3, loss: 0.42, valLoss: 0.48, valAccuracy: 0.78 },
  { epoch: 4, loss: 0.33, valLoss: 0.5, valAccuracy: 0.77 },
];
const options = { label: 'Loss by epoch', metric: 'loss' as const, epochs: 10, bestEpoch: 3 };

describe('neural training curves', () => {
  const scene = neuralCurvesScene(history, options);
  const nodes = all(scene.children);

  it('draws training and validation loss, one dot per epoch, on an axis fixed to the planned epochs', () => {
    const loss = nodes.find((n) => n.attrs?.class === 'series loss')!;
    const val = nodes.find((n) => n.attrs?.class === 'series valLoss')!;
    expect(String(loss.attrs!.d).match(/[ML]/g)).toHaveLength(4);
    expect(val.attrs!['stroke-dasharray']).toBe('5 3');
    const dots = nodes.find((n) => n.attrs?.class === 'dots loss')!.children!;
    // Epoch 1 at the left edge (x = 52), epoch 10 would be at the right (380 − 14 = 366): epoch 4 is a third of the way.
    expect(dots.map((d) => d.attrs!.cx)).toEqual([52, 86.89, 121.78, 156.67]);
    // y from 0 (bottom, 220 − 40 = 180) to the nice maximum 0.7 (top, 24): loss 0.69 is near the top.
    expect(dots[0].attrs!.cy).toBeCloseTo(180 - (0.69 / 0.7) * 156, 1);
    expect(dots[0].children![0].text).toBe('epoch 1: training loss 0.6900');
  });

  it('marks the best epoch, whose weights are kept', () => {
    const best = nodes.find((n) => n.attrs?.class === 'best')!;
    expect(best.attrs!.x1).toBe(121.78);
    expect(best.children![0].text).toBe('best epoch 3: its weights are kept');
  });

  it('the accuracy view draws validation accuracy only; an empty history still draws the axes', () => {
    const acc = all(neuralCurvesScene(history, { ...options, metric: 'accuracy' }).children);
    expect(acc.filter((n) => String(n.attrs?.class ?? '').startsWith('series'))).toHaveLength(1);
    const empty = all(neuralCurvesScene([], { label: 'none', metric: 'loss', epochs: 5 }).children);
    expect(empty.find((n) => n.attrs?.class === 'x-axis')).toBeDefined();
    expect(empty.find((n) => n.attrs?.class === 'series loss')!.attrs!.d).toBe('');
  });

  it('matches its golden SVG', () => {
    const svg = sceneToSvg(scene);
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-label="Loss by epoch"/);
    const { actual, expected } = expectGolden('tests/fixtures/charts/neural-curves.svg', svg);
    expect(actual).toBe(expected);
  });

  it('render() appends exactly the scene, and its disposer removes it', () => {
    const host = new FakeElement('div');
    const dispose = renderNeuralCurves(host as unknown as Element, history, options);
    expect(`${serialize(host.children[0])}\n`).toBe(sceneToSvg(scene));
    dispose();
    expect(host.children).toHaveLength(0);
  });
});
