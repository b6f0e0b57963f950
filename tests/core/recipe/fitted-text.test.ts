import { describe, expect, it } from 'vitest';
import { fittedText } from '../../../src/core/recipe/fitted-text';
import type { RecipeStep } from '../../../src/core/recipe/types';

const step = (body: object) => ({ id: 's1', enabled: true, ...body }) as RecipeStep;

describe('the fitted statistics of a step in words', () => {
  it('names the fill value, fences, scaling and bin edges', () => {
    expect(fittedText(step({ kind: 'missing', column: 'age', strategy: 'mean', fitted: { value: 42.25444844260689, type: 'DOUBLE' } }))).toBe('fill value 42.2544 (mean)');
    expect(fittedText(step({ kind: 'missing', column: 'region', strategy: 'mode', fitted: { value: 'North', type: 'VARCHAR' } }))).toBe('fill value "North" (mode)');
    expect(fittedText(step({ kind: 'missing', column: 'x', strategy: 'median', fitted: { value: null, type: 'DOUBLE' } }))).toBe('fill value none (the column has no values) (median)');
    expect(fittedText(step({ kind: 'outliers', column: 'amount', method: 'iqr', action: 'clip', fitted: { low: -7.744999999999999, high: 22.215 } }))).toBe('kept range -7.745 to 22.215');
    expect(fittedText(step({ kind: 'scale', column: 'age', method: 'zscore', fitted: { center: 42.25, scale: 13.275836345783686 } }))).toBe('mean 42.25, standard deviation 13.2758');
    expect(fittedText(step({ kind: 'scale', column: 'age', method: 'minmax', fitted: { center: 18, scale: 62 } }))).toBe('minimum 18, range 62');
    expect(fittedText(step({ kind: 'bin', column: 'age', method: 'equal-width', bins: 2, fitted: { edges: [18, 49, 80] } }))).toBe('edges 18, 49, 80');
  });

  it('lists categories and codes, the first 20 of them', () => {
    expect(fittedText(step({ kind: 'encode', column: 'region', start: 1, fitted: { mapping: [{ value: 'North', code: 1 }, { value: 'South', code: 2 }] } }))).toBe('codes "North" = 1, "South" = 2');
    const categories = Array.from({ length: 23 }, (_, i) => `c${i}`);
    expect(fittedText(step({ kind: 'one-hot', column: 'cat', fitted: { categories } }))).toBe(`categories ${categories.slice(0, 20).map((c) => `"${c}"`).join(', ')} … and 3 more`);
  });

  it('says nothing for a step not fitted yet or one without statistics', () => {
    expect(fittedText(step({ kind: 'encode', column: 'region' }))).toBeNull();
    expect(fittedText(step({ kind: 'text', column: 'region', op: 'lower' }))).toBeNull();
  });
});
