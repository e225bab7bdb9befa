// Owns the engine client for the page's lifetime and exposes the backend status to the UI.
import { useEffect, useState } from 'react';
import type { BackendChoice, BackendReport } from '../engine/train/backend';
import type { VolumeData } from '../engine/api';
import { createEngineClient, type EngineClient } from '../worker/client';

export interface EngineState {
  client: EngineClient | null;
  backend: BackendReport | null;
  error: string | null;
  volume: VolumeData | null;
}

export function useEngine(requested: BackendChoice): EngineState {
  const [state, setState] = useState<EngineState>({ client: null, backend: null, error: null, volume: null });
  useEffect(() => {
    // StrictMode mounts twice: each mount gets its own client and terminates it on cleanup.
    const client = createEngineClient();
    let live = true;
    (async () => {
      try {
        const backend = await client.call('init', { backend: requested });
        const volume = await client.call('demoVolume', { size: 64 });
        if (live) setState({ client, backend, error: null, volume });
      } catch (err) {
        if (live) setState((s) => ({ ...s, client, error: err instanceof Error ? err.message : String(err) }));
      }
    })();
    return () => {
      live = false;
      client.dispose();
    };
  }, [requested]);
  return state;
}
