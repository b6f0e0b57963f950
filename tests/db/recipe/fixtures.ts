import type { DbConnector } from '../../../src/services/db/connector';
import type { Recipe, RecipeStep, RecipeStepBody } from '../../../src/core/recipe/types';
import { rows } from '../helpers';

/**
 * Small hand-checkable tables. people: 5 rows with missing ages/regions, messy text, an outlier
 * spend (1000) and unparseable values; orders: 5 rows with one exact duplicate and a customer (9)
 * that is not in people.
 */
export const FIXTURE_SQL = `
CREATE OR REPLACE TABLE people (id INTEGER, name VARCHAR, age INTEGER, region VARCHAR, spend DOUBLE, joined VARCHAR, score VARCHAR);
INSERT INTO people VALUES
  (1, ' alice ', 30, 'north', 10, '01/02/2024', '5'),
  (2, 'BOB', NULL, 'North', 20, '15/03/2024', 'x'),
  (3, 'carol jones', 40, 'south', 30, 'bad', '7'),
  (4, 'dave', 59, NULL, 1000, '31/12/2023', NULL),
  (5, 'eve', NULL, 'south', 40, NULL, '9');
CREATE OR REPLACE TABLE orders (oid INTEGER, cid INTEGER, amount DOUBLE, day DATE);
INSERT INTO orders VALUES (1, 1, 10, '2024-01-01'), (2, 1, 20, '2024-01-05'), (3, 2, 5, '2024-01-02'), (4, 9, 7, '2024-01-03'), (4, 9, 7, '2024-01-03');
CREATE OR REPLACE TABLE orders_feb (day DATE, oid INTEGER, cid INTEGER, amount DOUBLE);
INSERT INTO orders_feb VALUES ('2024-02-01', 6, 2, 50);
CREATE OR REPLACE TABLE orders_text (oid INTEGER, cid VARCHAR, amount DOUBLE, day DATE);
INSERT INTO orders_text VALUES (1, '1', 10, '2024-01-01');
`;

/** Creates (or recreates) the fixture tables. */
export async function loadFixtures(db: DbConnector): Promise<void> {
  await db.query(FIXTURE_SQL);
}

let n = 0;
/** A recipe over `source` with the given step bodies, all enabled, ids s1, s2, …. */
export function recipeOf(source: string, ...bodies: RecipeStepBody[]): Recipe {
  n++;
  const steps = bodies.map((b, i) => ({ ...b, id: `s${i + 1}`, enabled: true }) as RecipeStep);
  return { version: 1, name: `r${n}`, source, steps };
}

/** One column of a relation ordered by `order`, as plain JS values. */
export async function columnOf(db: DbConnector, relation: string, column: string, order = 'id'): Promise<unknown[]> {
  return (await rows(db, `SELECT "${column}" AS v FROM "${relation}" ORDER BY "${order}"`)).map((r) => r.v);
}
