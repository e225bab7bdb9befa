// Persistence without a browser: RunsDb over memory stores, the persister's throttled saves,
// checkpoints and quota handling, and history export -> import.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunCheckpoint } from '../../engine/train/checkpoint';
import type { StepPoint } from '../../engine/train/events';
import { RunStore } from '../store';
import { approxBytes, isQuotaError, memoryStore, StorageFullError } from './db';
import { exportHistory, parseHistoryJson } from './history-json';
import { Persister } from './persister';
import { type CheckpointRecord, type ExperimentRecord, experimentStatus, runsAtCheckpoint } from './records';
import { RunsDb } from './runs-db';

const pt = (step: number, loss = 1 / step): StepPoint => ({
  step,
  loss,
  trainDice: 0.5,
  predictedFg: 0.1,
  msPerStep: 3,
  lr: 1e-3,
});

function freshStore(): RunStore {
  const store = new RunStore(0);
  store.reset([
    { id: 'gdl-1', label: 'gdl', color: '#3bb273', config: { loss: 'gdl' }, totalSteps: 100 },
    { id: 'wce-1', label: 'wce', color: '#e4572e', config: { loss: 'wce' }, totalSteps: 100 },
  ]);
  return store;
}

function ck(runId: string, step: number): RunCheckpoint {
  return {
    runId,
    step,
    lr: 1e-3,
    weights: [{ shape: [2], dtype: 'float32', data: Float32Array.from([step, -step]) }],
    optimizer: [{ shape: [], dtype: 'int32', data: Int32Array.from([step]) }],
    backend: 'wasm',
    savedAt: 0,
  };
}

