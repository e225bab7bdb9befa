import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams, createNetwork, DEFAULT_SPECS, NETWORKS, nearestValidSize, receptiveField, validSpatialSize } from './index';
import type { NetworkKind, NetworkSpec } from '../../domain/network-spec';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Hand counts: a k^n conv from cin to cout has k^n*cin*cout weights plus cout biases.
const conv = (k: number, n: number, cin: number, cout: number, bias = true) => k ** n * cin * cout + (bias ? cout : 0);

describe('parameter counts against hand counts', () => {
  it('reference net: 2D U-Net, depth 2, 8 base filters, 3 modalities = 29,474', () => {
    const layers = [
      3 * 3 * 3 * 8 + 8, // down0 conv1: 224
      3 * 3 * 8 * 8 + 8, // down0 conv2: 584
      3 * 3 * 8 * 16 + 16, // down1 conv1: 1168
      3 * 3 * 16 * 16 + 16, // down1 conv2: 2320
      3 * 3 * 16 * 32 + 32, // bottom conv1: 4640
      3 * 3 * 32 * 32 + 32, // bottom conv2: 9248
      2 * 2 * 32 * 16 + 16, // up1 transposed conv: 2064
      3 * 3 * 32 * 16 + 16, // up1 conv1 on [skip 16 | up 16]: 4624
      3 * 3 * 16 * 16 + 16, // up1 conv2: 2320
      2 * 2 * 16 * 8 + 8, // up0 transposed conv: 520
      3 * 3 * 16 * 8 + 8, // up0 conv1 on [skip 8 | up 8]: 1160
      3 * 3 * 8 * 8 + 8, // up0 conv2: 584
      8 * 2 + 2, // 1x1 head: 18
    ];
    const hand = layers.reduce((a, b) => a + b, 0);
    expect(hand).toBe(29474);
    const model = createNetwork({ kind: 'unet2d' });
    expect(countParams(model)).toBe(hand);
    expect(countParams(model, { trainableOnly: true })).toBe(hand);
    expect(model.trainableWeights.length).toBe(2 * layers.length);
    model.dispose();
  });

  it('2D U-Net with batch norm: convs lose their bias, each gets 4 BN numbers (2 trainable)', () => {
    const widths = [8, 8, 16, 16, 32, 32, 16, 16, 8, 8];
    const model = createNetwork({ kind: 'unet2d', inChannels: 1, batchNorm: true });
    const noBnNoBias = conv(3, 2, 1, 8, false) + conv(3, 2, 8, 8, false) + conv(3, 2, 8, 16, false) + conv(3, 2, 16, 16, false);
    const rest = conv(3, 2, 16, 32, false) + conv(3, 2, 32, 32, false) + conv(2, 2, 32, 16) + conv(3, 2, 32, 16, false);
    const up =
      conv(3, 2, 16, 16, false) + conv(2, 2, 16, 8) + conv(3, 2, 16, 8, false) + conv(3, 2, 8, 8, false) + conv(1, 2, 8, 2);
    const bnAll = 4 * widths.reduce((a, b) => a + b, 0);
    const bnTrainable = 2 * widths.reduce((a, b) => a + b, 0);
    expect(countParams(model)).toBe(noBnNoBias + rest + up + bnAll);
    expect(countParams(model, { trainableOnly: true })).toBe(noBnNoBias + rest + up + bnTrainable);
    model.dispose();
  });

  it('3D U-Net, depth 2, 4 base filters = 21,578', () => {
    const hand =
      conv(3, 3, 3, 4) +
      conv(3, 3, 4, 4) + // down0: 328 + 436
      conv(3, 3, 4, 8) +
      conv(3, 3, 8, 8) + // down1: 872 + 1736
      conv(3, 3, 8, 16) +
      conv(3, 3, 16, 16) + // bottom: 3472 + 6928
      conv(2, 3, 16, 8) +
      conv(3, 3, 16, 8) +
      conv(3, 3, 8, 8) + // up1: 1032 + 3464 + 1736
      conv(2, 3, 8, 4) +
      conv(3, 3, 8, 4) +
      conv(3, 3, 4, 4) + // up0: 260 + 868 + 436
      conv(1, 3, 4, 2); // head: 10
    expect(hand).toBe(21578);
    const model = createNetwork({ kind: 'unet3d' });
    expect(countParams(model)).toBe(hand);
    model.dispose();
  });

  it('TwoPathCNN, 8 base filters, maxout of 2 = 22,274', () => {
    const hand =
      2 * (7 * 7 * 3 * 8 + 8) + // local 7x7 maxout: 2368
      2 * (5 * 5 * 8 * 8 + 8) + // local 5x5 maxout: 3216
      2 * (13 * 13 * 3 * 16 + 16) + // global 13x13 maxout: 16256
      ((8 + 16) * 16 + 16) + // 1x1 "fully connected": 400
      (16 * 2 + 2); // head: 34
    expect(hand).toBe(22274);
    const model = createNetwork({ kind: 'twopath2d' });
    expect(countParams(model)).toBe(hand);
    model.dispose();
  });

  it('HighResNet, 4 base filters, 2 blocks per dilation = 32,626', () => {
    const block = (cin: number, cout: number) =>
      (cin === cout ? 0 : conv(1, 3, cin, cout)) + conv(3, 3, cin, cout) + conv(3, 3, cout, cout);
    const hand =
      conv(3, 3, 3, 4) + // stem: 328
      block(4, 4) +
      block(4, 4) + // dilation 1: 2 x 872
      block(4, 8) +
      block(8, 8) + // dilation 2: 2648 + 3472
      block(8, 16) +
      block(16, 16) + // dilation 4: 10544 + 13856
      conv(1, 3, 16, 2); // head: 34
    expect(hand).toBe(32626);
    const model = createNetwork({ kind: 'highres3d' });
    expect(countParams(model)).toBe(hand);
    // sizes are configurable: one block per group drops one same-width block from each group
    const small = createNetwork({ kind: 'highres3d', blocks: 1 });
    expect(countParams(small)).toBe(hand - block(4, 4) - block(8, 8) - block(16, 16));
    tf.dispose([model, small].flatMap((m) => m.weights.map((w) => w.read())));
  });
});

