// A tiny seeded task (bright squares, or cubes in 3D, on noise) for tests and the engine-overhead
// benchmark: cheap, deterministic, and learnable in a few dozen steps.
import { createRng } from '../data/rng';
import type { ArrayBatch, BatchSource } from './source';

export interface ToySourceParams {
  seed?: number;
  size?: number;
  batch?: number;
  channels?: number;
  /** 2 (default): [B,S,S,C] patches; 3: [B,S,S,S,C] (3D networks). */
  dims?: 2 | 3;
}

function makeBatch(seed: number, size: number, batch: number, channels: number, dims: 2 | 3): ArrayBatch {
  if (dims === 3) return makeBatch3d(seed, size, batch, channels);
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

function makeBatch3d(seed: number, size: number, batch: number, channels: number): ArrayBatch {
  const rng = createRng(seed);
  const n = size * size * size;
  const x = new Float32Array(batch * n * channels);
  const y = new Float32Array(batch * n * 2);
  for (let b = 0; b < batch; b++) {
    const side = 2 + rng.int(Math.max(1, size / 3));
    const corner = [rng.int(size - side), rng.int(size - side), rng.int(size - side)];
    const inside = (v: number, a: number) => v >= corner[a] && v < corner[a] + side;
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++)
        for (let k = 0; k < size; k++) {
          const fg = inside(i, 0) && inside(j, 1) && inside(k, 2) ? 1 : 0;
          const p = b * n + (i * size + j) * size + k;
          for (let c = 0; c < channels; c++) x[p * channels + c] = fg * 2 - 1 + 0.3 * rng.normal();
          y[p * 2] = 1 - fg;
          y[p * 2 + 1] = fg;
        }
  }
  return { x, xShape: [batch, size, size, size, channels], y, yShape: [batch, size, size, size, 2] };
}

export function createToySource(params: ToySourceParams = {}): BatchSource {
  const { seed = 1, size = 16, batch = 2, channels = 1, dims = 2 } = params;
  const validation = [makeBatch(seed + 1e6, size, 2, channels, dims), makeBatch(seed + 2e6, size, 2, channels, dims)];
  return {
    numClasses: 2,
    trainBatch: (step) => makeBatch(seed * 1e4 + step, size, batch, channels, dims),
    validationBatches: () => validation,
    snapshotInput: () => validation[0],
  };
}
