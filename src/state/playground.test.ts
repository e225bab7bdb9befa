// The playground controller against the real engine in-thread (tfjs wasm in Node): phases, settings
// diffs, reset, and that each run receives only its own options.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient } from '../worker/client';
import { PlaygroundController, type PlaygroundPhase } from './playground';
import { DEFAULT_SETTINGS, type Settings } from './settings';

const TINY: Settings = {
  ...DEFAULT_SETTINGS,
  backend: 'wasm',
  size: 32,
  patch: 16,
  batch: 2,
  steps: 6,
  losses: ['wce', 'ss'],
  lossOptions: { wceWeight: 'reference', lambda: '0.2' },
};

let ctrl: PlaygroundController | null = null;
afterEach(() => {
  ctrl?.dispose();
  ctrl = null;
});

function make(settings: Settings = TINY): PlaygroundController {
  ctrl = new PlaygroundController({
    settings,
    createClient: () => createEngineClient({ inline: true }),
    debounceMs: 0,
    throttleMs: 0,
  });
  return ctrl;
}

/** Resolves when the controller reaches the phase (fails after 60 s with the phase it is in). */
function phase(c: PlaygroundController, want: PlaygroundPhase): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (c.getState().phase !== want) return false;
      off();
      clearTimeout(timer);
      resolve();
      return true;
    };
    const off = c.subscribe(check);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`still '${c.getState().phase}' (error: ${c.getState().error}), wanted '${want}'`));
    }, 60_000);
    check();
  });
}

describe('PlaygroundController', () => {
  it('starts, prepares, trains a race to the end with each loss given only its own options, and resets', async () => {
    const c = make();
    void c.start();
    await phase(c, 'ready');
    expect(c.getState().backend?.active).toBe('wasm');
    expect(c.getState().data?.patch).toBe(16);
    await c.train();
    await phase(c, 'finished');
    const runs = c.runs.getState().runs;
    expect(runs.map((r) => [r.id, r.status, r.steps.at(-1)?.step])).toEqual([
      ['wce-1', 'done', 6],
      ['ss-1', 'done', 6],
    ]);
    expect(runs[0].config).toMatchObject({ loss: 'wce', wceWeight: 'reference' });
    expect(runs[0].config).not.toHaveProperty('lambda');
    expect(runs[1].config).toMatchObject({ loss: 'ss', lambda: '0.2' });
    expect(runs[1].config).not.toHaveProperty('wceWeight');
    await c.reset();
    expect(c.getState().phase).toBe('ready');
    expect(c.runs.getState().runs).toEqual([]);
    expect(c.runs.getState().snapshots).toEqual({});
  });

  it('a run setting change clears paused runs; a data setting change prepares new data', async () => {
    const c = make();
    void c.start();
    await phase(c, 'ready');
    await c.step();
    expect(c.getState().phase).toBe('paused');
    expect(c.runs.getState().runs.map((r) => r.steps.length)).toEqual([1, 1]);
    c.setSettings({ ...TINY, lr: 1e-2 });
    expect(c.getState().phase).toBe('ready');
    expect(c.runs.getState().runs).toEqual([]);
    const before = c.getState().data!.achievedFraction;
    c.setSettings({ ...TINY, lr: 1e-2, fraction: 0.05 });
    await phase(c, 'preparing');
    await phase(c, 'ready');
    expect(c.getState().data!.achievedFraction).not.toBeCloseTo(before, 3);
    expect(c.getState().data!.achievedFraction).toBeCloseTo(0.05, 2);
  });

  it('after Reset, Train starts fresh runs from step 0 on the same data', async () => {
    const c = make({ ...TINY, steps: 3 });
    void c.start();
    await phase(c, 'ready');
    await c.train();
    await phase(c, 'finished');
    const data = c.getState().data;
    await c.reset();
    await c.train();
    await phase(c, 'finished');
    expect(c.getState().data).toBe(data);
    expect(c.runs.getState().runs.map((r) => r.steps.map((p) => p.step))).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });
});
