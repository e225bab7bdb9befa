// The PyTorch networks (python/models.py) loaded with the browser's weights give tfjs's output within
// 1e-5 on the same input, for all four networks, with and without batch norm (random moving statistics).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NetworkSpec, resolveSpec } from '../../domain/network-spec';
import { createNetwork } from '../networks';
import { makeRng } from '../losses/testing/fixtures';
import { readFloats, requireTorch, runPython, skipWithoutTorch, TESTING_DIR, tempDir, writeFloats } from './testing/python';
import { exportWeights } from './weights';

const CASES: { name: string; spec: NetworkSpec; size: number[] }[] = [
  { name: 'unet2d', spec: { kind: 'unet2d', seed: 3 }, size: [16, 12] },
  { name: 'unet2d-bn', spec: { kind: 'unet2d', seed: 4, batchNorm: true, inChannels: 2, numClasses: 3 }, size: [8, 8] },
  { name: 'twopath2d', spec: { kind: 'twopath2d', seed: 5 }, size: [17, 15] },
  { name: 'twopath2d-bn', spec: { kind: 'twopath2d', seed: 6, batchNorm: true, maxoutPieces: 3 }, size: [12, 10] },
  { name: 'unet3d', spec: { kind: 'unet3d', seed: 7 }, size: [8, 12, 8] },
  { name: 'unet3d-bn', spec: { kind: 'unet3d', seed: 8, batchNorm: true }, size: [4, 8, 4] },
  { name: 'highres3d', spec: { kind: 'highres3d', seed: 9 }, size: [9, 8, 7] },
  { name: 'highres3d-bn', spec: { kind: 'highres3d', seed: 10, batchNorm: true, blocks: 1 }, size: [6, 5, 8] },
];

/** Batch norm's moving statistics start at 0 and 1; random ones make the inference path matter. */
function randomiseBatchNorm(model: tf.LayersModel, rng: () => number): void {
  const values = model.getWeights().map((w, i) => {
    const name = model.weights[i].name;
    if (!/(gamma|beta|moving_mean|moving_variance)/.test(name)) return w;
    const lo = /moving_variance|gamma/.test(name) ? 0.5 : -0.5;
    return tf.tensor(
      Float32Array.from({ length: w.size }, () => lo + rng()),
      w.shape,
    );
  });
  model.setWeights(values);
}

const skip = skipWithoutTorch('export/networks.test');

describe.skipIf(skip)('PyTorch networks vs tfjs (cpu backend)', () => {
  beforeAll(async () => {
    requireTorch();
    await tf.setBackend('cpu');
  });

  it('every network and variant agrees within 1e-5 on the same input', () => {
    const dir = tempDir('export-forward');
    const rng = makeRng(2017);
    const expected = new Map<string, Float32Array>();
    const list = CASES.map(({ name, spec, size }) => {
      const r = resolveSpec(spec);
      const model = createNetwork(r);
      if (r.batchNorm) randomiseBatchNorm(model, rng);
      const xShape = [2, ...size, r.inChannels];
      const x = Float32Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => 2 * rng() - 1);
      const y = tf.tidy(() => model.predict(tf.tensor(x, xShape)) as tf.Tensor);
      expected.set(name, y.dataSync() as Float32Array);
      y.dispose();
      const { index, bin } = exportWeights({ model, spec: r });
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(index));
      writeFileSync(join(dir, `${name}.bin`), bin);
      writeFloats(join(dir, `${name}.x.bin`), x);
      model.dispose();
      return { name, xShape };
    });
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(list));
    runPython({ script: join(TESTING_DIR, 'forward_check.py'), args: [dir] });
    const errors = list.map(({ name }) => {
      const want = expected.get(name)!;
      const got = readFloats(join(dir, `${name}.y.bin`));
      expect(got.length, name).toBe(want.length);
      let max = 0;
      for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
      return { name, max };
    });
    console.log(errors.map((e) => `${e.name} ${e.max.toExponential(2)}`).join(', '));
    for (const e of errors) expect(e.max, e.name).toBeLessThan(1e-5);
  });
});