const shapes: Record<NetworkKind, number[]> = {
  unet2d: [32, 32],
  twopath2d: [32, 32],
  unet3d: [16, 16, 16],
  highres3d: [12, 12, 12],
};

describe('output: softmax over the classes, same spatial size as the input', () => {
  for (const info of NETWORKS) {
    it(info.id, () => {
      const spec: NetworkSpec = { kind: info.id, inChannels: 2, numClasses: 3, baseFilters: 2 };
      const model = createNetwork(spec);
      const size = shapes[info.id];
      const x = tf.randomNormal([2, ...size, 2], 0, 1, 'float32', 3);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, ...size, 3]);
      const sums = tf.sum(y, -1);
      const data = y.dataSync();
      expect(data.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(tf.max(tf.abs(tf.sub(sums, 1))).dataSync()[0]).toBeLessThan(1e-5);
      // not a constant map: the net looks at its input
      expect(tf.moments(y).variance.dataSync()[0]).toBeGreaterThan(0);
      tf.dispose([x, y, sums]);
      model.dispose();
    });
  }

  it('a fixed inputSize builds a fixed-shape model; an invalid one is refused with the rule', () => {
    const model = createNetwork({ kind: 'unet2d', inputSize: [64, 48] });
    expect(model.inputs[0].shape).toEqual([null, 64, 48, 3]);
    model.dispose();
    expect(() => createNetwork({ kind: 'unet2d', inputSize: [64, 30] })).toThrow(/multiple of 4/);
    expect(() => createNetwork({ kind: 'unet3d', inputSize: [16, 16] })).toThrow(/3 sizes/);
    expect(() => createNetwork({ kind: 'unet2d', depth: 0 })).toThrow(/depth/);
  });
});