describe('memory store and quota detection', () => {
  it('stores clones, counts bytes and refuses past its quota with StorageFullError', async () => {
    const s = memoryStore<{ a: Float32Array }>({ quotaBytes: 100 });
    const v = { a: new Float32Array(10) };
    await s.put('x', v);
    v.a[0] = 5;
    expect((await s.get('x'))!.a[0]).toBe(0);
    expect(approxBytes({ a: new Float32Array(10) })).toBe(2 + 40);
    await expect(s.put('y', { a: new Float32Array(20) })).rejects.toBeInstanceOf(StorageFullError);
    await s.delete('x');
    await s.put('y', { a: new Float32Array(20) });
    expect(await s.keys()).toEqual(['y']);
  });

  it('recognises quota errors in their browser spellings', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError({ code: 22 })).toBe(true);
    expect(isQuotaError(new Error('The quota has been exceeded.'))).toBe(true);
    expect(isQuotaError(new Error('ConstraintError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});

describe('records', () => {
  it('derives the experiment status from its runs', () => {
    const of = (...s: string[]) => experimentStatus(s.map((status) => ({ status }) as never));
    expect(of()).toBe('idle');
    expect(of('running', 'done')).toBe('running');
    expect(of('paused', 'done')).toBe('paused');
    expect(of('done', 'diverged', 'collapsed')).toBe('finished');
    expect(of('done', 'error')).toBe('failed');
    expect(of('stopped', 'done')).toBe('stopped');
  });

  it('cuts curves back to the checkpoint step; runs without weights are marked interrupted', () => {
    const store = freshStore();
    store.apply('steps', { runId: 'gdl-1', points: [1, 2, 3, 4, 5, 6].map((s) => pt(s)) });
    store.apply('validation', { runId: 'gdl-1', step: 5, dice: 0.4, perSubject: [0.4] });
    store.apply('status', { runId: 'gdl-1', status: 'running', step: 6 });
    store.apply('status', { runId: 'wce-1', status: 'running', step: 6 });
    const rec: CheckpointRecord = { id: 'e', savedAt: 0, backend: 'wasm', runs: [ck('gdl-1', 4)] };
    const [g, w] = runsAtCheckpoint(store.getState().runs, rec);
    expect(g.steps.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(g.validation).toEqual([]);
    expect(g.status).toBe('paused');
    expect(w.status).toBe('stopped');
    expect(w.message).toMatch(/interrupted/);
  });
});

describe('Persister', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(params: { quotaBytes?: number; checkpoint?: () => Promise<RunCheckpoint[] | null> } = {}) {
    const db = new RunsDb(memoryStore({ quotaBytes: params.quotaBytes }), memoryStore());
    const store = freshStore();
    const problems: (string | null)[] = [];
    let t = 1000;
    const calls = { checkpoint: 0 };
    const persister = new Persister({
      db,
      store,
      checkpoint: async () => {
        calls.checkpoint++;
        return params.checkpoint ? params.checkpoint() : [ck('gdl-1', 3), ck('wce-1', 3)];
      },
      onProblem: (m) => problems.push(m),
      saveEveryMs: 500,
      checkpointEveryMs: 2000,
      now: () => t,
    });
    const advance = async (ms: number) => {
      t += ms;
      await vi.advanceTimersByTimeAsync(ms);
    };
    return { db, store, persister, problems, calls, advance };
  }
  const META = { id: 'e1', name: 'race', createdAt: 1, query: 'losses=gdl%2Cwce', backend: 'wasm' };

  it('saves on begin, throttles point updates, saves status changes at once', async () => {
    const { db, store, persister, advance } = setup();
    persister.begin(META);
    await persister.flush();
    expect((await db.get('e1'))!.status).toBe('idle');
    store.apply('status', { runId: 'gdl-1', status: 'running', step: 0 });
    await advance(0);
    expect((await db.get('e1'))!.status).toBe('running');
    store.apply('steps', { runId: 'gdl-1', points: [pt(1), pt(2)] });
    await advance(100);
    expect((await db.get('e1'))!.runs[0].steps).toHaveLength(0); // throttled
    await advance(500);
    expect((await db.get('e1'))!.runs[0].steps.map((p) => p.step)).toEqual([1, 2]);
  });

  it('checkpoints while running and on pause, and drops the weights when the race is over', async () => {
    const { db, store, persister, calls, advance } = setup();
    persister.begin(META);
    for (const id of ['gdl-1', 'wce-1']) store.apply('status', { runId: id, status: 'running', step: 0 });
    await advance(2500);
    store.apply('steps', { runId: 'gdl-1', points: [pt(1)] });
    await advance(10);
    await persister.flush();
    expect(calls.checkpoint).toBe(1);
    expect((await db.getCheckpoint('e1'))!.runs.map((r) => r.runId)).toEqual(['gdl-1', 'wce-1']);
    expect((await db.get('e1'))!.checkpointStep).toBe(3);
    for (const id of ['gdl-1', 'wce-1']) store.apply('status', { runId: id, status: 'paused', step: 3 });
    await persister.flush();
    expect(calls.checkpoint).toBe(2);
    for (const id of ['gdl-1', 'wce-1']) store.apply('status', { runId: id, status: 'done', step: 100 });
    await persister.flush();
    expect(await db.getCheckpoint('e1')).toBeUndefined();
    const rec = await db.get('e1');
    expect(rec!.status).toBe('finished');
    expect(rec!.checkpointStep).toBeNull();
  });

  it('an engine that cannot answer leaves the last checkpoint in place', async () => {
    const { db, store, persister } = setup({ checkpoint: () => Promise.reject(new Error('dead')) });
    await db.saveCheckpoint({ id: 'e1', savedAt: 0, backend: 'wasm', runs: [ck('gdl-1', 2)] });
    persister.begin(META);
    for (const id of ['gdl-1', 'wce-1']) store.apply('status', { runId: id, status: 'paused', step: 2 });
    await persister.flush();
    expect((await db.getCheckpoint('e1'))!.runs[0].step).toBe(2);
  });

  it('detaches when the store moves on to other runs, keeping the final state', async () => {
    const { db, store, persister, advance } = setup();
    persister.begin(META);
    store.apply('steps', { runId: 'wce-1', points: [pt(1)] });
    await advance(0); // the store's own throttle
    store.reset([]);
    await persister.flush();
    expect(persister.current).toBeNull();
    expect((await db.get('e1'))!.runs[1].steps).toHaveLength(1);
  });

  it('a reset to runs with the same ids (trained again) leaves the saved record alone', async () => {
    const { db, store, persister, advance } = setup();
    persister.begin(META);
    store.apply('steps', { runId: 'gdl-1', points: [pt(1), pt(2)] });
    store.apply('status', { runId: 'gdl-1', status: 'done', step: 2 });
    await persister.flush();
    await advance(5);
    store.reset(
      store.getState().runs.map(({ id, label, color, config, totalSteps }) => ({ id, label, color, config, totalSteps })),
    );
    await persister.flush();
    expect(persister.current).toBeNull();
    expect((await db.get('e1'))!.runs[0].steps).toHaveLength(2);
  });

  it('a rename while the experiment is being saved survives later saves; snapshots alone write nothing', async () => {
    const { db, store, persister, advance } = setup();
    persister.begin(META);
    await persister.flush();
    await db.rename('e1', 'renamed');
    persister.rename('e1', 'renamed');
    store.apply('steps', { runId: 'gdl-1', points: [pt(1)] });
    await advance(600);
    await persister.flush();
    expect((await db.get('e1'))!.name).toBe('renamed');
    const at = (await db.get('e1'))!.updatedAt;
    await advance(1000);
    store.apply('snapshot', { runId: 'gdl-1', step: 1, height: 1, width: 1, probs: new Float32Array(1) });
    await advance(1000);
    expect((await db.get('e1'))!.updatedAt).toBe(at);
  });

  it('reports a full disk once, with the way out, and clears it when saving works again', async () => {
    const { db, store, persister, problems } = setup({ quotaBytes: 3000 });
    persister.begin(META);
    await persister.flush();
    store.apply('steps', { runId: 'gdl-1', points: Array.from({ length: 100 }, (_, i) => pt(i + 1)) });
    store.apply('status', { runId: 'gdl-1', status: 'paused', step: 100 });
    await persister.flush();
    expect(problems.at(-1)).toMatch(/storage is full.*History/i);
    expect((await db.get('e1'))!.runs[0].steps).toHaveLength(0);
    store.reset([{ id: 'x', label: 'ce', color: '#000', config: {}, totalSteps: 5 }]);
    persister.begin({ ...META, id: 'e2' });
    await persister.flush();
    expect(problems.at(-1)).toBeNull();
  });
});

describe('history export and import', () => {
  async function savedRecord(): Promise<ExperimentRecord> {
    const db = new RunsDb(memoryStore(), memoryStore());
    const store = freshStore();
    const p = new Persister({ db, store, checkpoint: async () => null, onProblem: () => undefined });
    p.begin({ id: 'e1', name: 'my race', createdAt: 5, query: 'losses=gdl%2Cwce&lr=0.01', backend: 'webgpu' });
    store.apply('steps', { runId: 'gdl-1', points: [pt(1), { ...pt(2), loss: Number.NaN }] });
    store.apply('status', { runId: 'gdl-1', status: 'diverged', step: 2, message: 'loss became NaN at step 2' });
    await p.flush();
    return (await db.get('e1'))!;
  }

  it('round-trips a record (NaN losses travel as null)', async () => {
    const rec = await savedRecord();
    const text = exportHistory([rec]);
    expect(text).toContain('"loss": null');
    const back = parseHistoryJson(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.notices).toEqual([]);
    const r = back.experiments[0];
    expect(r.name).toBe('my race');
    expect(r.query).toBe(rec.query);
    expect(r.runs[0].steps[1].loss).toBeNaN();
    expect(r.runs[0].status).toBe('diverged');
    expect({ ...r, runs: undefined }).toEqual({ ...rec, runs: undefined, checkpointStep: null });
  });

  it('imports next to existing records without overwriting them', async () => {
    const rec = await savedRecord();
    const db = new RunsDb(memoryStore(), memoryStore());
    await db.save(rec);
    const summary = await db.importJson(exportHistory([rec]));
    expect(summary).toMatchObject({ ok: true, imported: 1 });
    const all = await db.list();
    expect(all).toHaveLength(2);
    expect(new Set(all.map((r) => r.id)).size).toBe(2);
    await db.rename(all[0].id, '  renamed\u0007 ');
    expect((await db.get(all[0].id))!.name).toBe('renamed');
    await db.remove(all[0].id);
    expect(await db.list()).toHaveLength(1);
  });

  it('names the first bad field, and drops bad settings with a notice', async () => {
    const rec = await savedRecord();
    const file = JSON.parse(exportHistory([rec]));
    file.experiments[0].runs[0].steps[0].lr = 'fast';
    expect(parseHistoryJson(JSON.stringify(file))).toEqual({
      ok: false,
      message: 'Not a valid history file: experiments[0].runs[0].steps[0].lr must be a number in [0, 1].',
    });
    file.experiments[0].runs[0].steps[0].lr = 0.1;
    file.experiments[0].query = 'lr=7&loss=zzz';
    const r = parseHistoryJson(JSON.stringify(file));
    expect(r.ok && r.notices.join(' ')).toMatch(/lr=7.*loss=zzz|loss=zzz.*lr=7/);
    expect(parseHistoryJson('{"format": 1')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid JSON/) });
    expect(parseHistoryJson('[]')).toMatchObject({ ok: false, message: expect.stringMatching(/the file must be an object/) });
    expect(parseHistoryJson(42)).toMatchObject({ ok: false });
  });
});
