// Batch norm over every axis but the last, for any rank: tfjs-layers' BatchNormalization refuses
// rank-5 tensors ("not implemented for array of rank 5"), so the 3D nets use this one. Same weights
// (gamma, beta, moving_mean, moving_variance), defaults and update rule as tfjs/Keras.
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

export interface ChannelBatchNormArgs {
  momentum?: number;
  epsilon?: number;
}

export class ChannelBatchNorm extends tf.layers.Layer {
  static readonly className = 'ChannelBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;
  private movingMean?: LayerVariable;
  private movingVariance?: LayerVariable;

  constructor(args: ChannelBatchNormArgs & LayerArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (c == null) throw new Error('ChannelBatchNorm: the channel axis must be known');
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      let mean: tf.Tensor = this.movingMean!.read();
      let variance: tf.Tensor = this.movingVariance!.read();
      if (kwargs?.training === true) {
        const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
        ({ mean, variance } = tf.moments(x, axes));
        // moving = moving - (moving - batch) * (1 - momentum), as tfjs-layers does it
        for (const [v, batch] of [
          [this.movingMean!, mean],
          [this.movingVariance!, variance],
        ] as const) {
          v.write(tf.sub(v.read(), tf.mul(tf.sub(v.read(), batch), 1 - this.momentum)));
        }
      }
      const scale = tf.mul(this.gamma!.read(), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(ChannelBatchNorm);
