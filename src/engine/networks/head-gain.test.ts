// The softmax head's gain: the same seeded draws scaled, and HighResNet starting with an unsaturated
// softmax on a phantom patch (a plain glorot head saturates 2-10% of it here, 31% of a training batch,
// and GDL collapsed: scripts/highres-collapse.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/backend';
import { resolveSpec } from '../../domain/network-spec';
import { NetBuilder } from './builder';
import { HIGHRES_HEAD_GAIN } from './highres';
import { generatePhantom } from '../data/phantom';
import { subjectFromPhantom } from '../data/subjects';
import { createNetwork } from './index';

beforeAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

function headKernel(gain: number | undefined): Float32Array {
  const b = new NetBuilder({ spec: resolveSpec({ kind: 'unet2d', seed: 3 }), dims: 2 });
  const input = tf.input({ shape: [8, 8, 5] });
  const out = b.softmaxHead(input, { numClasses: 2, gain });
  const model = tf.model({ inputs: input, outputs: out });
  const k = model.getLayer('head').getWeights()[0].dataSync() as Float32Array;
  model.dispose();
  return k;
}

/** A 24^3 patch of a phantom's three z-scored modalities from the brain's centre, as training sees them. */
function phantomPatch(): tf.Tensor {
  const s = subjectFromPhantom(generatePhantom({ seed: 1000, shape: [48, 48, 36] }));
  const [nx, ny] = s.dims;
  const c = s.channels.length;
  const out = new Float32Array(24 * 24 * 24 * c);
  for (let z = 0, j = 0; z < 24; z++)
    for (let y = 0; y < 24; y++)
      for (let x = 0; x < 24; x++) for (let k = 0; k < c; k++, j++) out[j] = s.channels[k][x + 12 + nx * (y + 12 + ny * (z + 6))];
  return tf.tensor(out, [1, 24, 24, 24, c]);
}

/** Share of the lesion channel's softmax within 1e-4 of 0 or 1. */
function saturated(model: tf.LayersModel, x: tf.Tensor): number {
  return tf.tidy(() => {
    const p = model.predict(x) as tf.Tensor;
    const lesion = tf.split(p, 2, -1)[1];
    return lesion
      .less(1e-4)
      .logicalOr(lesion.greater(1 - 1e-4))
      .mean()
      .dataSync()[0];
  });
}

describe('softmax head gain', () => {
  it('scales the same glorot draws', () => {
    const plain = headKernel(undefined);
    const small = headKernel(0.1);
    expect(small.length).toBe(plain.length);
    for (let i = 0; i < plain.length; i++) expect(small[i]).toBeCloseTo(0.1 * plain[i], 6);
    expect(Math.max(...plain.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('HighResNet starts unsaturated; with the plain head it would not', () => {
    const x = phantomPatch();
    for (const seed of [1, 2, 3]) {
      const model = createNetwork({ kind: 'highres3d', seed });
      const now = saturated(model, x);
      expect(now, `seed ${seed}`).toBeLessThan(0.001);
      const head = model.getLayer('head');
      const [k, bias] = head.getWeights();
      head.setWeights([k.div(HIGHRES_HEAD_GAIN), bias]);
      const plain = saturated(model, x);
      expect(plain, `seed ${seed}, plain head`).toBeGreaterThan(0.01);
      model.dispose();
    }
    x.dispose();
  });
});
