import { describe, expect, it } from 'vitest';
import { checkStep, validateRecipe, type ColumnType, type RecipeStepBody } from '../../../src/core/recipe';

const columns: ColumnType[] = [{ name: 'customer_id', type: 'BIGINT' }, { name: 'age', type: 'BIGINT' }, { name: 'vip', type: 'BOOLEAN' }, { name: 'region', type: 'VARCHAR' }];
const tables = (t: string) => (t === 'orders' ? [{ name: 'customer_id', type: 'BIGINT' }, { name: 'amount', type: 'DOUBLE' }] : undefined);
const check = (step: RecipeStepBody) => () => checkStep(step, 0, { columns, open: false }, tables);

describe('what an incomplete step form is told', () => {
  it('asks for the table to join, then for the key of the other table', () => {
    expect(check({ kind: 'join', table: '', how: 'left', on: [{ left: 'customer_id', right: 'customer_id' }] })).toThrow(/^step 1 \(join ""\): choose the table to join\.$/);
    expect(check({ kind: 'join', table: 'orders', how: 'left', on: [{ left: 'customer_id', right: '' }] })).toThrow(/^step 1 \(join "orders"\): choose the column of "orders" to match on\.$/);
    expect(check({ kind: 'join', table: 'orders', how: 'left', on: [{ left: 'customer_id', right: 'customer_id' }] })).not.toThrow();
  });

  it('refuses a constant fill that the column cannot hold, before the data meets it', () => {
    expect(check({ kind: 'missing', column: 'age', strategy: 'constant', value: 'abc' })).toThrow(/the fill value "abc" is not a number, and "age" is BIGINT: type a number\./);
    expect(check({ kind: 'missing', column: 'vip', strategy: 'constant', value: 'maybe' })).toThrow(/the fill value "maybe" is not true or false, and "vip" is BOOLEAN\./);
    expect(check({ kind: 'missing', column: 'age', strategy: 'constant', value: 0 })).not.toThrow();
    expect(check({ kind: 'missing', column: 'age', strategy: 'constant', value: ' 7 ' })).not.toThrow();
    expect(check({ kind: 'missing', column: 'region', strategy: 'constant', value: 'abc' })).not.toThrow();
  });

  it('says how to fix a stratified sample by rows', () => {
    expect(check({ kind: 'sample', rows: 100, seed: 1, stratifyBy: 'region', method: 'hash' })).toThrow(/a stratified sample takes the same percentage of each group: sample by percent, or clear "Stratify by"\./);
    expect(check({ kind: 'sample', percent: 10, seed: 1, stratifyBy: 'region', method: 'hash' })).not.toThrow();
  });

  it('names every column a re-applied recipe misses, and the columns to choose from beyond twelve', () => {
    const made = [...columns, { name: 'email', type: 'VARCHAR' }, { name: 'plan', type: 'VARCHAR' }];
    const recipe = { version: 1, name: 'x_clean', source: 'x', steps: [], sourceColumns: made };
    expect(() => validateRecipe(recipe, columns.slice(0, 3), tables)).toThrow('"x" has none of the columns "region", "email" and "plan", which the recipe was made with: is it the right table? Else rename the columns in the file, or edit the steps that use them.');
    const wide = Array.from({ length: 14 }, (_, i) => ({ name: `c${i}`, type: 'BIGINT' }));
    expect(() => checkStep({ kind: 'text', column: 'nope', op: 'trim' }, 0, { columns: wide, open: false }, tables)).toThrow(/choose one of "c0", .*"c11", … \(14 columns\), or remove the step\.$/);
  });

  it('points at what keeps a typed expression from being one expression', () => {
    const derive = (expression: string) => check({ kind: 'derive', name: 'y', expression });
    expect(derive('nope(')).toThrow(/^step 1 \(derive "y"\): the expression must be one SQL expression, e\.g\. amount \* quantity, and a "\(" is not closed\.$/);
    expect(derive('age) * 2')).toThrow(/and the "\)" at character 4 has no "\(" before it\./);
    expect(derive("region || 'x")).toThrow(/and a ' quote is not closed\./);
    expect(derive('age * 2 -- double')).toThrow(/and it holds a ";" or a comment\./);
    expect(derive("coalesce(region, '(none') || ')'")).not.toThrow();
    expect(check({ kind: 'filter', sql: '(age > 3' })).toThrow(/the condition must be one SQL expression, and a "\(" is not closed\./);
  });

  it('checks the quantiles of a percentile clip', () => {
    expect(check({ kind: 'outliers', column: 'age', method: 'percentile', lower: 0.9, upper: 0.1, action: 'clip' })).toThrow(/the lower quantile 0\.9 must be below the upper 0\.1\./);
    expect(check({ kind: 'outliers', column: 'age', method: 'percentile', lower: 1.5, action: 'clip' })).toThrow(/the lower quantile must be a number from 0 to 1\./);
    expect(check({ kind: 'outliers', column: 'age', method: 'percentile', lower: 0.01, upper: 0.99, action: 'clip' })).not.toThrow();
  });
});
