import { describe, expect, it } from 'vitest';
import { generatePhantom, type PhantomInput } from '../engine/data/phantom';
import { ThreadGate } from '../engine/data/phantom-maker';
import { helperCount } from './helper-count';
import { createPhantomPool, type HelperWorker } from './phantom-pool';

const inputs = (...seeds: number[]): PhantomInput[] => seeds.map((seed) => ({ seed, shape: [24, 24, 16] }));

/** A helper on this thread (Node has no Web Worker): answers each request on a later task, or fails. */
function fakeHelper(p: { failOn?: number; handled: number[] }): HelperWorker {
  const w: HelperWorker = {
    onmessage: null,
    onerror: null,
    postMessage(msg: { id: number; input: PhantomInput }) {
      setTimeout(() => {
        if (p.handled.length + 1 === p.failOn) return void (w.onerror as (e: unknown) => void)?.(new Error('crashed'));
        p.handled.push(msg.input.seed as number);
        const phantom = generatePhantom(msg.input);
        (w.onmessage as (e: unknown) => void)?.({ data: { id: msg.id, phantom } });
      }, 1);
    },
  };
  return w;
}

/** A gate held until `release` (the engine thread busy starting its backend). */
function heldGate(): { gate: ThreadGate; release: () => void } {
  const gate = new ThreadGate();
  let release = () => {};
  gate.hold(new Promise<void>((r) => (release = r)));
  return { gate, release };
}

describe('phantom pool', () => {
  it('one helper per spare core, at most three', () => {
    expect([undefined, 1, 2, 4, 16].map((c) => helperCount(c))).toEqual([0, 0, 1, 3, 3]);
  });

  it('without Worker (Node) makes every phantom on this thread, in order, as generatePhantom does', async () => {
    const got = await createPhantomPool({ count: 2 })(inputs(5, 6, 7));
    expect(got.map((p) => p.options.seed)).toEqual([5, 6, 7]);
    expect(got[2].label.data).toEqual(generatePhantom(inputs(7)[0]).label.data);
  });

  it('helpers and this thread share one queue; the phantoms come back in order, each as generatePhantom makes it', async () => {
    const a = { handled: [] as number[] };
    const b = { handled: [] as number[] };
    const helpers = [fakeHelper(a), fakeHelper(b)];
    const pool = createPhantomPool({ count: 2, spawn: () => helpers.shift() as HelperWorker });
    const got = await pool(inputs(1, 2, 3, 4, 5));
    expect(got.map((p) => p.options.seed)).toEqual([1, 2, 3, 4, 5]);
    for (const p of got) expect(p.images[0].data).toEqual(generatePhantom(inputs(p.options.seed)[0]).images[0].data);
    expect(a.handled.length + b.handled.length).toBeGreaterThan(0);
    expect(a.handled.length + b.handled.length).toBeLessThan(5); // this thread took some too
  });

  it('tells of each phantom as it is made (by a helper or this thread), each once, before the request resolves', async () => {
    const h = { handled: [] as number[] };
    const helper = fakeHelper(h);
    const made: number[] = [];
    const pool = createPhantomPool({ count: 1, spawn: () => helper, onMade: (p) => made.push(p.options.seed) });
    const each: [number, number][] = [];
    const got = await pool(inputs(1, 2, 3), (i, p) => each.push([i, p.options.seed]));
    expect([...made].sort()).toEqual([1, 2, 3]);
    expect(h.handled.length).toBeGreaterThan(0); // the helper's phantoms are told of too
    expect(made.length).toBe(got.length);
    // The request's own listener hears of each with its index in the request, the very phantom returned.
    expect([...each].sort()).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('while the gate is held this thread makes none: the helper makes them all', async () => {
    const { gate, release } = heldGate();
    const h = { handled: [] as number[] };
    const helper = fakeHelper(h);
    const making = createPhantomPool({ count: 1, gate, spawn: () => helper })(inputs(1, 2, 3));
    await expect.poll(() => h.handled.length).toBe(3);
    release();
    const got = await making;
    expect(got.map((p) => p.options.seed)).toEqual([1, 2, 3]);
    expect(h.handled).toEqual([1, 2, 3]);
  });

  it('a helper that crashes leaves its phantom to the others', async () => {
    const h = { failOn: 1, handled: [] as number[] };
    const helper = fakeHelper(h);
    const got = await createPhantomPool({ count: 1, spawn: () => helper })(inputs(8, 9));
    expect(got.map((p) => p.options.seed)).toEqual([8, 9]);
    expect(got[0].label.data).toEqual(generatePhantom(inputs(8)[0]).label.data);
    expect(h.handled).toEqual([]);
  });

  /** A helper that answers (or fails) only when told to, recording what it was asked. */
  function heldHelper() {
    const asked: number[] = [];
    const waiting: { id: number; input: PhantomInput }[] = [];
    const worker: HelperWorker = {
      onmessage: null,
      onerror: null,
      postMessage(msg: { id: number; input: PhantomInput }) {
        asked.push(msg.input.seed as number);
        waiting.push(msg);
      },
    };
    const answerAll = () => {
      for (const m of waiting.splice(0))
        (worker.onmessage as (e: unknown) => void)?.({ data: { id: m.id, phantom: generatePhantom(m.input) } });
    };
    const fail = () => (worker.onerror as (e: unknown) => void)?.(new Error('crashed'));
    return { worker, asked, answerAll, fail };
  }

  it('a helper still making a phantom gets its next one before this thread blocks on one of its own', async () => {
    const { gate, release } = heldGate();
    const h = heldHelper();
    const making = createPhantomPool({ count: 1, gate, spawn: () => h.worker })(inputs(1, 2, 3));
    await expect.poll(() => h.asked).toEqual([1]);
    release();
    // This thread takes 2 and, before making it, sends 3 to the helper that has not answered 1 yet.
    await expect.poll(() => h.asked).toEqual([1, 3]);
    h.answerAll();
    const got = await making;
    expect(got.map((p) => p.options.seed)).toEqual([1, 2, 3]);
    for (const p of got) expect(p.tissue.data).toEqual(generatePhantom(inputs(p.options.seed)[0]).tissue.data);
  });

  it('a helper that fails with a phantom sent ahead leaves both to this thread', async () => {
    const { gate, release } = heldGate();
    const h = heldHelper();
    const making = createPhantomPool({ count: 1, gate, spawn: () => h.worker })(inputs(4, 5, 6));
    release();
    await expect.poll(() => h.asked).toEqual([4, 6]);
    h.fail();
    const got = await making;
    expect(got.map((p) => p.options.seed)).toEqual([4, 5, 6]);
    expect(got[2].label.data).toEqual(generatePhantom(inputs(6)[0]).label.data);
  });

  it('uses the helpers it is given (the page’s) instead of spawning its own', async () => {
    const { gate, release } = heldGate();
    const h = heldHelper();
    let spawned = 0;
    const spawn = () => {
      spawned++;
      return heldHelper().worker;
    };
    const making = createPhantomPool({ count: 2, gate, adopt: () => [h.worker], spawn })(inputs(7));
    await expect.poll(() => h.asked).toEqual([7]);
    h.answerAll();
    release();
    expect((await making)[0].options.seed).toBe(7);
    expect(spawned).toBe(0);
    // Where the page gave none (null), the pool spawns its own.
    const own = createPhantomPool({ count: 2, adopt: () => null, spawn });
    await own(inputs(8));
    expect(spawned).toBe(2);
  });
});
