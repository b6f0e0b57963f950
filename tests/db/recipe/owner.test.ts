import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../../src/services/db/connector';
import { createNodeConnector } from '../../../src/services/db/node-connector';
import { applyRecipe } from '../../../src/services/db/recipe-run';
import { claimOutputName, isOutputOf, markOutputSql } from '../../../src/services/db/recipe-owner';

let db: DbConnector;
beforeAll(async () => {
  db = await createNodeConnector();
  await db.query(`CREATE TABLE feedback AS SELECT * FROM (VALUES (1, 5), (2, NULL), (3, 3)) t(id, rating)`);
});
afterAll(() => db.close());

describe('the name a recipe writes its cleaned table to', () => {
  it('is the wanted name while no table has it, and stays so once the recipe wrote and marked it', async () => {
    expect(await claimOutputName(db, 'feedback', 'feedback_clean')).toBe('feedback_clean');
    const r = await applyRecipe(db, { version: 1, name: 'feedback_clean', source: 'feedback', steps: [{ id: 's1', enabled: true, kind: 'missing', column: 'rating', strategy: 'median' }] });
    await db.query(markOutputSql(r.output, 'feedback'));
    expect(await claimOutputName(db, 'feedback', 'feedback_clean')).toBe('feedback_clean');
    await db.query('DROP TABLE feedback_clean');
  });

  it("is the next free name when the analyst's own table has it, which is left as it was", async () => {
    await db.query(`CREATE TABLE feedback_clean AS SELECT 'mine' AS note`);
    await db.query(`CREATE VIEW feedback_clean_2 AS SELECT 1 AS x`);
    expect(await claimOutputName(db, 'feedback', 'feedback_clean')).toBe('feedback_clean_3');
    // A table another recipe (on another source) marked is not this recipe's either.
    await db.query(`CREATE TABLE feedback_clean_3 AS SELECT 1 AS x`);
    await db.query(markOutputSql('feedback_clean_3', 'orders'));
    expect(await claimOutputName(db, 'feedback', 'FEEDBACK_CLEAN')).toBe('FEEDBACK_CLEAN_4');
    await db.query(markOutputSql('feedback_clean_3', 'feedback'));
    expect(await claimOutputName(db, 'feedback', 'feedback_clean')).toBe('feedback_clean_3');
    expect((await db.query('SELECT note FROM feedback_clean')).toArray().map((r) => r.toJSON())).toEqual([{ note: 'mine' }]);
  });

  it('keeps the mark through the rename that puts a staged table in place', async () => {
    await db.query(`CREATE TABLE staged AS SELECT 1 AS x`);
    await db.query(markOutputSql('staged', 'feedback'));
    await db.query('ALTER TABLE staged RENAME TO feedback_clean_9');
    expect(await claimOutputName(db, 'feedback', 'feedback_clean_9')).toBe('feedback_clean_9');
    expect(await isOutputOf(db, 'feedback_clean_9', 'feedback')).toBe(true);
    expect(await isOutputOf(db, 'feedback_clean_9', 'orders')).toBe(false);
    expect(await isOutputOf(db, 'feedback_clean', 'feedback')).toBe(false);
    expect(await isOutputOf(db, 'no_such_table', 'feedback')).toBe(false);
  });
});
