// The safety net against a fake engine client: faults raise the banner and stop the runs, a reload
// finds the interrupted experiment and puts it back into the store and the engine at its checkpoint.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEventName, EngineEvents, RunRequest } from '../../engine/api';
import type { RunCheckpoint } from '../../engine/train/checkpoint';
import type { StepPoint } from '../../engine/train/events';
import type { EngineClient } from '../../worker/client';
import { RunStore } from '../store';
import { memoryStore } from './db';
import { parseSettings } from '../settings';
import { Reliability } from './reliability';
import { experimentQuery } from './resume';
import { RunsDb } from './runs-db';

const pt = (step: number): StepPoint => ({ step, loss: 1 / step, trainDice: 0.3, predictedFg: 0.1, msPerStep: 2, lr: 0.01 });

function fakeClient(opts: { answerPings?: boolean } = {}) {
  const handlers = new Map<string, Set<(p: unknown) => void>>();
  const calls: { method: string; arg: unknown }[] = [];
  const client = {
    mode: 'worker',
    call(method: string, arg: unknown) {
      calls.push({ method, arg });
      if (method === 'ping') return opts.answerPings === false ? new Promise(() => {}) : Promise.resolve(arg);
      if (method === 'checkpoint') return Promise.resolve([]);
      return Promise.resolve({ runIds: [], params: {} });
    },
    on(name: string, h: (p: unknown) => void) {
      if (!handlers.has(name)) handlers.set(name, new Set());
      handlers.get(name)!.add(h);
      return () => handlers.get(name)!.delete(h);
    },
    dispose() {},
  } as unknown as EngineClient;
  const emit = <K extends EngineEventName>(name: K, payload: EngineEvents[K]) => {
    for (const h of handlers.get(name) ?? []) h(payload);
  };
  return { client, calls, emit };
}

function setup() {
  const store = new RunStore(0);
  store.reset([
    { id: 'gdl-1', label: 'gdl', color: '#3bb273', config: {}, totalSteps: 100 },
    { id: 'wce-1', label: 'wce', color: '#e4572e', config: {}, totalSteps: 100 },
  ]);
  const db = new RunsDb(memoryStore(), memoryStore());
  const rel = new Reliability({ store, db, heartbeatTimeoutMs: 1000 });
  return { store, db, rel };
}
const hooks = {
  backend: () => 'webgpu',
  settings: () => ({ patch: 64, batch: 4, network: 'unet2d', size: 128 }),
  onStopped: vi.fn(),
};

