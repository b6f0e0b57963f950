import { describe, expect, it } from 'vitest';
import { stepDetail } from '../../../src/core/recipe/step-detail';

describe("a step's settings in words", () => {
  it('says how each kind is set', () => {
    expect(stepDetail({ kind: 'missing', column: 'age', strategy: 'median', indicator: true })).toBe('median + indicator');
    expect(stepDetail({ kind: 'missing', column: 'x', strategy: 'constant', value: -1 })).toBe('fill -1');
    expect(stepDetail({ kind: 'missing', column: 'x', strategy: 'previous', orderBy: 'order_date' })).toBe('previous value by order_date');
    expect(stepDetail({ kind: 'cast', column: 'name', to: 'INTEGER' })).toBe('→ INTEGER');
    expect(stepDetail({ kind: 'range-rule', column: 'age', min: 21, max: 80, action: 'clip' })).toBe('21 to 80, outside → clip');
    expect(stepDetail({ kind: 'outliers', column: 'amount', method: 'iqr', action: 'clip' })).toBe('IQR × 1.5, clip');
    expect(stepDetail({ kind: 'outliers', column: 'amount', method: 'percentile', upper: 0.99, action: 'clip' })).toBe('quantiles 0.05–0.99, clip');
    expect(stepDetail({ kind: 'encode', column: 'region', start: 1, as: 'region_code' })).toBe('sorted, from 1 → region_code');
    expect(stepDetail({ kind: 'join', table: 'orders', how: 'left', on: [{ left: 'customer_id', right: 'customer_id' }, { left: 'day', right: 'order_date' }] })).toBe('left on customer_id, day = order_date');
    expect(stepDetail({ kind: 'sample', percent: 10, seed: 42, stratifyBy: 'region' })).toBe('10 %, seed 42, by region');
    expect(stepDetail({ kind: 'filter', conditions: [{ column: 'age', op: '>=', value: 30 }] })).toBe('1 condition');
    expect(stepDetail({ kind: 'map-values', column: 'region', mapping: [{ from: 'north', to: 'North' }] })).toBe('1 value');
    expect(stepDetail({ kind: 'derive', name: 'x', expression: 'a'.repeat(60) })).toBe(`= ${'a'.repeat(45)}…`);
  });
});
