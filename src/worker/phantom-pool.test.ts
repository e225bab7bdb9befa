import { describe, expect, it } from 'vitest';
import { generatePhantom, type PhantomInput } from '../engine/data/phantom';
import { ThreadGate } from '../engine/data/phantom-maker';
import { createPhantomPool, type HelperWorker, helperCount } from './phantom-pool';

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
    const gate = new ThreadGate();
    let release = () => {};
    gate.hold(new Promise<void>((r) => (release = r)));
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
});
