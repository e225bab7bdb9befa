// U-Net (Ronneberger 2015) in 2D or 3D: two 3x3 convs per step, max-pool down, transposed conv up, skips.
import * as tf from '@tensorflow/tfjs';
import { NetBuilder } from './builder';
import type { ResolvedSpec } from '../../domain/network-spec';

export function buildUNet(params: { spec: ResolvedSpec; dims: 2 | 3 }): tf.LayersModel {
  const { spec, dims } = params;
  const b = new NetBuilder({ spec, dims });
  const input = b.input({ spec });
  const step = (x: tf.SymbolicTensor, filters: number, name: string) =>
    b.convBnRelu(b.convBnRelu(x, { filters, kernel: 3, name: `${name}_conv1` }), { filters, kernel: 3, name: `${name}_conv2` });

  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let level = 0; level < spec.depth; level++) {
    x = step(x, spec.baseFilters * 2 ** level, `down${level}`);
    skips.push(x);
    x = b.maxPool(x, { size: 2, strides: 2, name: `down${level}_pool` });
  }
  x = step(x, spec.baseFilters * 2 ** spec.depth, 'bottom');
  for (let level = spec.depth - 1; level >= 0; level--) {
    const filters = spec.baseFilters * 2 ** level;
    const up = b.upConv(x, { filters, name: `up${level}_upconv` });
    x = step(b.concat([skips[level], up], `up${level}_concat`), filters, `up${level}`);
  }
  const output = b.softmaxHead(x, { numClasses: spec.numClasses });
  return tf.model({ inputs: input, outputs: output, name: spec.kind });
}

/** Receptive field (voxels per axis) of the deepest path: 3x3 convs add 2 steps, pools double the step. */
export function unetReceptiveField(params: { depth: number }): number {
  let rf = 1;
  let jump = 1;
  for (let level = 0; level < params.depth; level++) {
    rf += 4 * jump + jump;
    jump *= 2;
  }
  rf += 4 * jump;
  for (let level = 0; level < params.depth; level++) {
    jump /= 2;
    rf += 4 * jump;
  }
  return rf;
}
