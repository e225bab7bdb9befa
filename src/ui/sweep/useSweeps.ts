// Binds the page to the sweep controller of the engine client (null until the engine is ready).
import { useSyncExternalStore } from 'react';
import type { EngineClient } from '../../worker/client';
import { type SweepController, type SweepUiState, sweepControllerFor } from './controller';

const noop = () => () => undefined;
const none = () => null;

export function useSweeps(client: EngineClient | null): { controller: SweepController | null; state: SweepUiState | null } {
  const controller = client ? sweepControllerFor(client) : null;
  const state = useSyncExternalStore(controller?.subscribe ?? noop, controller?.getState ?? none);
  return { controller, state };
}
