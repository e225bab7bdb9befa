import { describe, expect, it } from 'vitest';
import { generatePhantom, type PhantomInput } from './phantom';
import { cachedMaker, makePhantomsHere, type PhantomMaker, ThreadGate } from './phantom-maker';

const input = (seed: number): PhantomInput => ({ seed, shape: [24, 24, 16], lesion: { kind: 'tumour', fraction: 0.01 } });

/** A maker that counts what it was asked to make. */
function counting(): { make: PhantomMaker; asked: number[] } {
  const asked: number[] = [];
  const make: PhantomMaker = async (inputs) => {
    asked.push(...inputs.map((o) => o.seed!));
    return makePhantomsHere(inputs);
  };
  return { asked, make };
}

describe('phantom makers', () => {
  it('makePhantomsHere gives generatePhantom’s phantoms in order', async () => {
    const got = await makePhantomsHere([input(3), input(4)]);
    expect(got.map((p) => p.options.seed)).toEqual([3, 4]);
    expect(got[1].images[0].data).toEqual(generatePhantom(input(4)).images[0].data);
  });

  it('the cache reuses the last dataset’s phantoms and makes only the new ones', async () => {
    const { make, asked } = counting();
    const cached = cachedMaker(make);
    const first = await cached([input(1), input(2), input(3)]);
    const again = await cached([input(3), input(1), input(2)]);
    expect(asked).toEqual([1, 2, 3]);
    expect(again.map((p) => p.options.seed)).toEqual([3, 1, 2]);
    expect(again[0]).toBe(first[2]); // the very same phantom, not regenerated
    await cached([input(2), input(5)]);
    expect(asked).toEqual([1, 2, 3, 5]);
    // Only the last dataset is kept: 1 and 3 were dropped by the call before.
    await cached([input(1)]);
    expect(asked).toEqual([1, 2, 3, 5, 1]);
  });

  it('keeps nothing past its voxel budget', async () => {
    const { make, asked } = counting();
    const cached = cachedMaker(make, 24 * 24 * 16);
    await cached([input(1), input(2)]);
    await cached([input(1), input(2)]);
    expect(asked).toEqual([1, 2, 1, 2]);
  });

  it('a request for phantoms still being made (a prefetch) waits for them instead of making them again', async () => {
    const { make, asked } = counting();
    const cached = cachedMaker(make);
    const prefetch = cached([input(1), input(2)]);
    const asking = cached([input(2), input(1)]);
    const [a, b] = await Promise.all([prefetch, asking]);
    expect(asked).toEqual([1, 2]);
    expect(b[0]).toBe(a[1]);
  });

  it('tells of each phantom as the maker does, before the request resolves; kept ones at once, by their index here', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    // A maker that reports its first phantom at once and finishes the rest only when released.
    const slow: PhantomMaker = async (inputs, onEach) => {
      const first = generatePhantom(inputs[0]);
      onEach?.(0, first);
      await held;
      return [first, ...inputs.slice(1).map((o) => generatePhantom(o))];
    };
    const cached = cachedMaker(slow);
    const heard: [number, number][] = [];
    const making = cached([input(1), input(2)], (i, p) => heard.push([i, p.options.seed as number]));
    await expect.poll(() => heard.length).toBe(1);
    expect(heard).toEqual([[0, 1]]); // phantom 2 is not made yet; the request has not resolved
    release();
    const got = await making;
    expect(heard).toEqual([
      [0, 1],
      [1, 2],
    ]);
    // Kept phantoms are told of in the new request's order.
    const again: [number, number][] = [];
    const reused = await cached([input(2), input(1)], (i, p) => again.push([i, p.options.seed as number]));
    expect([...again].sort()).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(reused[0]).toBe(got[1]);
  });

  it('makePhantomsHere tells of each phantom in order', async () => {
    const heard: number[] = [];
    await makePhantomsHere([input(3), input(4)], (i) => heard.push(i));
    expect(heard).toEqual([0, 1]);
  });

  it('a failed make is not remembered: the next request makes it again', async () => {
    let calls = 0;
    const cached = cachedMaker(async (inputs) => {
      if (calls++ === 0) throw new Error('helper stopped');
      return makePhantomsHere(inputs);
    });
    await expect(cached([input(1)])).rejects.toThrow('helper stopped');
    expect((await cached([input(1)]))[0].options.seed).toBe(1);
    expect(calls).toBe(2);
  });
});

describe('ThreadGate', () => {
  it('is free at once when nothing holds it, and after every hold, including ones added while waiting', async () => {
    const gate = new ThreadGate();
    await gate.free();
    const order: string[] = [];
    let endFirst = () => {};
    let endSecond = () => {};
    gate.hold(new Promise<void>((r) => (endFirst = r)));
    const freed = gate.free().then(() => order.push('free'));
    gate.hold(new Promise<void>((r) => (endSecond = r)));
    endFirst();
    await new Promise((r) => setTimeout(r, 5));
    order.push('first ended');
    endSecond();
    await freed;
    expect(order).toEqual(['first ended', 'free']);
    // A failed hold frees it too.
    gate.hold(Promise.reject(new Error('backend failed')));
    await gate.free();
  });
});
