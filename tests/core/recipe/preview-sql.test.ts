import { describe, expect, it } from 'vitest';
import { compileStep } from '../../../src/core/recipe/compile';
import { isRowLocal, previewPlan } from '../../../src/core/recipe/preview-sql';
import type { ColumnType, RecipeStepBody } from '../../../src/core/recipe/types';

const COLUMNS: ColumnType[] = [{ name: 'id', type: 'INTEGER' }, { name: 'age', type: 'INTEGER' }];
const compiled = (step: RecipeStepBody) => compileStep(step, 0, '"t"', COLUMNS, () => COLUMNS);

describe('which steps a preview may recompile over a few rows', () => {
  it('row-wise steps are row-local; windows, duplicates, samples and other tables are not', () => {
    expect(isRowLocal({ kind: 'missing', column: 'age', strategy: 'constant', value: 0 })).toBe(true);
    expect(isRowLocal({ kind: 'missing', column: 'age', strategy: 'previous', orderBy: 'id' })).toBe(false);
    expect(isRowLocal({ kind: 'derive', name: 'a2', expression: 'age * 2' })).toBe(true);
    expect(isRowLocal({ kind: 'derive', name: 'r', expression: 'rank() over (order by age)' })).toBe(false);
    expect(isRowLocal({ kind: 'derive', name: 'm', expression: '(SELECT max(age) FROM t)' })).toBe(false);
    expect(isRowLocal({ kind: 'dedupe' })).toBe(false);
    expect(isRowLocal({ kind: 'sample', rows: 2, seed: 1 })).toBe(false);
  });
  it('pairs rows for steps that keep them, shows removed rows for a WHERE, first rows otherwise', () => {
    expect(previewPlan(compiled({ kind: 'text', column: 'id', op: 'trim' }))).toBe('paired');
    expect(previewPlan(compiled({ kind: 'missing', column: 'age', strategy: 'previous', orderBy: 'id' }))).toBe('paired');
    expect(previewPlan(compiled({ kind: 'filter', conditions: [{ column: 'age', op: '>', value: 1 }] }))).toBe('removed');
    expect(previewPlan(compiled({ kind: 'missing', column: 'age', strategy: 'drop-rows' }))).toBe('removed');
    expect(previewPlan(compiled({ kind: 'dedupe' }))).toBe('first');
    expect(previewPlan(compiled({ kind: 'sample', rows: 2, seed: 1 }))).toBe('first');
  });
});
