import { describe, expect, it } from 'vitest';
import { generatePhantom, type PhantomInput } from './phantom';
import { cachedMaker, makePhantomsHere, type PhantomMaker } from './phantom-maker';

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
});
