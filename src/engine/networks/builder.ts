// Shared layer helpers: one seeded initializer per layer, the same code for 2D and 3D.
import * as tf from '@tensorflow/tfjs';
import { ChannelBatchNorm } from './batch-norm';
import { DilatedConv, type Initializer, seededInitializer } from './dilated-conv';
import { UpConv } from './up-conv';
import { deriveSeed, type ResolvedSpec } from '../../domain/network-spec';

type Sym = tf.SymbolicTensor;

export interface ConvParams {
  filters: number;
  kernel: number;
  name: string;
  activation?: 'relu' | 'linear' | 'softmax';
  dilation?: number;
  /** glorot for linear/maxout/softmax layers, he for ReLU layers. */
  init?: 'he' | 'glorot';
  /** Multiplies the initial kernel (the same draws, scaled): < 1 starts the layer's outputs small. */
  gain?: number;
  useBias?: boolean;
}

/** Builds layers for one net; every weighted layer draws the next derived seed. */
export class NetBuilder {
  private seedIndex = 0;
  readonly dims: 2 | 3;
  readonly batchNorm: boolean;
  private readonly seed: number;

  constructor(params: { spec: ResolvedSpec; dims: 2 | 3 }) {
    this.dims = params.dims;
    this.batchNorm = params.spec.batchNorm;
    this.seed = params.spec.seed;
  }

  input(params: { spec: ResolvedSpec }): Sym {
    const spatial = params.spec.inputSize ?? new Array<null>(this.dims).fill(null);
    return tf.input({ shape: [...spatial, params.spec.inChannels], name: 'input' });
  }

  private nextSeed(): number {
    return deriveSeed(this.seed, this.seedIndex++);
  }

  initializer(kind: 'he' | 'glorot'): Initializer {
    return seededInitializer({ kind, seed: this.nextSeed() });
  }

  conv(x: Sym, p: ConvParams): Sym {
    const activation = p.activation ?? 'linear';
    const init = p.init ?? (activation === 'relu' ? 'he' : 'glorot');
    const useBias = p.useBias ?? true;
    if ((p.dilation ?? 1) > 1) {
      const { filters, kernel: kernelSize, dilation, name } = p;
      const layer = new DilatedConv({
        filters,
        kernelSize,
        dilation: dilation!,
        rank: this.dims,
        useBias,
        init,
        seed: this.nextSeed(),
        name,
      });
      const y = layer.apply(x) as Sym;
      return activation === 'linear' ? y : this.activation(y, activation, `${p.name}_act`);
    }
    const gain = p.gain ?? 1;
    const kernelInitializer =
      gain === 1
        ? this.initializer(init)
        : tf.initializers.varianceScaling({
            scale: gain * gain * (init === 'he' ? 2 : 1),
            mode: init === 'he' ? 'fanIn' : 'fanAvg',
            distribution: init === 'he' ? 'normal' : 'uniform',
            seed: this.nextSeed(),
          });
    const args = { filters: p.filters, kernelSize: p.kernel, padding: 'same' as const, activation, kernelInitializer, useBias };
    const layer = this.dims === 2 ? tf.layers.conv2d({ ...args, name: p.name }) : tf.layers.conv3d({ ...args, name: p.name });
    return layer.apply(x) as Sym;
  }

  /** conv -> [batch norm] -> ReLU; the conv drops its bias when batch norm follows. */
  convBnRelu(x: Sym, p: { filters: number; kernel: number; name: string; dilation?: number }): Sym {
    if (!this.batchNorm) return this.conv(x, { ...p, activation: 'relu' });
    const y = this.conv(x, { ...p, activation: 'linear', init: 'he', useBias: false });
    return this.activation(this.bn(y, `${p.name}_bn`), 'relu', `${p.name}_relu`);
  }

  /** tfjs-layers' batch norm stops at rank 4; 3D nets use ChannelBatchNorm (same maths and weights). */
  bn(x: Sym, name: string): Sym {
    const layer = this.dims === 2 ? tf.layers.batchNormalization({ axis: -1, name }) : new ChannelBatchNorm({ name });
    return layer.apply(x) as Sym;
  }

  activation(x: Sym, activation: 'relu' | 'softmax', name: string): Sym {
    return tf.layers.activation({ activation, name }).apply(x) as Sym;
  }

  maxPool(x: Sym, p: { size: number; strides: number; name: string }): Sym {
    const args = { poolSize: p.size, strides: p.strides, padding: 'same' as const, name: p.name };
    return (this.dims === 2 ? tf.layers.maxPooling2d(args) : tf.layers.maxPooling3d(args)).apply(x) as Sym;
  }

  /** Learned 2x upsampling: kernel 2, stride 2 (each output voxel sees exactly one input voxel).
   * 3D uses UpConv: tfjs 4.22 cannot differentiate conv3dTranspose. */
  upConv(x: Sym, p: { filters: number; name: string }): Sym {
    if (this.dims === 3) return new UpConv({ filters: p.filters, rank: 3, seed: this.nextSeed(), name: p.name }).apply(x) as Sym;
    const kernelInitializer = this.initializer('glorot');
    const args = { filters: p.filters, kernelSize: 2, strides: 2, padding: 'same' as const, kernelInitializer, name: p.name };
    return tf.layers.conv2dTranspose(args).apply(x) as Sym;
  }

  concat(xs: Sym[], name: string): Sym {
    return tf.layers.concatenate({ axis: -1, name }).apply(xs) as Sym;
  }

  add(xs: Sym[], name: string): Sym {
    return tf.layers.add({ name }).apply(xs) as Sym;
  }

  maximum(xs: Sym[], name: string): Sym {
    return tf.layers.maximum({ name }).apply(xs) as Sym;
  }

  /** 1x1 conv to numClasses, then softmax over the channel axis. */
  /** 1x1 conv to class scores with a softmax; `gain` < 1 starts the softmax nearer uniform. */
  softmaxHead(x: Sym, p: { numClasses: number; gain?: number }): Sym {
    return this.conv(x, { filters: p.numClasses, kernel: 1, name: 'head', activation: 'softmax', init: 'glorot', gain: p.gain });
  }
}
