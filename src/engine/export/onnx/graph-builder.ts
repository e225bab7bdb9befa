// Builds an ONNX graph layer by layer from the browser's weights (tfjs names and channels-last shapes),
// channels-first inside as ONNX's operators want: the same graph as python/models.py.
import type { Attribute, Initializer, OnnxGraph, OnnxNode } from './onnx-proto';

export interface NamedWeight {
  shape: readonly number[];
  data: Float32Array;
}

/** Keras/tfjs batch norm's epsilon. */
const BN_EPSILON = 1e-3;

/** tfjs [...k, a, b] -> [b, a, ...k] (convs: [out, in, ...k]; transposed convs: [in, out, ...k]). */
export function kernelToOnnx(w: NamedWeight): { dims: number[]; data: Float32Array } {
  const shape = [...w.shape];
  const dims = shape.length - 2;
  const [a, b] = shape.slice(dims);
  const space = shape.slice(0, dims);
  const voxels = space.reduce((x, y) => x * y, 1);
  const out = new Float32Array(w.data.length);
  for (let s = 0; s < voxels; s++)
    for (let i = 0; i < a; i++) for (let o = 0; o < b; o++) out[(o * a + i) * voxels + s] = w.data[(s * a + i) * b + o];
  return { dims: [b, a, ...space], data: out };
}

export class GraphBuilder {
  private nodes: OnnxNode[] = [];
  private initializers: Initializer[] = [];
  private count = 0;

  constructor(
    private readonly dims: 2 | 3,
    private readonly weight: (name: string) => NamedWeight,
  ) {}

  private fresh(op: string): string {
    return `${op.toLowerCase()}_${this.count++}`;
  }

  private add(op: string, inputs: string[], attributes?: Attribute[], name = this.fresh(op)): string {
    const output = `${name}:0`;
    this.nodes.push({ op, inputs, outputs: [output], name, ...(attributes ? { attributes } : {}) });
    return output;
  }

  private initializer(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  private has(name: string): boolean {
    try {
      this.weight(name);
      return true;
    } catch {
      return false;
    }
  }

  private vector(name: string): string {
    const w = this.weight(name);
    return this.initializer(name, [w.data.length], w.data);
  }

  /** 'same' conv, stride 1: odd kernels padded by dilation * (k - 1) / 2 on both sides. */
  conv(layer: string, x: string, dilation = 1): string {
    const k = kernelToOnnx(this.weight(`${layer}/kernel`));
    const kernel = k.dims.slice(2);
    const pads = kernel.map((s) => dilation * (s >> 1));
    const inputs = [x, this.initializer(`${layer}/kernel`, k.dims, k.data)];
    if (this.has(`${layer}/bias`)) inputs.push(this.vector(`${layer}/bias`));
    return this.add(
      'Conv',
      inputs,
      [
        { name: 'kernel_shape', ints: kernel },
        { name: 'dilations', ints: kernel.map(() => dilation) },
        { name: 'pads', ints: [...pads, ...pads] },
        { name: 'strides', ints: kernel.map(() => 1) },
      ],
      layer,
    );
  }

  /** Transposed conv, kernel 2, stride 2 (exactly twice the size). */
  upConv(layer: string, x: string): string {
    const k = kernelToOnnx(this.weight(`${layer}/kernel`));
    const two = k.dims.slice(2).map(() => 2);
    const inputs = [x, this.initializer(`${layer}/kernel`, k.dims, k.data), this.vector(`${layer}/bias`)];
    return this.add(
      'ConvTranspose',
      inputs,
      [
        { name: 'kernel_shape', ints: two },
        { name: 'strides', ints: two },
      ],
      layer,
    );
  }

  /** Inference batch norm with the moving statistics. */
  batchNorm(layer: string, x: string): string {
    const inputs = [x, ...['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => this.vector(`${layer}/${w}`))];
    return this.add('BatchNormalization', inputs, [{ name: 'epsilon', float: BN_EPSILON }], layer);
  }

  /** TF 'same' max-pool: (size - 1) / 2 padding before, the rest after (ONNX pads never win a max). */
  maxPool(x: string, size: number, stride: number): string {
    const total = stride === size ? 0 : size - 1;
    const each = (v: number) => Array<number>(this.dims).fill(v);
    return this.add(
      'MaxPool',
      [x],
      [
        { name: 'kernel_shape', ints: each(size) },
        { name: 'strides', ints: each(stride) },
        { name: 'pads', ints: [...each(total >> 1), ...each(total - (total >> 1))] },
      ],
    );
  }

  relu(x: string): string {
    return this.add('Relu', [x]);
  }

  max(xs: string[]): string {
    return xs.length === 1 ? xs[0] : this.add('Max', xs);
  }

  sum(a: string, b: string): string {
    return this.add('Add', [a, b]);
  }

  concat(xs: string[]): string {
    return this.add('Concat', xs, [{ name: 'axis', int: 1 }]);
  }

  softmax(x: string, output: string): string {
    this.nodes.push({ op: 'Softmax', inputs: [x], outputs: [output], name: 'softmax', attributes: [{ name: 'axis', int: 1 }] });
    return output;
  }

  graph(p: { name: string; input: string; output: string; inChannels: number; classes: number }): OnnxGraph {
    const space = Array.from({ length: this.dims }, (_, k) => `s${k}`);
    return {
      name: p.name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: [{ name: p.input, shape: ['batch', p.inChannels, ...space] }],
      outputs: [{ name: p.output, shape: ['batch', p.classes, ...space] }],
    };
  }
}
