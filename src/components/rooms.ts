import type { Component } from 'svelte';
import DataRoom from './DataRoom.svelte';
import CleanRoom from './CleanRoom.svelte';
import ExploreRoom from './ExploreRoom.svelte';
import SegmentRoom from './SegmentRoom.svelte';
import RulesRoom from './RulesRoom.svelte';
import CrmRoom from './CrmRoom.svelte';
import PredictRoom from './PredictRoom.svelte';
import NeuralRoom from './NeuralRoom.svelte';
import PrivacyRoom from './PrivacyRoom.svelte';

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
export const ROOMS: Room[] = [
  { id: 'data', label: 'Data', component: DataRoom },
  { id: 'clean', label: 'Clean', component: CleanRoom },
  { id: 'explore', label: 'Explore', component: ExploreRoom },
  { id: 'segment', label: 'Segment', component: SegmentRoom },
  { id: 'rules', label: 'Rules', component: RulesRoom },
  { id: 'crm', label: 'Customers', component: CrmRoom },
  { id: 'privacy', label: 'Privacy', component: PrivacyRoom },
  { id: 'predict', label: 'Predict', component: PredictRoom },
  { id: 'neural', label: 'Neural', component: NeuralRoom },
];
