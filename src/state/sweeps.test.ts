// The page-side sweep controller against a fake engine client: records follow progress events, are
// stored, resume with their finished runs skipped, import/export and delete.
import { describe, expect, it } from 'vitest';
import type { EngineEvents } from '../engine/api';
import { planSweep } from '../domain/sweep/plan';
import { presetSpec } from '../domain/sweep/presets';
import type { RunResult, StartSweepRequest, SweepProgress } from '../domain/sweep/types';
import { memoryStore } from './persist/db';
import { createSweepStore } from './sweep-store';
import type { EngineClient } from '../worker/client';
import { SweepController } from './sweeps';

function fakeClient() {
  const calls: { method: string; arg: unknown }[] = [];
  let handler: ((p: SweepProgress) => void) | null = null;
  const client = {
    mode: 'inline',
    call: async (method: string, arg: unknown) => {
      calls.push({ method, arg });
      return method === 'startSweep' ? { runsTotal: 8, runsToDo: 8, groups: 2 } : { state: 'paused' };
    },
    on: (name: keyof EngineEvents, h: (p: SweepProgress) => void) => {
      if (name === 'sweep') handler = h;
      return () => undefined;
    },
    dispose: () => undefined,
  } as unknown as EngineClient;
  return { client, calls, emit: (p: SweepProgress) => handler?.(p) };
}

/** A controller following the given engine client. */
function attached(client: EngineClient, store: ReturnType<typeof createSweepStore>): SweepController {
  const c = new SweepController(store);
  c.attach(client);
  return c;
}

const spec = presetSpec('quick');
const cells = planSweep(spec).cells;
const result = (i: number): RunResult => {
  const { key, ...rest } = cells[i];
  return { key, ...rest, status: 'done', step: 30, window: Array(10).fill(0.5), curve: [0.5] };
};
const progress = (id: string, p: Partial<SweepProgress>): SweepProgress => ({
  sweepId: id,
  state: 'running',
  runsDone: 0,
  runsTotal: 8,
  stepsDone: 0,
  stepsTotal: 240,
  current: null,
  msPerStep: null,
  etaMs: null,
  elapsedMs: 0,
  results: [],
  groups: [],
  ...p,
});
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SweepController', () => {
  it('records a sweep from start to done, stores it, and resumes an interrupted one', async () => {
    const kv = memoryStore<never>();
    const { client, calls, emit } = fakeClient();
    const c = attached(client, createSweepStore({ kv }));
    await tick();
    expect(c.getState().loaded).toBe(true);
    await c.start(spec, 'wasm');
    const id = c.getState().activeId!;
    expect(calls[0]).toMatchObject({ method: 'startSweep', arg: { sweepId: id, spec, skip: [] } });
    emit(progress(id, { results: [result(0), result(1)], elapsedMs: 1000 }));
    emit(progress(id, { state: 'done', results: [result(2)], elapsedMs: 2000 }));
    await tick();
    const rec = c.getState().records[0];
    expect(rec).toMatchObject({ id, state: 'done', elapsedMs: 2000 });
    expect(rec.results.map((r) => r.key)).toEqual(cells.slice(0, 3).map((x) => x.key));
    expect(c.getState().activeId).toBeNull();

    // A new page on the same storage: a record stored as running comes back interrupted and resumable.
    await kv.put(id, { ...rec, state: 'running' } as never);
    const again = fakeClient();
    const c2 = attached(again.client, createSweepStore({ kv }));
    await tick();
    expect(c2.getState().records[0].state).toBe('interrupted');
    await c2.resumeStored(id, 'wasm');
    expect((again.calls[0].arg as StartSweepRequest).skip).toEqual(cells.slice(0, 3).map((x) => x.key));
    again.emit(progress(id, { results: [result(3)], elapsedMs: 500 }));
    // Elapsed time adds to what the record had before.
    expect(c2.getState().records[0]).toMatchObject({ state: 'running', elapsedMs: 2500 });
    expect(c2.getState().records[0].results).toHaveLength(4);
  });

  it('imports a valid export as a copy, refuses junk, deletes', async () => {
    const { client, emit } = fakeClient();
    const c = attached(client, createSweepStore({ kv: memoryStore() }));
    await tick();
    await c.start(spec, 'wasm');
    const id = c.getState().activeId!;
    emit(progress(id, { state: 'done', results: [result(0)] }));
    const text = c.exportJson(id)!;
    const imported = await c.importText(text);
    expect(imported.ok).toBe(true);
    expect(c.getState().records).toHaveLength(2);
    expect(c.getState().selectedId).not.toBe(id);
    const bad = await c.importText('{"format":"nope"}');
    expect(bad.ok).toBe(false);
    await c.remove(id);
    expect(c.getState().records.map((r) => r.id)).not.toContain(id);
  });

  it('a start the engine refuses leaves an error record and a message', async () => {
    const { client } = fakeClient();
    (client as unknown as { call: () => Promise<never> }).call = async () => {
      throw new Error('a sweep is already running');
    };
    const c = attached(client, createSweepStore({ kv: memoryStore() }));
    await c.start(spec, 'wasm');
    expect(c.getState()).toMatchObject({ activeId: null, error: 'The sweep did not start: a sweep is already running' });
    expect(c.getState().records[0].state).toBe('error');
  });
});
