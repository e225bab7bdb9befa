// The exported ONNX model (python/export_onnx.py, opset 13) run with onnxruntime-node equals tfjs within
// 1e-4 for all four networks, at a spatial size other than the one it was traced with (dynamic axes).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NetworkSpec, resolveSpec } from '../../domain/network-spec';
import { makeRng } from '../losses/testing/fixtures';
import { createNetwork } from '../networks';
import { predictCase, requireOrt, skipWithoutOrt } from './testing/ort';
import { requireTorch, runPython, skipWithoutTorch, TESTING_DIR, tempDir } from './testing/python';
import { exportWeights } from './weights';

const CASES: { name: string; spec: NetworkSpec; size: number[] }[] = [
  { name: 'unet2d', spec: { kind: 'unet2d', seed: 11 }, size: [20, 12] },
  { name: 'twopath2d', spec: { kind: 'twopath2d', seed: 12, batchNorm: true }, size: [13, 18] },
  { name: 'unet3d', spec: { kind: 'unet3d', seed: 13 }, size: [4, 8, 12] },
  { name: 'highres3d', spec: { kind: 'highres3d', seed: 14 }, size: [6, 9, 7] },
];

const skip = skipWithoutTorch('export/onnx.test') || skipWithoutOrt('export/onnx.test');

describe.skipIf(skip)('ONNX export vs tfjs', () => {
  beforeAll(async () => {
    requireTorch();
    requireOrt();
    await tf.setBackend('cpu');
  });

  it('all four networks agree within 1e-4 in onnxruntime', async () => {
    const dir = tempDir('export-onnx');
    const rng = makeRng(13);
    const inputs = CASES.map(({ name, spec, size }) => {
      const r = resolveSpec(spec);
      const model = createNetwork(r);
      const { index, bin } = exportWeights({ model, spec: r });
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(index));
      writeFileSync(join(dir, `${name}.bin`), bin);
      const { xFirst, want } = predictCase({ model, size, inChannels: r.inChannels, rng });
      const out = { name, x: xFirst.dataSync() as Float32Array, xShape: xFirst.shape, want: want.dataSync() as Float32Array };
      tf.dispose([xFirst, want]);
      model.dispose();
      return out;
    });
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(CASES.map((c) => ({ name: c.name }))));
    runPython({ script: join(TESTING_DIR, 'onnx_check.py'), args: [dir] });
    const ort = requireOrt();
    const errors: string[] = [];
    for (const c of inputs) {
      const session = await ort.InferenceSession.create(join(dir, `${c.name}.onnx`));
      const result = await session.run({ image: new ort.Tensor('float32', c.x, c.xShape) });
      const got = result.probabilities.data as Float32Array;
      expect(got.length, c.name).toBe(c.want.length);
      let max = 0;
      for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - c.want[i]));
      errors.push(`${c.name} ${max.toExponential(2)}`);
      expect(max, c.name).toBeLessThan(1e-4);
      await session.release();
    }
    console.log(`onnxruntime vs tfjs, max |difference|: ${errors.join(', ')}`);
  });
});
