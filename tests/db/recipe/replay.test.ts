import { beforeAll, describe, expect, it } from 'vitest';
import { RecipeError } from '../../../src/core/recipe/errors';
import type { RecipeStepBody } from '../../../src/core/recipe/types';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe } from '../../../src/services/db/recipe-run';
import { freshDb, rows } from '../helpers';
import { loadFixtures, recipeOf } from './fixtures';

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFixtures(db);
});

describe('replay without per-step counts (report: false)', () => {
  it('writes the same cleaned table as a reporting run, with -1 where counts were skipped', async () => {
    const steps: RecipeStepBody[] = [
      { kind: 'text', column: 'name', op: 'trim' },
      { kind: 'missing', column: 'age', strategy: 'median' },
      { kind: 'filter', conditions: [{ column: 'age', op: '>', value: 35 }] },
      { kind: 'scale', column: 'age', method: 'zscore', as: 'age_z' },
    ];
    const full = await applyRecipe(db, recipeOf('people', ...steps));
    const replay = await applyRecipe(db, recipeOf('people', ...steps), { report: false });
    expect(replay.rows).toBe(full.rows);
    const a = await rows(db, `SELECT * FROM ${full.output} ORDER BY ALL`);
    const b = await rows(db, `SELECT * FROM ${replay.output} ORDER BY ALL`);
    expect(b).toEqual(a);
    expect(full.steps[0].cellsChanged).toBeGreaterThan(0);
    expect(replay.steps.map((s) => s.cellsChanged)).toEqual([-1, -1, -1, -1]);
    expect(replay.steps[2].rowsOut).toBe(-1);
    // The frozen statistics are the same: the exported script would be identical.
    expect(replay.recipe.steps.map((s) => ('fitted' in s ? s.fitted : null))).toEqual(full.recipe.steps.map((s) => ('fitted' in s ? s.fitted : null)));
  });

  it('still refuses a cast that fails on every row', async () => {
    const err = await applyRecipe(db, recipeOf('people', { kind: 'cast', column: 'name', to: 'INTEGER' }), { report: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecipeError);
    expect((err as Error).message).toContain('none of the 5 values of "name" could be converted');
  });
});
