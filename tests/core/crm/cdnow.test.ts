import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bgnbdLogLikelihood, fitBgNbd } from '../../../src/core/crm/bgnbd';
import { fitGammaGamma, gammaGammaExpectedSpend } from '../../../src/core/crm/gamma-gamma';

/** Reads tests/fixtures/crm/cdnow-summary.txt (format described in its header). */
function loadCdnow(): { x: number[]; tx: number[]; T: number[] } {
  const out = { x: [] as number[], tx: [] as number[], T: [] as number[] };
  for (const line of readFileSync('tests/fixtures/crm/cdnow-summary.txt', 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [head, body] = line.split(':');
    const [T, first] = head.trim().split(/\s+/).map(Number);
    // Each line names its first customer id, so a dropped or doubled entry cannot go unnoticed.
    if (first !== out.x.length + 1) throw new Error(`CDNOW line T=${T} starts at id ${first}, expected ${out.x.length + 1}`);
    for (const entry of body.trim().split(/\s+/)) {
      const [x, tx] = entry.startsWith('0*') ? [0, 0] : entry === '0' ? [0, 0] : entry.split('/').map(Number);
      const times = entry.startsWith('0*') ? Number(entry.slice(2)) : 1;
      for (let k = 0; k < times; k++) {
        out.x.push(x);
        out.tx.push(tx);
        out.T.push(T);
      }
    }
  }
  return out;
}

describe('BG/NBD on the CDNOW sample (Fader, Hardie & Lee 2005, §4)', () => {
  const data = loadCdnow();
  const PAPER = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

  it('has the paper’s 2,357 customers, 1,411 without a repeat purchase and 2,457 repeat purchases', () => {
    expect(data.x).toHaveLength(2357);
    expect(data.x.filter((x) => x === 0)).toHaveLength(1411);
    expect(data.x.reduce((s, x) => s + x, 0)).toBe(2457);
  });

  it('gives the published log-likelihood −9582.4 at the published estimates', () => {
    expect(bgnbdLogLikelihood(PAPER, data)).toBeCloseTo(-9582.4, 1);
  });

  it('refits the published estimates: each rounds to the 3 decimals printed in the paper', () => {
    const fit = fitBgNbd(data);
    const rounded = Object.fromEntries(Object.entries(fit.params).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
    expect(rounded).toEqual(PAPER);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.converged).toBe(true);
  });
});

/** Reads tests/fixtures/crm/cdnow-spend.txt: the mean repeat spend of each customer with x > 0. */
function loadCdnowSpend(x: number[]): { x: number[]; m: number[] } {
  const repeatIds = x.flatMap((v, i) => (v > 0 ? [i + 1] : []));
  const m: number[] = [];
  for (const line of readFileSync('tests/fixtures/crm/cdnow-spend.txt', 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [head, body] = line.split(':');
    if (Number(head) !== repeatIds[m.length]) throw new Error(`CDNOW spend line ${head} should start at customer ${repeatIds[m.length]}`);
    m.push(...body.trim().split(/\s+/).map(Number));
  }
  return { x: repeatIds.map((id) => x[id - 1]), m };
}

describe('Gamma-Gamma on the CDNOW sample (Fader & Hardie 2013)', () => {
  const spend = loadCdnowSpend(loadCdnow().x);

  it('refits the published estimates p ≈ 6.25, q ≈ 3.74, γ ≈ 15.44 on the 946 repeat customers', () => {
    expect(spend.m).toHaveLength(946);
    const fit = fitGammaGamma(spend);
    expect(Math.abs(fit.params.p - 6.25)).toBeLessThan(0.01);
    expect(Math.abs(fit.params.q - 3.74)).toBeLessThan(0.01);
    expect(Math.abs(fit.params.gamma - 15.44)).toBeLessThan(0.02);
    // Population mean spend p·γ/(q − 1) and a customer's shrunk estimate (x = 2, mean $40).
    expect(gammaGammaExpectedSpend(fit.params, 0, 0)).toBeCloseTo((6.2488 * 15.4477) / 2.7446, 1);
    expect(gammaGammaExpectedSpend(fit.params, 2, 40)).toBeGreaterThan(35);
    expect(gammaGammaExpectedSpend(fit.params, 2, 40)).toBeLessThan(40);
  });
});
