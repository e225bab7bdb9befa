import { describe, expect, it } from 'vitest';
import { generatePhantom, type PhantomInput } from './phantom';
import { makePhantomsHere, type PhantomMaker } from './phantom-maker';
import { memoryPhantomStore, phantomKey, storedMaker } from './phantom-store';

const input = (seed: number): PhantomInput => ({ seed, shape: [24, 24, 16], lesion: { kind: 'tumour', fraction: 0.01 } });

function counting(): { make: PhantomMaker; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    make: async (inputs) => {
      asked.push(...inputs.map((o) => o.seed as number));
      return makePhantomsHere(inputs);
    },
  };
}

describe('storedMaker', () => {
  it('a revisit reads the dataset back instead of making it; the phantoms are the same', async () => {
    const store = memoryPhantomStore();
    const writes: (() => void)[] = [];
    const results: { stored: number; made: number }[] = [];
    const first = counting();
    const visit1 = storedMaker(first.make, store, {
      version: 'b1',
      later: (w) => writes.push(w),
      onResult: (r) => results.push(r),
    });
    const made = await visit1([input(1), input(2)]);
    expect(first.asked).toEqual([1, 2]);
    expect(store.keys()).toEqual([]); // written later, off the path to Train
    for (const w of writes.splice(0)) w();
    await Promise.resolve();
    expect(store.keys()).toEqual([phantomKey('b1', input(1)), phantomKey('b1', input(2))]);
    const second = counting();
    const visit2 = storedMaker(second.make, store, {
      version: 'b1',
      later: (w) => writes.push(w),
      onResult: (r) => results.push(r),
    });
    const back = await visit2([input(2), input(1)]);
    expect(second.asked).toEqual([]);
    expect(writes).toEqual([]); // nothing new to write
    expect(back.map((p) => p.options.seed)).toEqual([2, 1]);
    expect(back[1].images[0].data).toEqual(made[0].images[0].data);
    expect(results).toEqual([
      { stored: 0, made: 2 },
      { stored: 2, made: 0 },
    ]);
  });

  it('another build never reads them; a new dataset replaces the stored one; a failing store is only a miss', async () => {
    const store = memoryPhantomStore();
    const now = (w: () => void) => w();
    await storedMaker(makePhantomsHere, store, { version: 'b1', later: now })([input(1)]);
    const other = counting();
    await storedMaker(other.make, store, { version: 'b2', later: now })([input(1), input(3)]);
    expect(other.asked).toEqual([1, 3]);
    await Promise.resolve();
    expect(store.keys()).toEqual([phantomKey('b2', input(1)), phantomKey('b2', input(3))]);
    const broken = { get: () => Promise.reject(new Error('quota')), replace: () => Promise.reject(new Error('quota')) };
    const fallback = counting();
    const got = await storedMaker(fallback.make, broken, { version: 'b1', later: now })([input(4)]);
    expect(fallback.asked).toEqual([4]);
    expect(got[0].label.data).toEqual(generatePhantom(input(4)).label.data);
  });

  it('tells of stored phantoms at once and of made ones as they are made, by their index in the request', async () => {
    const store = memoryPhantomStore();
    await store.replace([[phantomKey('b1', input(2)), generatePhantom(input(2))]]);
    const heard: [number, number][] = [];
    const got = await storedMaker(makePhantomsHere, store, { version: 'b1', later: () => {} })(
      [input(1), input(2), input(3)],
      (i, p) => heard.push([i, p.options.seed as number]),
    );
    expect(heard[0]).toEqual([1, 2]); // read back before anything is made
    expect([...heard].sort()).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(got.map((p) => p.options.seed)).toEqual([1, 2, 3]);
  });
});
