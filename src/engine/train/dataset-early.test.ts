// While the validation phantom is still being made, the dataset's work on the training phantoms alone (the
// threshold baseline's search, the samplers' tables) is done already; the dataset is the same either way.
import { describe, expect, it, vi } from 'vitest';
import type { DataRequest } from '../api';
import { fitThreshold } from '../data/baseline';
import { generatePhantom, type Phantom } from '../data/phantom';
import type { PhantomMaker } from '../data/phantom-maker';
import { buildDataset, buildDatasetWith, phantomInputs } from './dataset';

// The real search, counted (a spy, not a stand-in).
vi.mock('../data/baseline', async (importOriginal) => {
  const real = await importOriginal<typeof import('../data/baseline')>();
  return { ...real, fitThreshold: vi.fn(real.fitThreshold) };
});
const fits = vi.mocked(fitThreshold);

const req: DataRequest = {
  seed: 6,
  lesion: 'tumour',
  fraction: 0.02,
  noise: 0.02,
  patch: 16,
  batch: 2,
  network: 'unet2d',
  shape: [32, 32, 24],
};

/** A maker that tells of phantoms `first` at once and makes the rest only once released. */
function heldMaker(first: number[]): { make: PhantomMaker; release: () => void } {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  const make: PhantomMaker = async (inputs, onEach) => {
    const out: Phantom[] = inputs.map((o) => generatePhantom(o));
    for (const i of first) onEach?.(i, out[i]);
    await held;
    for (const [i, p] of out.entries()) if (!first.includes(i)) onEach?.(i, p);
    return out;
  };
  return { make, release };
}

const summary = (ds: ReturnType<typeof buildDataset>) => ({ baseline: ds.baseline, imbalance: ds.patchImbalance, spec: ds.spec });

describe('buildDatasetWith', () => {
  const expected = summary(buildDataset(req));
  expect(phantomInputs(req)).toHaveLength(3); // two training subjects, one validation subject

  it('searches the baseline on the training phantoms while the validation phantom is made, and only then', async () => {
    fits.mockClear();
    const { make, release } = heldMaker([0, 1]);
    const building = buildDatasetWith(req, make);
    await expect.poll(() => fits.mock.calls.length).toBe(1);
    release();
    const ds = await building;
    expect(fits).toHaveBeenCalledTimes(1); // the early search was used, not run again
    expect(summary(ds)).toEqual(expected);
  });

  it('with every phantom at once (or the training ones last) searches once, after, with the same result', async () => {
    for (const first of [[], [2], [0, 2]]) {
      fits.mockClear();
      const { make, release } = heldMaker(first);
      const building = buildDatasetWith(req, make);
      await new Promise((r) => setTimeout(r, 20));
      expect(fits).toHaveBeenCalledTimes(0);
      release();
      expect(summary(await building)).toEqual(expected);
      expect(fits).toHaveBeenCalledTimes(1);
    }
  });
});
