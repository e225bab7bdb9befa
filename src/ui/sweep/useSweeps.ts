// Binds the Sweeps view to the sweeps controller (src/state/sweeps.ts), which outlives the tab.
import { useSyncExternalStore } from 'react';
import type { SweepController, SweepUiState } from '../../state/sweeps';

export function useSweeps(controller: SweepController): SweepUiState {
  return useSyncExternalStore(controller.subscribe, controller.getState);
}
