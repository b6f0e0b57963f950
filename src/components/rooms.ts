import type { Component } from 'svelte';
import DataRoom from './DataRoom.svelte';

/** A stage of the workflow, shown as a top-level section of the app. */
export interface Room {
  id: string;
  label: string;
  component: Component;
}

/**
 * The workflow's rooms, in order. Each later stage (clean, explore, mine, predict) adds its own
 * component here; all share the workspace's tables in the sidebar.
 */
export const ROOMS: Room[] = [{ id: 'data', label: 'Data', component: DataRoom }];
