import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recipe, RecipeStep } from '../../../src/core/recipe';
import type { DbConnector } from '../../../src/services/db/connector';
import { createNodeConnector } from '../../../src/services/db/node-connector';
import { rebuildRecipeInputs, type StoredRecipe } from '../../../src/services/db/recipe-inputs';
import { claimOutputName } from '../../../src/services/db/recipe-owner';
import { applyRecipe } from '../../../src/services/db/recipe-run';

let db: DbConnector;
beforeAll(async () => {
  db = await createNodeConnector();
  await db.query(`CREATE TABLE customers AS SELECT * FROM (VALUES (1, 'Ann'), (2, 'Bo'), (3, 'Cy')) t(customer_id, name)`);
  await db.query(`CREATE TABLE orders AS SELECT * FROM (VALUES (1, 10.0), (1, 5.0), (3, 7.5), (3, NULL)) t(customer_id, amount)`);
});
afterAll(() => db.close());

const rows = async (sql: string) => (await db.query(sql)).toArray().map((r) => r.toJSON());
const recipe = (source: string, steps: object[]): Recipe => ({ version: 1, name: `${source}_clean`, source, steps: steps.map((s, i) => ({ id: `s${i}`, enabled: true, ...s }) as RecipeStep) });

const perCustomer = recipe('orders', [
  { kind: 'missing', column: 'amount', strategy: 'constant', value: 0 },
  { kind: 'aggregate', groupBy: ['customer_id'], measures: [{ name: 'orders', fn: 'count' }, { name: 'spend', fn: 'sum', column: 'amount' }] },
]);
const withSpend = recipe('customers', [{ kind: 'join', table: 'orders_clean', how: 'left', on: [{ left: 'customer_id', right: 'customer_id' }] }]);

describe("a recipe's inputs written by other recipes", () => {
  it('writes a missing cleaned table by its own recipe first, so a join on it runs after a reload', async () => {
    const stored: Record<string, StoredRecipe> = { orders_clean: { recipe: perCustomer, keepFrozen: false } };
    const rebuilt = await rebuildRecipeInputs(db, withSpend, (t) => stored[t]);
    expect(rebuilt.map((r) => r.result.output)).toEqual(['orders_clean']);
    // Marked as the orders recipe's: it may replace it, another recipe may not.
    expect(await claimOutputName(db, 'orders', 'orders_clean')).toBe('orders_clean');
    expect(await claimOutputName(db, 'customers', 'orders_clean')).toBe('orders_clean_2');
    await applyRecipe(db, withSpend);
    expect(await rows('SELECT customer_id, name, orders::INTEGER AS orders, spend::DOUBLE AS spend FROM customers_clean ORDER BY customer_id')).toEqual([
      { customer_id: 1, name: 'Ann', orders: 2, spend: 15 },
      { customer_id: 2, name: 'Bo', orders: null, spend: null },
      { customer_id: 3, name: 'Cy', orders: 2, spend: 7.5 },
    ]);
    // The step views of the input's recipe are not left behind.
    expect(await rows(`SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'orders_clean__%'`)).toEqual([]);
    // Present now: nothing is written again.
    expect(await rebuildRecipeInputs(db, withSpend, (t) => stored[t])).toEqual([]);
  });

  it('leaves a table no recipe writes to the recipe, and stops at a cycle', async () => {
    await db.query('DROP TABLE IF EXISTS orders_clean');
    const a = recipe('customers', [{ kind: 'join', table: 'orders_clean', how: 'left', on: [{ left: 'customer_id', right: 'customer_id' }] }]);
    const b = recipe('orders', [{ kind: 'join', table: 'customers_clean', how: 'left', on: [{ left: 'customer_id', right: 'customer_id' }] }]);
    await db.query('DROP TABLE IF EXISTS customers_clean');
    const stored: Record<string, StoredRecipe> = { orders_clean: { recipe: b, keepFrozen: false }, customers_clean: { recipe: a, keepFrozen: false } };
    await expect(rebuildRecipeInputs(db, a, (t) => stored[t])).rejects.toThrow(/^"orders_clean" is the cleaned table of the recipe on "orders", which could not be applied: .*customers_clean.* Open that recipe to fix it\.$/s);
    expect(await rebuildRecipeInputs(db, a, () => undefined)).toEqual([]);
  });
});
