import { describe, expect, it } from 'vitest';
import { generatePhantom, type PhantomInput } from '../engine/data/phantom';
import { createPhantomPool, helperCount } from './phantom-pool';

describe('phantom pool', () => {
  it('one helper per spare core, at most three', () => {
    expect([undefined, 1, 2, 4, 16].map((c) => helperCount(c))).toEqual([0, 0, 1, 3, 3]);
  });

  it('without Worker (Node) makes every phantom on this thread, in order, as generatePhantom does', async () => {
    const inputs: PhantomInput[] = [5, 6, 7].map((seed) => ({ seed, shape: [24, 24, 16] }));
    const got = await createPhantomPool(2)(inputs);
    expect(got.map((p) => p.options.seed)).toEqual([5, 6, 7]);
    expect(got[2].label.data).toEqual(generatePhantom(inputs[2]).label.data);
  });
});
