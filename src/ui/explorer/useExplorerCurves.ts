// Binds the explorer view to its controller (src/state/explorer.ts): shows the inputs, reads the curves.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ExplorerController, ExplorerCurves, ExplorerInputs } from '../../state/explorer';

export function useExplorerCurves(explorer: ExplorerController, inputs: ExplorerInputs): ExplorerCurves {
  useSyncExternalStore(explorer.subscribe, explorer.getState);
  const key = JSON.stringify(inputs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the inputs' values
  const stable = useMemo(() => inputs, [key]);
  useEffect(() => explorer.show(stable), [explorer, stable]);
  return explorer.curves(stable);
}
