// A run survives reloads: the real engine in-thread, a "reload" being a fresh controller on the same saved
// runs. Trained a few steps, reloaded three times without pressing Train, it still continues from its step.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../worker/client';
import { PlaygroundController, type PlaygroundPhase } from '../playground';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { memoryStore } from './db';
import { RunsDb } from './runs-db';

const TINY: Settings = {
  ...DEFAULT_SETTINGS,
  backend: 'wasm',
  size: 32,
  patch: 16,
  batch: 2,
  steps: 500,
  losses: ['gdl', 'wce'],
};

const live: PlaygroundController[] = [];
afterEach(() => {
  for (const c of live.splice(0)) c.dispose();
});

function open(db: RunsDb): PlaygroundController {
  const c = new PlaygroundController({
    settings: TINY,
    createClient: () => createEngineClient({ inline: true }),
    db,
    debounceMs: 0,
    throttleMs: 0,
  });
  live.push(c);
  void c.start();
  return c;
}

function until(c: PlaygroundController, ok: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const offs: (() => void)[] = [];
    const check = () => {
      if (!ok()) return;
      for (const off of offs) off();
      clearTimeout(timer);
      resolve();
    };
    offs.push(c.subscribe(check), c.runs.subscribe(check), c.reliability.subscribe(check));
    const timer = setTimeout(() => {
      for (const off of offs) off();
      reject(new Error(`timed out waiting for ${what} (phase ${c.getState().phase}, error ${c.getState().error})`));
    }, 60_000);
    check();
  });
}
const phase = (c: PlaygroundController, want: PlaygroundPhase) => until(c, () => c.getState().phase === want, want);
const lastSteps = (c: PlaygroundController) => c.runs.getState().runs.map((r) => r.steps.at(-1)?.step ?? 0);

/** A reload as the page does it: pagehide flushes the saves, then the old page is gone. */
async function reload(c: PlaygroundController, db: RunsDb, flush = true): Promise<PlaygroundController> {
  if (flush) await c.reliability.persister.flush();
  c.dispose();
  live.splice(live.indexOf(c), 1);
  return open(db);
}

describe('a run across reloads', () => {
  it('is offered again after three reloads without Train, History shows it paused at its step, and it continues', async () => {
    const db = new RunsDb(memoryStore(), memoryStore());
    let c = open(db);
    await phase(c, 'ready');
    await c.train();
    await until(c, () => Math.min(...lastSteps(c)) >= 3, 'three steps');
    await c.pause();
    await c.reliability.persister.flush();
    const trained = Math.min(...lastSteps(c));
    for (let i = 1; i <= 3; i++) {
      c = await reload(c, db);
      await until(c, () => c.reliability.getState().restored !== null && c.getState().phase === 'paused', `restore #${i}`);
      expect(c.reliability.getState().restored?.step).toBe(trained);
      // Let the engine's status events after createRuns land and be saved, as an idle page would.
      await c.reliability.persister.flush();
      const [saved] = await db.list();
      expect(saved.status).toBe('paused');
      expect(saved.checkpointStep).toBe(trained);
      expect(saved.runs.map((r) => r.steps.at(-1)?.step)).toEqual([trained, trained]);
    }
    expect(await db.list()).toHaveLength(1);
    // A record saved as idle by an older page (before runStatus) is offered too.
    const [rec] = await db.list();
    await c.reliability.persister.flush();
    c.reliability.persister.detach();
    await db.save({ ...rec, status: 'idle' });
    c = await reload(c, db, false);
    await until(
      c,
      () => c.reliability.getState().restored?.step === trained && c.getState().phase === 'paused',
      'restore of an idle record',
    );
    await c.step();
    await until(c, () => Math.min(...lastSteps(c)) === trained + 1, 'the step after the restored one');
    expect(c.runs.getState().runs.map((r) => r.steps.map((p) => p.step))).toEqual([
      Array.from({ length: trained + 1 }, (_, i) => i + 1),
      Array.from({ length: trained + 1 }, (_, i) => i + 1),
    ]);
  }, 120_000);
});
