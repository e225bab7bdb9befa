// Learned 2x upsampling equal to a transposed conv with kernel 2 and stride 2 (tf.layers.conv3dTranspose),
// built from matMul + reshape + rank-4 transposes because tfjs 4.22 has no gradient for conv3dTranspose
// (Conv3DBackpropInputV2). Each input voxel emits one 2x2(x2) block of outputs: a 1x1 conv to 2^n*F
// channels, then a depth-to-space shuffle one axis at a time.
import * as tf from '@tensorflow/tfjs';
import { seededInitializer } from './dilated-conv';

/** [B, ...s, 2^n * F] (channels ordered axis0, axis1, ..., F) -> [B, ...2s, F]. */
export function depthToSpace2x(params: { x: tf.Tensor }): tf.Tensor {
  let x = params.x;
  const n = x.rank - 2;
  for (let axis = 1; axis <= n; axis++) {
    const shape = x.shape;
    const before = shape.slice(0, axis + 1).reduce((a, b) => a * b, 1);
    const after = shape.slice(axis + 1, -1).reduce((a, b) => a * b, 1);
    const rest = shape[shape.length - 1] / 2;
    // [B*s0..s_axis, s_axis+1.., 2, rest] -> [B*s0..s_axis, 2, s_axis+1.., rest]: the 2 lands beside its axis
    const t = x.reshape([before, after, 2, rest]).transpose([0, 2, 1, 3]);
    const next = shape.slice();
    next[axis] *= 2;
    next[next.length - 1] = rest;
    x = t.reshape(next);
  }
  return x;
}

/** Transposed conv, kernel 2, stride 2, 'same'; kernel laid out like tfjs's: [2, 2, (2), outC, inC]. */
export function upConv2x(params: { x: tf.Tensor; kernel: tf.Tensor; bias?: tf.Tensor }): tf.Tensor {
  const { x, kernel, bias } = params;
  const n = x.rank - 2;
  return tf.tidy(() => {
    const inC = x.shape[x.rank - 1];
    const outC = kernel.shape[n];
    // [2.., outC, inC] -> [inC, 2.., outC] -> [inC, 2^n * outC]
    const w = kernel.transpose([n + 1, ...Array.from({ length: n + 1 }, (_, i) => i)]).reshape([inC, 2 ** n * outC]);
    const y = tf.matMul(x.reshape([-1, inC]), w).reshape([...x.shape.slice(0, -1), 2 ** n * outC]);
    const up = depthToSpace2x({ x: y });
    return bias ? tf.add(up, bias) : up;
  });
}

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

export interface UpConvArgs {
  filters: number;
  rank: 2 | 3;
  seed?: number;
}

/** Layer form of upConv2x: same weights and output as conv{2,3}dTranspose({kernelSize: 2, strides: 2}). */
export class UpConv extends tf.layers.Layer {
  static readonly className = 'UpConv';
  readonly args: Required<UpConvArgs>;
  private kernel?: LayerVariable;
  private bias?: LayerVariable;

  constructor(args: UpConvArgs & LayerArgs) {
    super(args);
    this.args = { filters: args.filters, rank: args.rank, seed: args.seed ?? 0 };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inC = shape[shape.length - 1];
    if (inC == null) throw new Error('UpConv: the channel axis must be known');
    const { filters, rank, seed } = this.args;
    const kernelShape = [...new Array<number>(rank).fill(2), filters, inC];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', seededInitializer({ kind: 'glorot', seed }));
    this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros());
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], ...shape.slice(1, -1).map((s) => (s == null ? null : 2 * s)), this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return upConv2x({ x, kernel: this.kernel!.read(), bias: this.bias!.read() });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}

tf.serialization.registerClass(UpConv);
