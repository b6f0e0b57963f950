/**
 * The inputs of a recipe that other recipes write. Only the open recipe runs after a reload, so
 * a join on `orders_clean` (the cleaned table of the recipe on `orders`) would find no table:
 * such an input is written first by applying the recipe that writes it (its own inputs rebuilt
 * the same way first), and marked as that recipe's output.
 */
import { AppError, errorMessage, isAbort } from '../../core/errors';
import { recipeTables, type Recipe } from '../../core/recipe';
import type { DbConnector } from './connector';
import { markOutputSql } from './recipe-owner';
import { relationKinds } from './recipe-report';
import { applyRecipe, dropRecipeSteps, type ApplyResult } from './recipe-run';

/** A stored recipe, and whether its statistics are kept as frozen (else fitted again). */
export interface StoredRecipe {
  recipe: Recipe;
  keepFrozen: boolean;
}

/** One input written on the way: the recipe's result and the statements that write it again. */
export interface RebuiltInput {
  result: ApplyResult;
  statements: string[];
}

/**
 * Writes every missing table `recipe` joins or appends that a stored recipe writes
 * (`producerOf(table)`), inputs of inputs first; tables no stored recipe writes are left to the
 * recipe's own check (which names them). A recipe reached twice (a cycle) is not run again.
 * A failing producer throws a message naming it; tables already written stay.
 */
export async function rebuildRecipeInputs(
  db: DbConnector,
  recipe: Recipe,
  producerOf: (table: string) => StoredRecipe | undefined,
  signal?: AbortSignal,
  seen: Set<string> = new Set([recipe.name]),
): Promise<RebuiltInput[]> {
  const rebuilt: RebuiltInput[] = [];
  for (const table of recipeTables(recipe).slice(1)) {
    if ((await relationKinds(db)).has(table)) continue;
    const producer = producerOf(table);
    if (!producer || seen.has(producer.recipe.name)) continue;
    seen.add(producer.recipe.name);
    rebuilt.push(...(await rebuildRecipeInputs(db, producer.recipe, producerOf, signal, seen)));
    try {
      const result = await applyRecipe(db, producer.recipe, { refit: !producer.keepFrozen, report: false, signal });
      await dropRecipeSteps(db, producer.recipe);
      const mark = markOutputSql(producer.recipe.name, producer.recipe.source);
      await db.query(mark);
      rebuilt.push({ result, statements: [...result.statements, mark] });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new AppError('invalid-argument', `"${table}" is the cleaned table of the recipe on "${producer.recipe.source}", which could not be applied: ${errorMessage(err)} Open that recipe to fix it.`);
    }
  }
  return rebuilt;
}