describe('Reliability', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a lost device raises the fault with fallbacks and stops every unfinished run', async () => {
    const { store, rel } = setup();
    const { client, emit } = fakeClient();
    rel.watch(client, hooks);
    store.apply('status', { runId: 'gdl-1', status: 'running', step: 3 });
    store.apply('status', { runId: 'wce-1', status: 'done', step: 100 });
    emit('fault', { kind: 'device-lost', backend: 'webgpu', message: 'The GPU device was lost (destroyed).' });
    const { fault } = rel.getState();
    expect(fault?.cause).toBe('device-lost');
    expect(fault?.fallbacks[0]).toBe('wasm');
    expect(store.getState().runs.map((r) => r.status)).toEqual(['error', 'done']);
    expect(hooks.onStopped).toHaveBeenCalled();
  });

  it('a run failing for memory gives advice; a silent engine is reported and cleared when it answers', async () => {
    const { rel } = setup();
    const { client, emit } = fakeClient();
    rel.watch(client, hooks);
    emit('status', { runId: 'gdl-1', status: 'error', step: 2, message: 'a failed step', code: 'internal' });
    expect(rel.getState().fault).toBeNull();
    emit('status', {
      runId: 'gdl-1',
      status: 'error',
      step: 2,
      message: 'RuntimeError: memory access out of bounds',
      code: 'out-of-memory',
    });
    expect(rel.getState().fault?.cause).toBe('out-of-memory');
    expect(rel.getState().fault?.advice).toMatch(/smaller patch/);

    const quiet = setup();
    const dead = fakeClient({ answerPings: false });
    const stop = quiet.rel.watch(dead.client, hooks);
    await vi.advanceTimersByTimeAsync(5000);
    expect(quiet.rel.getState().fault?.cause).toBe('worker-silent');
    stop();
  });

  it('after a reload, the interrupted race comes back at its checkpoint, into the store and the engine', async () => {
    const { store, db, rel } = setup();
    rel.beginExperiment('losses=gdl%2Cwce', 'wasm');
    const id = rel.persister.current!.id;
    for (const runId of ['gdl-1', 'wce-1']) {
      store.apply('status', { runId, status: 'running', step: 0 });
      store.apply('steps', { runId, points: [1, 2, 3, 4, 5, 6].map(pt) });
    }
    const ck = (runId: string): RunCheckpoint => ({
      runId,
      step: 4,
      lr: 0.005,
      weights: [{ shape: [1], dtype: 'float32', data: Float32Array.from([runId === 'gdl-1' ? 1 : 2]) }],
      optimizer: [{ shape: [], dtype: 'int32', data: Int32Array.from([4]) }],
      backend: 'wasm',
      savedAt: 0,
    });
    await db.saveCheckpoint({ id, savedAt: 0, backend: 'wasm', runs: [ck('gdl-1'), ck('wce-1')] });
    await rel.persister.flush();

    // A new page: new store, same database.
    const store2 = new RunStore(0);
    const rel2 = new Reliability({ store: store2, db });
    await rel2.findInterrupted('other=settings');
    expect(rel2.getState().interrupted?.id).toBe(id);
    await rel2.findInterrupted('losses=gdl%2Cwce');
    const { client, calls } = fakeClient();
    const requests: RunRequest[] = (['gdl', 'wce'] as const).map((loss) => ({
      runId: `${loss}-1`,
      loss,
      lossOptions: {},
      lr: 0.01,
      network: 'unet2d',
      steps: 100,
      seed: 1,
    }));
    const out = await rel2.resumeInto({ client, query: 'losses=gdl%2Cwce', requests, backend: 'wasm' });
    expect(out).toMatchObject({ created: 2, step: 4, autoplay: false });
    const sent = (calls.find((c) => c.method === 'createRuns')!.arg as { runs: RunRequest[] }).runs;
    expect(sent.map((r) => [r.runId, r.lr, r.resume?.step, r.resume?.weights[0].data[0]])).toEqual([
      ['gdl-1', 0.005, 4, 1],
      ['wce-1', 0.005, 4, 2],
    ]);
    expect(sent[0].resume!.history!.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(store2.getState().runs.map((r) => [r.status, r.steps.length])).toEqual([
      ['paused', 4],
      ['paused', 4],
    ]);
    expect(rel2.getState().restored?.note).toMatch(/continues from step 4/);
    expect(rel2.persister.current?.id).toBe(id);
    // Consumed: a second prepare does not resume again.
    expect(await rel2.resumeInto({ client, query: 'losses=gdl%2Cwce', requests, backend: 'wasm' })).toBeNull();
  });

  it('a run saved under the old alpha name is found again by the page that reads it as focalAlpha', async () => {
    const { store, db, rel } = setup();
    store.reset([{ id: 'focal-1', label: 'focal', color: '#c06c84', config: {}, totalSteps: 100 }]);
    rel.beginExperiment('loss=focal&alpha=0.4', 'wasm');
    store.apply('status', { runId: 'focal-1', status: 'running', step: 0 });
    store.apply('steps', { runId: 'focal-1', points: [1, 2].map(pt) });
    await rel.persister.flush();
    const rel2 = new Reliability({ store: new RunStore(0), db });
    const page = experimentQuery(parseSettings('?loss=focal&focalAlpha=0.4').settings);
    await rel2.findInterrupted(page);
    // Not a different experiment (the banner's "interrupted"), but this page's own to resume.
    expect(rel2.getState().interrupted).toBeNull();
    expect(rel2.takeResume(page)?.record.query).toBe('loss=focal&alpha=0.4');
  });
});
