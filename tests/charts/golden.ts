import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';
import { sceneToSvg, type Scene, type SvgNode } from '../../src/charts/scene';

/**
 * Normalizes SVG text before comparing, as observablehq/plot's test/plot-snapshot.js does:
 * every decimal number rounded to 2 places, generated ids (`id="…-12"`) renumbered in order.
 */
export function normalizeSvg(svg: string): string {
  const ids = new Map<string, string>();
  return svg
    .replace(/-?\d+\.\d+(e[+-]?\d+)?/g, (n) => String(+(+n).toFixed(2)))
    .replace(/\bid="([^"]+)"/g, (_, id: string) => {
      if (!ids.has(id)) ids.set(id, `id-${ids.size}`);
      return `id="${ids.get(id)}"`;
    })
    .trim();
}

/**
 * Compares `svg` with the golden file (normalized). A missing golden is written (and the test
 * passes), as in Plot; set UPDATE_GOLDENS=1 to rewrite them after an intended change.
 */
export function expectGolden(path: string, svg: string): { actual: string; expected: string } {
  if (!existsSync(path) || process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, svg);
  }
  return { actual: normalizeSvg(svg), expected: normalizeSvg(readFileSync(path, 'utf8')) };
}

/** Every node of a scene, depth first. */
export function all(nodes: SvgNode[]): SvgNode[] {
  return nodes.flatMap((n) => [n, ...all(n.children ?? [])]);
}

/** The scene as SVG: an accessible image, equal to tests/fixtures/charts/<name>.svg once normalized. */
export function checkGolden(name: string, scene: Scene): void {
  const svg = sceneToSvg(scene);
  expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-label="[^"]+"/);
  const { actual, expected } = expectGolden(`tests/fixtures/charts/${name}.svg`, svg);
  expect(actual).toBe(expected);
}
