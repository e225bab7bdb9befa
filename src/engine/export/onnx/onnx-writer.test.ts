// The ONNX file the page writes (no PyTorch involved) run in onnxruntime-node equals tfjs within 1e-4,
// for all four networks with and without batch norm, with moving statistics that are not the identity,
// at sizes other than the training patch (dynamic batch and spatial axes).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NetworkSpec, resolveSpec } from '../../../domain/network-spec';
import { makeRng } from '../../losses/testing/fixtures';
import { createNetwork } from '../../networks';
import { predictCase, requireOrt, skipWithoutOrt } from '../testing/ort';
import { exportWeights } from '../weights';
import { ONNX_INPUT, ONNX_OUTPUT, onnxModel } from './index';

const CASES: { name: string; spec: NetworkSpec; size: number[] }[] = [
  { name: 'unet2d', spec: { kind: 'unet2d', seed: 3 }, size: [16, 12] },
  { name: 'unet2d-bn', spec: { kind: 'unet2d', seed: 4, batchNorm: true, inChannels: 2, numClasses: 3 }, size: [8, 8] },
  { name: 'twopath2d', spec: { kind: 'twopath2d', seed: 5 }, size: [17, 15] },
  { name: 'twopath2d-bn', spec: { kind: 'twopath2d', seed: 6, batchNorm: true, maxoutPieces: 3 }, size: [12, 10] },
  { name: 'unet3d', spec: { kind: 'unet3d', seed: 7, depth: 1 }, size: [6, 4, 8] },
  { name: 'unet3d-bn', spec: { kind: 'unet3d', seed: 8, batchNorm: true }, size: [4, 8, 4] },
  { name: 'highres3d', spec: { kind: 'highres3d', seed: 9 }, size: [9, 8, 7] },
  { name: 'highres3d-bn', spec: { kind: 'highres3d', seed: 10, batchNorm: true, blocks: 1 }, size: [6, 5, 8] },
];

/** Moving means and variances, gammas and betas away from their initial 0/1 (as after training). */
function perturbBatchNorm(model: tf.LayersModel, rng: () => number): void {
  const values = model.getWeights().map((w, i) => {
    const name = model.weights[i].originalName;
    if (!/\/(gamma|beta|moving_mean|moving_variance)$/.test(name)) return w.clone();
    const positive = /gamma|variance/.test(name);
    return tf.tensor(
      Float32Array.from({ length: w.size }, () => (positive ? 0.5 + rng() : rng() - 0.5)),
      w.shape,
    );
  });
  model.setWeights(values);
  tf.dispose(values);
}

describe.skipIf(skipWithoutOrt('export/onnx-writer.test'))('the page-written ONNX model vs tfjs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('$name agrees within 1e-4 in onnxruntime (batch 2)', async ({ spec, size }) => {
    const ort = requireOrt();
    const rng = makeRng(spec.seed ?? 0);
    const r = resolveSpec(spec);
    const model = createNetwork(r);
    perturbBatchNorm(model, rng);
    const file = onnxModel({ ...exportWeights({ model, spec: r }), producerVersion: 'test' });
    const { xFirst, want } = predictCase({ model, size, inChannels: r.inChannels, rng });
    const session = await ort.InferenceSession.create(file);
    const out = (await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', xFirst.dataSync() as Float32Array, xFirst.shape) }))[
      ONNX_OUTPUT
    ];
    await session.release();
    expect([...out.dims]).toEqual(want.shape);
    const got = out.data as Float32Array;
    const ref = want.dataSync();
    let max = 0;
    for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - ref[i]));
    console.log(`${r.kind}${r.batchNorm ? ' (batch norm)' : ''}: max |onnxruntime - tfjs| = ${max.toExponential(2)}`);
    expect(max).toBeLessThan(1e-4);
    // Not a trivial agreement: the classes are not all equal.
    expect(Math.max(...ref) - Math.min(...ref)).toBeGreaterThan(0.01);
    tf.dispose([xFirst, want]);
    model.dispose();
  });

  it('names a weight the index lacks', () => {
    const r = resolveSpec({ kind: 'unet2d', seed: 1 });
    const model = createNetwork(r);
    const { index, bin } = exportWeights({ model, spec: r });
    model.dispose();
    const less = { ...index, weights: index.weights.filter((w) => w.name !== 'bottom_conv1/kernel') };
    expect(() => onnxModel({ index: less, bin, producerVersion: 'test' })).toThrow(
      "ONNX export: the unet2d weights have no 'bottom_conv1/kernel'",
    );
  });
});
