import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork, NETWORKS, trainableVariables } from './index';
import type { NetworkKind, NetworkSpec } from '../../domain/network-spec';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const toySize: Record<NetworkKind, number[]> = { unet2d: [16, 16], twopath2d: [16, 16], unet3d: [8, 8, 8], highres3d: [8, 8, 8] };
const smallSpec = (kind: NetworkKind, extra: Partial<NetworkSpec> = {}): NetworkSpec => ({
  kind,
  inChannels: 2,
  baseFilters: 4,
  ...extra,
});

/** A seeded toy batch: random image and a one-hot label that depends on it (foreground where channel 0 > 0.5). */
function toyBatch(kind: NetworkKind): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, ...toySize[kind], 2], 0, 1, 'float32', 21);
    const fg = tf.cast(tf.greater(tf.slice(x, new Array(x.rank).fill(0), [...x.shape.slice(0, -1), 1]), 0.5), 'float32');
    return { x, y: tf.concat([tf.sub(1, fg), fg], -1) };
  });
}

const crossEntropy = (y: tf.Tensor, p: tf.Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1)));

const weightsOf = (m: tf.LayersModel) => m.weights.map((w) => ({ name: w.originalName, data: w.read().dataSync().slice() }));

describe('seeded initial weights', () => {
  for (const info of NETWORKS) {
    it(`${info.id}: same seed -> identical weights, other seed -> different, layers of one net differ`, () => {
      const [a, b, c] = [7, 7, 8].map((seed) => createNetwork(smallSpec(info.id, { seed })));
      const [wa, wb, wc] = [a, b, c].map(weightsOf);
      expect(wa.length).toBe(wb.length);
      for (const [i, w] of wa.entries()) expect(Array.from(w.data)).toEqual(Array.from(wb[i].data));
      // every kernel (biases start at zero) is redrawn by another seed
      const kernels = wa.map((w, i) => ({ i, w })).filter(({ w }) => /kernel/.test(w.name));
      expect(kernels.length).toBeGreaterThan(2);
      for (const { i, w } of kernels) expect(Array.from(w.data)).not.toEqual(Array.from(wc[i].data));
      // distinct derived seeds: no two kernels start with the same values
      const heads = new Set(kernels.map(({ w }) => w.data.slice(0, 4).join(',')));
      expect(heads.size).toBe(kernels.length);
      for (const m of [a, b, c]) m.dispose();
    });
  }
});

describe('one gradient step trains every layer', () => {
  const cases: [string, NetworkSpec][] = [
    ...NETWORKS.map((n): [string, NetworkSpec] => [n.id, smallSpec(n.id)]),
    ['unet2d with batch norm', smallSpec('unet2d', { batchNorm: true })],
    ['unet3d with batch norm', smallSpec('unet3d', { batchNorm: true })],
    ['twopath2d with batch norm', smallSpec('twopath2d', { batchNorm: true })],
    ['highres3d with batch norm', smallSpec('highres3d', { batchNorm: true, baseFilters: 2, blocks: 1 })],
  ];
  for (const [label, spec] of cases) {
    it(label, () => {
      const model = createNetwork(spec);
      const { x, y } = toyBatch(spec.kind);
      const vars = trainableVariables(model);
      const lossFn = () => crossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
      const before = vars.map((v) => v.dataSync().slice());
      const { value, grads } = tf.variableGrads(lossFn, vars);
      // every trainable tensor gets a nonzero gradient: each layer (the dilated ones too) is on the graph
      for (const v of vars) expect(tf.max(tf.abs(grads[v.name])).dataSync()[0], v.name).toBeGreaterThan(0);
      const loss0 = value.dataSync()[0];
      const optimizer = tf.train.sgd(0.01);
      optimizer.applyGradients(grads);
      for (const [i, v] of vars.entries()) expect(Array.from(v.dataSync()), v.name).not.toEqual(Array.from(before[i]));
      const loss1 = tf.tidy(() => lossFn().dataSync()[0]);
      expect(Number.isFinite(loss0)).toBe(true);
      expect(loss1).toBeLessThan(loss0);
      tf.dispose([x, y, value, ...Object.values(grads)]);
      optimizer.dispose();
      model.dispose();
    });
  }
});

describe('save to memory and reload', () => {
  const save = async (model: tf.LayersModel) => {
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return artifacts!;
  };
  const cases: [string, NetworkSpec][] = [
    ...NETWORKS.map((n): [string, NetworkSpec] => [n.id, smallSpec(n.id)]),
    ['highres3d with batch norm (custom layer + moving statistics)', smallSpec('highres3d', { batchNorm: true, baseFilters: 2 })],
  ];
  for (const [label, spec] of cases) {
    it(`${label}: identical outputs`, async () => {
      const model = createNetwork(spec);
      const { x, y } = toyBatch(spec.kind);
      // move the weights (and BN statistics) away from their seeded start, so loading must restore them
      const optimizer = tf.train.sgd(0.05);
      optimizer.minimize(
        () => crossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        false,
        trainableVariables(model),
      );
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(await save(model)));
      const [p0, p1] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
      expect(Array.from(p1.dataSync())).toEqual(Array.from(p0.dataSync()));
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      tf.dispose([x, y, p0, p1]);
      optimizer.dispose();
      model.dispose();
      loaded.dispose();
    });
  }
});

describe('no tensor leaks (after warm-up)', () => {
  for (const info of NETWORKS) {
    it(`${info.id}: forward pass and gradient step inside tf.tidy`, () => {
      const model = createNetwork(smallSpec(info.id));
      const { x, y } = toyBatch(info.id);
      const optimizer = tf.train.adam(1e-3);
      const vars = trainableVariables(model);
      const forward = () => tf.tidy(() => tf.sum(model.predict(x) as tf.Tensor));
      const step = () =>
        tf.tidy(
          () =>
            optimizer.minimize(() => crossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true, vars)!,
        );
      forward().dispose();
      step().dispose();
      const before = tf.memory().numTensors;
      forward().dispose();
      step().dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    });
  }
});