describe('valid sizes', () => {
  it('U-Nets need multiples of 2^depth; the others take any size', () => {
    expect(validSpatialSize({ kind: 'unet2d' }, 64)).toBe(true);
    expect(validSpatialSize({ kind: 'unet2d' }, [64, 62])).toBe(false);
    expect(validSpatialSize({ kind: 'unet3d', depth: 3 }, [24, 16, 8])).toBe(true);
    expect(validSpatialSize({ kind: 'unet3d', depth: 3 }, [20, 16, 8])).toBe(false);
    expect(validSpatialSize({ kind: 'twopath2d' }, [51, 63])).toBe(true);
    expect(validSpatialSize({ kind: 'highres3d' }, [13, 7, 5])).toBe(true);
    expect(validSpatialSize({ kind: 'highres3d' }, 0)).toBe(false);
    expect(nearestValidSize({ kind: 'unet2d' }, 62)).toBe(64);
    expect(nearestValidSize({ kind: 'unet2d' }, 57)).toBe(56);
    expect(nearestValidSize({ kind: 'unet2d' }, 58)).toBe(60); // tie goes up
    expect(nearestValidSize({ kind: 'unet2d', depth: 3 }, 3)).toBe(8); // never below the smallest
    expect(nearestValidSize({ kind: 'twopath2d' }, 51)).toBe(51);
  });

  it('every valid size runs (odd sizes through the dilated path)', () => {
    const model = createNetwork({ kind: 'highres3d', baseFilters: 1, blocks: 1 });
    const x = tf.zeros([1, 5, 7, 9, 3]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 5, 7, 9, 2]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('receptive field', () => {
  // The input voxels that can change one output voxel lie inside the stated window; some reach its edge.
  const support = (kind: NetworkKind, size: number, at: number, baseFilters: number) => {
    const model = createNetwork({ kind, inChannels: 1, baseFilters, blocks: 1 });
    const dims = kind.endsWith('3d') ? 3 : 2;
    const x = tf.randomNormal([1, ...new Array(dims).fill(size), 1], 0, 1, 'float32', 9);
    const g = tf.grad((t: tf.Tensor) => {
      const y = model.predict(t) as tf.Tensor;
      return tf.slice(y, [0, ...new Array(dims).fill(at), 1], [1, ...new Array(dims).fill(1), 1]).sum();
    })(x);
    const data = g.dataSync();
    let lo = size;
    let hi = -1;
    // extent along the last spatial axis, over the whole gradient
    data.forEach((v, i) => {
      if (v !== 0) {
        const w = i % size;
        lo = Math.min(lo, w);
        hi = Math.max(hi, w);
      }
    });
    tf.dispose([x, g]);
    model.dispose();
    return { lo, hi, extent: hi - lo + 1 };
  };

  it('2D U-Net (depth 2): 44 px, reached at some alignment', () => {
    const rf = receptiveField({ kind: 'unet2d' });
    expect(rf).toBe(44);
    const extents = [30, 31, 32, 33].map((at) => support('unet2d', 64, at, 8).extent);
    expect(Math.max(...extents)).toBe(rf);
  });

  it('TwoPathCNN: 15 px', () => {
    const rf = receptiveField({ kind: 'twopath2d' });
    expect(rf).toBe(15);
    const s = support('twopath2d', 32, 16, 4);
    expect(s.extent).toBe(rf);
  });

  it('HighResNet (1 block per dilation): 3 + 4*(1+2+4) = 31 voxels', () => {
    const rf = receptiveField({ kind: 'highres3d', blocks: 1 });
    expect(rf).toBe(31);
    const s = support('highres3d', 31, 15, 1);
    expect(s.extent).toBe(rf);
    expect(s.lo).toBe(0);
  });
});

describe('NETWORKS', () => {
  it('registry: each entry builds from its default spec with a default patch that is valid', () => {
    for (const info of NETWORKS) {
      expect(DEFAULT_SPECS[info.id].kind).toBe(info.id);
      expect(validSpatialSize(DEFAULT_SPECS[info.id], info.defaultPatchSize)).toBe(true);
      expect(info.label.length).toBeGreaterThan(0);
      expect(info.description.length).toBeGreaterThan(0);
    }
    expect(new Set(NETWORKS.map((n) => n.id)).size).toBe(4);
  });
});
