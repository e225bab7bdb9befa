// Binds React to the playground controller (src/state/playground.ts): one controller per page, its
// engine started on mount (StrictMode's first mount is stopped), settings handed over as they change,
// and the settings written back to the address bar so every experiment is a link.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { createEngineClient } from '../worker/client';
import { measureAllRequested } from './persist/backend-choice';
import { faultDrillsRequested } from './persist/reliability';
import { PlaygroundController, type PlaygroundState } from './playground';
import { type Settings, serializeSettings } from './settings';
import type { RunStore } from './store';

export type { DataSource } from './playground';

/** What views get: the controller's state, its parts and its actions (never the engine client). */
export type Playground = PlaygroundState &
  Pick<
    PlaygroundController,
    | 'reliability'
    | 'sweeps'
    | 'explorer'
    | 'userData'
    | 'exports'
    | 'train'
    | 'confirmTrain'
    | 'cancelTrain'
    | 'pause'
    | 'step'
    | 'reset'
    | 'recover'
    | 'measureAgain'
    | 'reopen'
    | 'adoptData'
    | 'setSnapshotSlice'
    | 'drill'
  > & {
    playing: boolean;
    store: RunStore;
    regenerate: () => Promise<void>;
  };

export function usePlayground(settings: Settings): Playground {
  const [ctrl] = useState(
    () =>
      new PlaygroundController({
        settings,
        createClient: () => createEngineClient(),
        debug: faultDrillsRequested(window.location.search),
        measureAll: measureAllRequested(window.location.search),
        modelsBase: new URL(import.meta.env.BASE_URL, window.location.href).href,
      }),
  );
  useEffect(() => {
    void ctrl.start();
    return () => ctrl.stop();
  }, [ctrl]);
  useEffect(() => ctrl.setSettings(settings), [ctrl, settings]);
  // Settings -> URL, so every experiment is a link.
  useEffect(() => {
    const q = serializeSettings(settings);
    window.history.replaceState(null, '', `${window.location.pathname}${q ? `?${q}` : ''}`);
  }, [settings]);
  const state = useSyncExternalStore(ctrl.subscribe, ctrl.getState);
  return {
    ...state,
    playing: state.phase === 'training',
    store: ctrl.runs,
    reliability: ctrl.reliability,
    sweeps: ctrl.sweeps,
    explorer: ctrl.explorer,
    userData: ctrl.userData,
    exports: ctrl.exports,
    train: ctrl.train,
    confirmTrain: ctrl.confirmTrain,
    cancelTrain: ctrl.cancelTrain,
    pause: ctrl.pause,
    step: ctrl.step,
    reset: ctrl.reset,
    regenerate: () => ctrl.prepare(),
    recover: ctrl.recover,
    measureAgain: ctrl.measureAgain,
    reopen: ctrl.reopen,
    adoptData: ctrl.adoptData,
    setSnapshotSlice: ctrl.setSnapshotSlice,
    drill: ctrl.drill,
  };
}

export function useRuns(store: RunStore) {
  return useSyncExternalStore(store.subscribe, store.getState);
}
