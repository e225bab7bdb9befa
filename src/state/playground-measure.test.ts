// auto's choice through the controller, on the real engine in-thread (Node: wasm is the only usable
// backend, so nothing is timed): what init is sent, the remembered choice used where the device matches,
// and Measure again restarting the engine unremembered while the runs continue from their checkpoint.
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineClient } from '../worker/client';
import { createEngineClient } from '../worker/client';
import { deviceKey, probeDevice } from '../engine/backend/measure';
import { BackendChoices } from './persist/backend-choice';
import { memoryStore } from './persist/db';
import { RunsDb } from './persist/runs-db';
import { PlaygroundController } from './playground';
import { buildDataRequest } from './run-requests';
import { linkPrefetch } from './link-prefetch';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings';

const TINY: Settings = { ...DEFAULT_SETTINGS, size: 32, patch: 16, batch: 2, steps: 500, losses: ['gdl'] };

class MapStorage {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

let ctrl: PlaygroundController | null = null;
afterEach(() => {
  ctrl?.dispose();
  ctrl = null;
});

/** The real in-thread client, with each init request kept (the test reads what the page sent). */
function recording(inits: unknown[]): EngineClient {
  const c = createEngineClient({ inline: true });
  return {
    ...c,
    mode: c.mode,
    on: c.on,
    dispose: c.dispose,
    call: ((method, arg) => {
      if (method === 'init') inits.push(arg);
      return c.call(method, arg);
    }) as EngineClient['call'],
  };
}

function until(ok: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (ok()) resolve(void clearInterval(tick));
      else if (Date.now() - started > 60_000) {
        clearInterval(tick);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 20);
  });
}

describe('auto through the controller', () => {
  it('sends the network and what is remembered, uses a match, and Measure again forgets it while the run goes on', async () => {
    const key = deviceKey(await probeDevice());
    const figures = [{ name: 'wasm' as const, msPerStep: 42 }];
    const choices = new BackendChoices(new MapStorage());
    choices.remember({ deviceKey: key, network: 'unet2d', backend: 'wasm', measured: figures });
    const inits: unknown[] = [];
    const c = (ctrl = new PlaygroundController({
      settings: TINY,
      createClient: () => recording(inits),
      db: new RunsDb(memoryStore(), memoryStore()),
      backendChoices: choices,
      debounceMs: 0,
      throttleMs: 0,
    }));
    void c.start();
    await until(() => c.getState().phase === 'ready', 'ready');
    expect(inits[0]).toMatchObject({
      backend: 'auto',
      measure: { network: 'unet2d', batch: 2, remembered: choices.forNetwork('unet2d') },
    });
    expect(c.getState().backend).toMatchObject({ active: 'wasm', chosenBy: 'remembered', measured: figures, deviceKey: key });

    await c.step();
    await c.step();
    await until(() => c.runs.getState().runs[0]?.steps.at(-1)?.step === 2, 'two steps');
    await c.measureAgain();
    await until(() => c.getState().phase === 'paused' && c.getState().backend !== null, 'the fresh engine');
    expect(inits[1]).toMatchObject({ backend: 'auto', measure: { remembered: [] } });
    // Node has one usable backend: the fresh engine says so rather than reuse the remembered figures.
    expect(c.getState().backend).toMatchObject({ active: 'wasm', chosenBy: 'only-one' });
    expect(c.getState().engineGeneration).toBe(2);
    expect(c.reliability.getState().restored?.step).toBe(2);
    await c.step();
    await until(() => c.runs.getState().runs[0]?.steps.at(-1)?.step === 3, 'the step after the checkpoint');
    expect(c.runs.getState().runs[0].steps.map((p) => p.step)).toEqual([1, 2, 3]);
  }, 120_000);

  it('a forced backend sends no measurement request', async () => {
    const inits: unknown[] = [];
    const c = (ctrl = new PlaygroundController({
      settings: { ...TINY, backend: 'cpu' },
      createClient: () => recording(inits),
      backendChoices: new BackendChoices(new MapStorage()),
    }));
    await c.start();
    // The page's phantoms go with it, to be made while the backend starts.
    expect(inits).toEqual([{ backend: 'cpu', debug: false, prefetch: buildDataRequest({ ...TINY, backend: 'cpu' }) }]);
    expect(c.getState().backend).toMatchObject({ active: 'cpu', chosenBy: 'forced' });
  });

  it('phantoms larger than the default are not prefetched (they wait for the run estimate)', async () => {
    const inits: unknown[] = [];
    const c = (ctrl = new PlaygroundController({
      settings: { ...TINY, backend: 'cpu', size: 160 },
      createClient: () => recording(inits),
      backendChoices: new BackendChoices(new MapStorage()),
    }));
    void c.start();
    await expect.poll(() => inits.length).toBe(1);
    expect(inits[0]).toEqual({ backend: 'cpu', debug: false });
    c.stop();
  });

  it('the first init prefetches exactly what boot read from the link (the page’s helpers start on those phantoms)', async () => {
    const links = ['?backend=cpu&size=32&patch=16&batch=2', '?backend=cpu&size=160', '?backend=cpu&size=32&lesion=wmh&seed=9'];
    for (const q of links) {
      const inits: { prefetch?: unknown }[] = [];
      const c = (ctrl = new PlaygroundController({
        settings: parseSettings(q).settings,
        createClient: () => recording(inits),
        backendChoices: new BackendChoices(new MapStorage()),
      }));
      void c.start();
      await expect.poll(() => inits.length).toBe(1);
      expect(inits[0].prefetch ?? null).toEqual(linkPrefetch(q));
      c.dispose();
      ctrl = null;
    }
    expect(linkPrefetch(links[1])).toBeNull(); // too large to make before it is asked for
    expect(linkPrefetch(links[2])?.lesion).toBe('wmh');
  });
});
