import { parseRecipe, RECIPE_VERSION } from '../core/recipe';
import type { StoredRecipe } from '../services/db/recipe-inputs';
import { claimOutputName, isOutputOf, markOutputIfPresent, markOutputSql } from '../services/db/recipe-owner';
import { ident } from '../services/db/sql';
import type { CleanRoom } from './clean.svelte';
import { registerWorkspacePart } from './saved-workspaces.svelte';
import { registerShareable } from './share';
import { workspace } from './workspace.svelte';

/** Where recipes are kept between visits (this browser only), and the format's version. */
export const RECIPE_STORAGE_KEY = 'clientele.clean.recipes';
export const RECIPE_STORAGE_VERSION = 1;

/** What localStorage holds: the last source table and one recipe (JSON object) per source table. */
export interface StoredRecipes {
  version: number;
  last: string | null;
  recipes: Record<string, { recipe: unknown; keepFrozen: boolean }>;
  /** Suggestion keys the analyst dismissed, per source table. */
  dismissed?: Record<string, string[]>;
}

/** The stored recipes; an unreadable entry (another version, hand-edited) reads as none, never thrown at the analyst. */
export function readStore(): StoredRecipes {
  try {
    const raw = globalThis.localStorage?.getItem(RECIPE_STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as StoredRecipes) : null;
    if (parsed && parsed.version === RECIPE_STORAGE_VERSION && parsed.recipes && typeof parsed.recipes === 'object') return parsed;
  } catch {
    // Ignored: see above.
  }
  return { version: RECIPE_STORAGE_VERSION, last: null, recipes: {} };
}

/** Writes the stored recipes (throws when the browser refuses, e.g. over its quota). */
export function writeStore(store: StoredRecipes): void {
  globalThis.localStorage?.setItem(RECIPE_STORAGE_KEY, JSON.stringify(store));
}

/** The cleaned table's name of the recipe stored for `source`, when one is stored. */
export function storedOutput(store: StoredRecipes, source: string): string | undefined {
  const name = (store.recipes[source]?.recipe as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? name : undefined;
}

/** The stored recipe that writes `table` (its cleaned table), when one does and can be read. */
export function storedProducer(table: string): StoredRecipe | undefined {
  const store = readStore();
  const source = Object.keys(store.recipes).find((s) => storedOutput(store, s) === table);
  if (source === undefined) return undefined;
  try {
    return { recipe: parseRecipe(store.recipes[source].recipe), keepFrozen: store.recipes[source].keepFrozen };
  } catch {
    return undefined;
  }
}

/** The cleaned tables of every stored recipe. */
export function storedOutputs(): Set<string> {
  const store = readStore();
  return new Set(Object.keys(store.recipes).flatMap((source) => storedOutput(store, source) ?? []));
}

/**
 * Recipes travel with saved workspaces (every source table's recipe, statistics frozen as
 * stored) and in share links (the current recipe's steps without fitted statistics, which can
 * hold values of the data; the recipient's app fits them again on the same sample).
 */
export function registerCleanParts(clean: CleanRoom): void {
  registerWorkspacePart('clean', {
    save: () => readStore(),
    settle: () => clean.settled(),
    async restore(value) {
      const saved = value as Partial<StoredRecipes> | null;
      if (!saved || saved.version !== RECIPE_STORAGE_VERSION || !saved.recipes || typeof saved.recipes !== 'object') return;
      // Restoring adds to what this browser holds, as it does for tables: nothing saved, nothing changed.
      if (Object.keys(saved.recipes).length === 0) return;
      const store = readStore();
      store.recipes = { ...store.recipes, ...saved.recipes };
      store.last = saved.last ?? store.last;
      writeStore(store);
      // The workspace's cleaned tables came back with the recipes that wrote them: they are
      // theirs to replace (a table comment does not travel in the workspace).
      for (const source of Object.keys(saved.recipes)) {
        const output = storedOutput(store, source);
        if (output) await markOutputIfPresent(workspace.db, output, source);
      }
      // The open recipe is read again (from the restored ones); an unopened room reads them when shown.
      const source = clean.source;
      if (!source) return;
      clean.source = '';
      await clean.choose(source);
    },
  });

  // A renamed source keeps its recipe, and the recipe's cleaned table follows the new name.
  workspace.onRename(async (from, to) => {
    const store = readStore();
    const entry = store.recipes[from];
    if (!entry || store.recipes[to]) return;
    const db = workspace.db;
    const before = storedOutput(store, from);
    const after = await claimOutputName(db, to, `${to}_clean`);
    if (before && (await isOutputOf(db, before, from))) {
      for (const sql of [`ALTER TABLE ${ident(before)} RENAME TO ${ident(after)}`, markOutputSql(after, to)]) {
        await db.query(sql);
        workspace.rememberStatement(sql);
      }
    }
    store.recipes[to] = { ...entry, recipe: { ...(entry.recipe as object), source: to, name: after } };
    delete store.recipes[from];
    if (store.last === from) store.last = to;
    writeStore(store);
    if (clean.source === from) {
      // The room opens the recipe under its new name once the table list has it.
      await workspace.refresh();
      clean.source = '';
      await clean.choose(to);
    }
  });

  registerShareable('clean', {
    state: {
      get table(): string {
        return clean.steps.length ? clean.source : '';
      },
      get recipe(): string {
        return JSON.stringify(clean.steps.map((step) => ({ ...$state.snapshot(step), fitted: undefined })));
      },
      set recipe(text: string) {
        let steps: unknown = null;
        try {
          steps = JSON.parse(text);
        } catch {
          // Not a list of steps: the import below says so.
        }
        clean.importRecipe(JSON.stringify({ version: RECIPE_VERSION, name: clean.output, source: clean.source, steps }), { refit: true });
      },
    },
    selectTable: (table) => clean.choose(table),
    fields: ['recipe'],
  });
}
