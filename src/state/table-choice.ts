import { errorMessage } from '../core/errors';
import { describe } from '../services/db/catalog';
import { ident } from '../services/db/sql';
import { workspace } from './workspace.svelte';

/** A room's choice of table: the name, its columns as DuckDB describes them, and an error line. */
export interface TableChoice {
  table: string | null;
  columns: { name: string; type: string }[];
  error: string | null;
}

/**
 * Picks `name` for `room`: reads its columns from DuckDB, and, unless the analyst picked another
 * table meanwhile, stores them and calls `suggest` (the room's guesses of which column is which).
 * A failure is shown in `room.error`.
 */
export async function chooseTable(room: TableChoice, name: string, suggest: (columns: TableChoice['columns']) => void | Promise<void>): Promise<void> {
  room.table = name;
  room.error = null;
  try {
    const cols = await describe(workspace.db, ident(name));
    if (room.table !== name) return;
    room.columns = cols;
    await suggest(cols);
  } catch (err) {
    room.error = errorMessage(err);
  }
}
