import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../data/rng';
import type { Subject } from '../data/subjects';
import { countParams, createNetwork } from '../networks';
import { CheckpointStore, describeModel, loadModelFiles, parseModelJson, saveModelFiles } from './model-io';
import { predictVolume } from './predict';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small2d = (seed: number, inChannels = 2) => createNetwork({ kind: 'unet2d', inChannels, baseFilters: 2, depth: 1, seed });
const predict = (m: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync());

function randomSubject(dims: [number, number, number], channels: number, seed: number): Subject {
  const rng = createRng(seed);
  const n = dims[0] * dims[1] * dims[2];
  return {
    id: 's',
    dims,
    channels: Array.from({ length: channels }, () => Float32Array.from({ length: n }, () => rng.range(-1, 1))),
    label: new Uint8Array(n),
  };
}

/** Independent reference: one slice at a time, zero-padded to [H, W], channel 1 cropped back. */
function sliceByHand(model: tf.LayersModel, s: Subject, z: number, H: number, W: number): Float32Array {
  const [nx, ny] = s.dims;
  const C = s.channels.length;
  const x = new Float32Array(H * W * C);
  for (let y = 0; y < ny; y++)
    for (let i = 0; i < nx; i++) for (let c = 0; c < C; c++) x[(y * W + i) * C + c] = s.channels[c][i + nx * (y + ny * z)];
  const p = tf.tidy(() => (model.predict(tf.tensor4d(x, [1, H, W, C])) as tf.Tensor).dataSync());
  const out = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++) for (let i = 0; i < nx; i++) out[i + nx * y] = p[(y * W + i) * 2 + 1];
  return out;
}

describe('tfjs model files', () => {
  it('save -> load keeps predictions, the weights file is model.getWeights() in order, and nothing leaks', async () => {
    const model = small2d(3);
    const files = await saveModelFiles({ model, weightsName: 'w.bin', metadata: { modalities: ['T1', 'FLAIR'] } });
    const json = JSON.parse(files.modelJson);
    expect(json.weightsManifest[0].paths).toEqual(['w.bin']);
    const flat = new Float32Array(files.weights.buffer, files.weights.byteOffset, files.weights.byteLength / 4);
    const expected = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expect(Array.from(flat)).toEqual(expected);
    const x = tf.randomNormal([1, 8, 8, 2], 0, 1, 'float32', 5);
    await loadModelFiles(files).then((m) => m.dispose()); // warm-up
    const before = tf.memory().numTensors;
    const loaded = await loadModelFiles(files);
    expect(Array.from(predict(loaded, x))).toEqual(Array.from(predict(model, x)));
    expect(describeModel('c', loaded)).toEqual({
      id: 'c',
      network: 'unet2d',
      inChannels: 2,
      numClasses: 2,
      params: countParams(model),
      modalities: ['T1', 'FLAIR'],
    });
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    x.dispose();
  });

  it('refuses bad model files with clear messages', () => {
    expect(() => parseModelJson('{nope', 0)).toThrow(/not JSON/);
    expect(() => parseModelJson('{"a":1}', 0)).toThrow(/not a tfjs layers model/);
    const json = JSON.stringify({
      modelTopology: {},
      weightsManifest: [{ paths: ['w'], weights: [{ name: 'k', shape: [2, 3], dtype: 'float32' }] }],
    });
    expect(() => parseModelJson(json, 20)).toThrow(/20 bytes, model.json describes 24/);
  });

  it('a checkpoint warm-starts a fresh network and explains a mismatch', async () => {
    const trained = small2d(1);
    const store = new CheckpointStore();
    const info = await store.load({ id: 'ck', ...(await saveModelFiles({ model: trained })) });
    expect(info.network).toBe('unet2d');
    const fresh = small2d(99);
    const x = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 7);
    expect(Array.from(predict(fresh, x))).not.toEqual(Array.from(predict(trained, x)));
    store.applyTo('ck', fresh);
    expect(Array.from(predict(fresh, x))).toEqual(Array.from(predict(trained, x)));
    const oneChannel = small2d(1, 1);
    expect(() => store.applyTo('ck', oneChannel)).toThrow(/takes 2 image channels, the data have 1/);
    const other = createNetwork({ kind: 'twopath2d', inChannels: 2, seed: 1 });
    expect(() => store.applyTo('ck', other)).toThrow(/is a unet2d, the runs use twopath2d/);
    const threeClasses = createNetwork({ kind: 'unet2d', inChannels: 2, numClasses: 3, seed: 1 });
    expect(() => store.applyTo('ck', threeClasses)).toThrow(/predicts 2 classes, the data have 3/);
    threeClasses.dispose();
    expect(() => store.get('nope')).toThrow(/not loaded/);
    store.dispose();
    for (const m of [trained, fresh, oneChannel, other]) m.dispose();
    x.dispose();
  });
});

describe('predictVolume', () => {
  it('2D: every axial slice equals a hand-padded single-slice prediction (odd sizes padded)', async () => {
    const model = small2d(2);
    const s = randomSubject([15, 11, 5], 2, 4);
    const probs = await predictVolume({ model, subject: s, slicesPerBatch: 2 });
    for (let z = 0; z < 5; z++) {
      const ref = sliceByHand(model, s, z, 12, 16);
      const got = probs.subarray(z * 165, (z + 1) * 165);
      ref.forEach((v, i) => {
        expect(got[i]).toBeCloseTo(v, 6);
      });
    }
    model.dispose();
  });

  it('3D: slices come from the slab where they sit farthest from an edge', async () => {
    const model = createNetwork({ kind: 'unet3d', inChannels: 1, baseFilters: 2, depth: 1, seed: 1 });
    const s = randomSubject([8, 8, 40], 1, 5);
    const probs = await predictVolume({ model, subject: s });
    // Slabs of 32 at z 0 and (clamped) 8: slice 0 from the first, slice 39 from the second.
    const slab = (z0: number) => {
      const x = s.channels[0].subarray(z0 * 64, (z0 + 32) * 64);
      return tf.tidy(() => (model.predict(tf.tensor5d(x, [1, 32, 8, 8, 1])) as tf.Tensor).dataSync());
    };
    const a = slab(0);
    const b = slab(8);
    for (let i = 0; i < 64; i++) {
      expect(probs[i]).toBeCloseTo(a[2 * i + 1], 6);
      expect(probs[39 * 64 + i]).toBeCloseTo(b[2 * (31 * 64 + i) + 1], 6);
    }
    model.dispose();
  });
});
