import { RecipeError } from './errors';
import { CAST_TYPES, RECIPE_VERSION, STEP_KINDS, type Recipe, type RecipeStep } from './types';

/** The recipe as pretty JSON (versioned; fitted statistics included). */
export function recipeToJson(recipe: Recipe): string {
  return `${JSON.stringify({ ...recipe, version: RECIPE_VERSION }, null, 2)}\n`;
}

type FieldSpec = 'string' | 'number' | 'boolean' | 'string[]' | 'array' | 'object' | `enum:${string}`;

/** Required fields per kind (optional fields are checked by validateRecipe against the data). */
const REQUIRED: Record<RecipeStep['kind'], Record<string, FieldSpec>> = {
  dedupe: {},
  missing: { column: 'string', strategy: 'enum:drop-rows|mean|median|mode|constant|previous|indicator' },
  cast: { column: 'string', to: `enum:${CAST_TYPES.join('|')}` },
  'parse-date': { column: 'string', format: 'string' },
  text: { column: 'string', op: 'enum:trim|upper|lower|title' },
  'map-values': { column: 'string', mapping: 'array' },
  'regex-replace': { column: 'string', pattern: 'string', replacement: 'string' },
  'range-rule': { column: 'string', action: 'enum:null|clip' },
  outliers: { column: 'string', method: 'enum:iqr|zscore|percentile', action: 'enum:flag|clip|drop' },
  scale: { column: 'string', method: 'enum:zscore|minmax' },
  log1p: { column: 'string' },
  bin: { column: 'string', method: 'enum:equal-width|quantile', bins: 'number' },
  'one-hot': { column: 'string' },
  encode: { column: 'string' },
  derive: { name: 'string', expression: 'string' },
  sample: { seed: 'number' },
  filter: {},
  join: { table: 'string', how: 'enum:inner|left|full', on: 'array' },
  append: { tables: 'string[]' },
  aggregate: { groupBy: 'string[]', measures: 'array' },
};

function fits(value: unknown, spec: FieldSpec): boolean {
  if (spec.startsWith('enum:')) return spec.slice(5).split('|').includes(value as string);
  if (spec === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (spec === 'array') return Array.isArray(value);
  if (spec === 'object') return typeof value === 'object' && value !== null;
  return typeof value === spec;
}

/**
 * Reads a recipe from JSON text (or an already parsed value): checks the format version, the
 * top-level fields and every step's kind and required fields. Throws a RecipeError that names
 * the step and field. Column existence and types are checked later, against the table it is
 * applied to (validateRecipe).
 */
export function parseRecipe(json: string | unknown): Recipe {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new RecipeError('bad-input', `This is not a recipe file (invalid JSON: ${(err as Error).message}): export the recipe again from Clientele.`, { cause: err });
    }
  }
  const r = value as Partial<Recipe> | null;
  if (!r || typeof r !== 'object') throw new RecipeError('bad-input', 'This is not a recipe file: expected a JSON object with version, name, source and steps.');
  if (typeof r.version !== 'number' || r.version > RECIPE_VERSION || r.version < 1) {
    throw new RecipeError('bad-input', `Recipe format version ${String(r.version)} is not supported (this app reads version ${RECIPE_VERSION}): update Clientele, or export the recipe again.`);
  }
  for (const f of ['name', 'source'] as const) {
    if (typeof r[f] !== 'string' || !r[f]) throw new RecipeError('bad-input', `The recipe has no "${f}": add it (a table name) to the file.`);
  }
  if (!Array.isArray(r.steps)) throw new RecipeError('bad-input', 'The recipe has no "steps" list.');
  const ids = new Set<string>();
  r.steps.forEach((s, i) => {
    const where = `step ${i + 1}`;
    if (!s || typeof s !== 'object') throw new RecipeError('bad-input', `${where} is not an object.`, { stepIndex: i });
    if (!(STEP_KINDS as readonly string[]).includes(s.kind)) {
      throw new RecipeError('bad-input', `${where} has an unknown kind "${String(s.kind)}": use one of ${STEP_KINDS.join(', ')}.`, { stepIndex: i });
    }
    if (typeof s.id !== 'string' || !s.id || ids.has(s.id)) throw new RecipeError('bad-input', `${where} needs a unique "id".`, { stepIndex: i });
    ids.add(s.id);
    if (typeof s.enabled !== 'boolean') throw new RecipeError('bad-input', `${where} (${s.kind}) needs "enabled": true or false.`, { stepId: s.id, stepIndex: i });
    for (const [field, spec] of Object.entries(REQUIRED[s.kind])) {
      const v = (s as unknown as Record<string, unknown>)[field];
      if (!fits(v, spec)) {
        const want = spec.startsWith('enum:') ? `one of ${spec.slice(5).split('|').join(', ')}` : spec;
        throw new RecipeError('bad-input', `${where} (${s.kind}): field "${field}" must be ${want}, got ${JSON.stringify(v)}.`, { stepId: s.id, stepIndex: i });
      }
    }
  });
  return r as Recipe;
}

/** The same recipe aimed at another table with the same columns (e.g. next month's file). */
export function withSource(recipe: Recipe, source: string, name = recipe.name): Recipe {
  return { ...recipe, source, name };
}

let counter = 0;
/** A fresh step id (`s` + base-36 time + counter), unique within a session. */
export function newStepId(): string {
  counter = (counter + 1) % 1_000_000;
  return `s${Date.now().toString(36)}${counter.toString(36)}`;
}
