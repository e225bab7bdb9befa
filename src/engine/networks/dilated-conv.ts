// Dilated convolution that trains: tfjs 4.22 refuses gradients of conv2d/conv3d with dilation > 1, so
// the volume is split into dilation^n phase sub-volumes (space-to-batch), convolved undilated, and put back.
// Only reshape/transpose of rank 4 are used: WebGPU's spaceToBatchND refuses rank > 4 and WebGL/WebGPU
// transposes stop at rank 6, so tf.spaceToBatchND on [B, D, H, W, C] would not run on the GPU backends.
import * as tf from '@tensorflow/tfjs';

export type Initializer = ReturnType<typeof tf.initializers.heNormal>;

/** Seeded kernel initializer: he for ReLU layers, glorot for linear/softmax ones. */
export function seededInitializer(params: { kind: 'he' | 'glorot'; seed: number }): Initializer {
  const { kind, seed } = params;
  return kind === 'he' ? tf.initializers.heNormal({ seed }) : tf.initializers.glorotUniform({ seed });
}

/** Moves every dilation-th voxel of each spatial axis into the batch: [B, ...s, C] -> [B d^n, ...s/d, C]. */
export function spaceToBatch(params: { x: tf.Tensor; dilation: number }): tf.Tensor {
  const { dilation: d } = params;
  let x = params.x;
  for (let axis = 1; axis < x.rank - 1; axis++) {
    const shape = x.shape;
    if (shape[axis] % d !== 0) throw new Error(`spaceToBatch: axis ${axis} (${shape[axis]}) is not a multiple of ${d}`);
    const before = shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const after = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const l = shape[axis] / d;
    // position l*d + r goes to phase r: [B*P, L, d, Q] -> [d, B*P, L, Q]
    const t = x.reshape([before, l, d, after]).transpose([2, 0, 1, 3]);
    const next = shape.slice();
    next[0] *= d;
    next[axis] = l;
    x = t.reshape(next);
  }
  return x;
}

/** Inverse of spaceToBatch (axes undone in reverse order). */
export function batchToSpace(params: { x: tf.Tensor; dilation: number }): tf.Tensor {
  const { dilation: d } = params;
  let x = params.x;
  for (let axis = x.rank - 2; axis >= 1; axis--) {
    const shape = x.shape;
    const batch = shape[0] / d;
    const before = batch * shape.slice(1, axis).reduce((a, b) => a * b, 1);
    const after = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const t = x.reshape([d, before, shape[axis], after]).transpose([1, 2, 0, 3]);
    const next = shape.slice();
    next[0] = batch;
    next[axis] *= d;
    x = t.reshape(next);
  }
  return x;
}

/** 'same'-padded, stride-1 dilated conv over 2 or 3 spatial axes; equals tf.conv2d/conv3d with dilations. */
export function dilatedConv(params: { x: tf.Tensor; kernel: tf.Tensor; bias?: tf.Tensor; dilation: number }): tf.Tensor {
  const { x, kernel, bias, dilation: d } = params;
  const spatialRank = x.rank - 2;
  if (spatialRank !== 2 && spatialRank !== 3) throw new Error(`dilatedConv: expects 2 or 3 spatial axes, got shape [${x.shape}]`);
  return tf.tidy(() => {
    const conv = (t: tf.Tensor, dil: number) =>
      spatialRank === 2
        ? tf.conv2d(t as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same', 'NHWC', dil)
        : tf.conv3d(t as tf.Tensor5D, kernel as tf.Tensor5D, 1, 'same', 'NDHWC', dil);
    let y: tf.Tensor;
    if (d === 1) {
      y = conv(x, 1);
    } else {
      const spatial = x.shape.slice(1, -1);
      // Zero-pad each axis at the end to a multiple of d: the padded voxels play the role of 'same' padding.
      const padded = spatial.map((s) => Math.ceil(s / d) * d);
      const xp = tf.pad(x, [[0, 0], ...spatial.map((s, i): [number, number] => [0, padded[i] - s]), [0, 0]]);
      const yp = batchToSpace({ x: conv(spaceToBatch({ x: xp, dilation: d }), 1), dilation: d });
      y = padded.every((p, i) => p === spatial[i]) ? yp : tf.slice(yp, new Array(x.rank).fill(0), [x.shape[0], ...spatial, -1]);
    }
    return bias ? tf.add(y, bias) : y;
  });
}

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface DilatedConvArgs {
  filters: number;
  kernelSize: number;
  dilation: number;
  /** Spatial axes: 2 (NHWC) or 3 (NDHWC). */
  rank: 2 | 3;
  useBias?: boolean;
  init?: 'he' | 'glorot';
  seed?: number;
}

/** A 'same' dilated conv layer that trains on every backend; saved and loaded in the tfjs layers format. */
export class DilatedConv extends tf.layers.Layer {
  static readonly className = 'DilatedConv';
  readonly args: Required<DilatedConvArgs>;
  private kernel?: LayerVariable;
  private bias?: LayerVariable;

  constructor(args: DilatedConvArgs & LayerArgs) {
    super(args);
    const { filters, kernelSize, dilation, rank, useBias = true, init = 'he', seed = 0 } = args;
    this.args = { filters, kernelSize, dilation, rank, useBias, init, seed };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inChannels = shape[shape.length - 1];
    if (inChannels == null) throw new Error('DilatedConv: the channel axis must be known');
    const { filters, kernelSize: k, rank, useBias, init, seed } = this.args;
    const kernelShape = [...new Array<number>(rank).fill(k), inChannels, filters];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', seededInitializer({ kind: init, seed }));
    if (useBias) this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros());
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return dilatedConv({ x, kernel: this.kernel!.read(), bias: this.bias?.read(), dilation: this.args.dilation });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

tf.serialization.registerClass(DilatedConv);
