import { errorMessage, isAbort } from '../core/errors';
import { suggestionChecks, suggestSteps, type CheckRows, type ProfiledColumn, type Suggestion } from '../core/recipe/suggest';
import { profileTable } from '../services/db/profile';
import { queryObjects } from '../services/db/recipe-report';
import type { CleanRoom } from './clean.svelte';
import { readStore, writeStore } from './clean-store.svelte';
import { workspace } from './workspace.svelte';

/**
 * The steps the source's profile suggests ("11 blank total_charges: fill with median?"), less
 * those the recipe already holds and those the analyst dismissed (kept per source in this
 * browser, with the recipes).
 */
export class CleanSuggestions {
  private profile = $state.raw<{ columns: ProfiledColumn[]; checks: CheckRows } | null>(null);
  dismissed = $state<string[]>([]);
  running = $state(false);

  constructor(private readonly room: CleanRoom) {}

  /** The suggestions to show. */
  get list(): Suggestion[] {
    if (!this.profile) return [];
    return suggestSteps(this.profile.columns, this.profile.checks, this.room.steps).filter((s) => !this.dismissed.includes(s.key));
  }

  /** Forgets the last source's profile and reads what was dismissed for `source`. */
  reset(source: string): void {
    this.profile = null;
    this.dismissed = readStore().dismissed?.[source] ?? [];
  }

  /** Profiles the room's source and runs the suggestion checks. */
  async refresh(): Promise<void> {
    const source = this.room.source;
    this.running = true;
    try {
      const profile = await profileTable(workspace.db, source, { bins: 1, top: 1 });
      const columns: ProfiledColumn[] = profile.columns.map((c) => ({ ...c }));
      const checks: CheckRows = {};
      for (const check of suggestionChecks(source, columns)) checks[check.id] = await queryObjects(workspace.db, check.sql);
      if (source === this.room.source) this.profile = { columns, checks };
    } catch (err) {
      if (source === this.room.source && !isAbort(err)) this.room.notice = `Suggestions are unavailable: ${errorMessage(err)}`;
    } finally {
      this.running = false;
    }
  }

  /** Adds a suggested step (one click). */
  accept(s: Suggestion): void {
    this.room.addStep(s.step);
  }

  /** Hides a suggestion for this source. */
  dismiss(s: Suggestion): void {
    this.dismissed = [...this.dismissed, s.key];
    const store = readStore();
    store.dismissed = { ...store.dismissed, [this.room.source]: this.dismissed };
    writeStore(store);
  }
}
