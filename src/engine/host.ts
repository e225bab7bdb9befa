// Implements EngineApi on whatever thread imports it (worker or main thread).
import * as tf from '@tensorflow/tfjs';
import type { EngineApi, Emit, VolumeData } from './api';
import { selectBackend } from './train/backend';

function demoEllipsoid(size: number): VolumeData {
  const n = size;
  const data = new Float32Array(n * n * n);
  const c = (n - 1) / 2;
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const r = Math.hypot((x - c) / (0.45 * n), (y - c) / (0.38 * n), (z - c) / (0.4 * n));
        data[x + n * (y + n * z)] = r < 1 ? 100 * (1 - 0.5 * r * r) : 0;
      }
  return {
    name: 'demo',
    dims: [n, n, n],
    spacing: [1, 1, 1],
    affine: [1, 0, 0, -c, 0, 1, 0, -c, 0, 0, 1, -c, 0, 0, 0, 1],
    data,
  };
}

export function createEngineHost(emit: Emit): EngineApi {
  return {
    async init({ backend }) {
      const report = await selectBackend({ requested: backend });
      emit('log', { level: 'info', message: `backend ${report.active}` });
      return report;
    },
    async matmul({ a, b }) {
      const out = tf.tidy(() => tf.matMul(tf.tensor2d(a), tf.tensor2d(b)));
      const result = (await out.array()) as number[][];
      out.dispose();
      return { result, backend: tf.getBackend() };
    },
    async demoVolume({ size = 64 }) {
      return demoEllipsoid(size);
    },
  };
}
