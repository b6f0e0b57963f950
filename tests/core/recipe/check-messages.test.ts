import { describe, expect, it } from 'vitest';
import { checkStep, type ColumnType, type RecipeStepBody } from '../../../src/core/recipe';

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
});
