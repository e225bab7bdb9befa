// A tiny seeded 2D task (bright squares on noise) for tests and the engine-overhead benchmark:
// cheap, deterministic, and learnable in a few dozen steps.
import { createRng } from '../data/rng';
import type { ArrayBatch, BatchSource } from './source';

export interface ToySourceParams {
  seed?: number;
  size?: number;
  batch?: number;
  channels?: number;
}

function makeBatch(seed: number, size: number, batch: number, channels: number): ArrayBatch {
  const rng = createRng(seed);
  const x = new Float32Array(batch * size * size * channels);
  const y = new Float32Array(batch * size * size * 2);
  for (let b = 0; b < batch; b++) {
    const side = 2 + rng.int(Math.max(1, size / 3));
    const top = rng.int(size - side);
    const left = rng.int(size - side);
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++) {
        const fg = i >= top && i < top + side && j >= left && j < left + side ? 1 : 0;
        const p = (b * size + i) * size + j;
        for (let c = 0; c < channels; c++) x[p * channels + c] = fg * 2 - 1 + 0.3 * rng.normal();
        y[p * 2] = 1 - fg;
        y[p * 2 + 1] = fg;
      }
  }
  return { x, xShape: [batch, size, size, channels], y, yShape: [batch, size, size, 2] };
}

export function createToySource(params: ToySourceParams = {}): BatchSource {
  const { seed = 1, size = 16, batch = 2, channels = 1 } = params;
  const validation = [makeBatch(seed + 1e6, size, 2, channels), makeBatch(seed + 2e6, size, 2, channels)];
  return {
    numClasses: 2,
    trainBatch: (step) => makeBatch(seed * 1e4 + step, size, batch, channels),
    validationBatches: () => validation,
    snapshotInput: () => validation[0],
  };
}
