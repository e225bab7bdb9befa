// TwoPathCNN (Havaei 2017) made fully convolutional and shape-preserving: a local path (7x7 then 5x5
// maxout convs with stride-1 max-pools) beside a global path (one 13x13 maxout conv), concatenated,
// then 1x1 convs standing in for the fully connected layers.
import * as tf from '@tensorflow/tfjs';
import { NetBuilder } from './builder';
import type { ResolvedSpec } from '../../domain/network-spec';

type Sym = tf.SymbolicTensor;

/** Layer sizes from baseFilters b: local paths b, global path 2b, hidden 1x1 layer 2b. */
export function twoPathWidths(params: { baseFilters: number }): { local: number; global: number; hidden: number } {
  const b = params.baseFilters;
  return { local: b, global: 2 * b, hidden: 2 * b };
}

export function buildTwoPath(params: { spec: ResolvedSpec }): tf.LayersModel {
  const { spec } = params;
  const b = new NetBuilder({ spec, dims: 2 });
  const w = twoPathWidths(spec);
  // Maxout: the element-wise max of `pieces` linear convs.
  const maxout = (x: Sym, filters: number, kernel: number, name: string): Sym => {
    const pieces = Array.from({ length: spec.maxoutPieces }, (_, i) => b.conv(x, { filters, kernel, name: `${name}_piece${i}` }));
    const y = pieces.length === 1 ? pieces[0] : b.maximum(pieces, `${name}_maxout`);
    return spec.batchNorm ? b.bn(y, `${name}_bn`) : y;
  };
  const input = b.input({ spec });
  let local = maxout(input, w.local, 7, 'local1');
  local = b.maxPool(local, { size: 4, strides: 1, name: 'local1_pool' });
  local = maxout(local, w.local, 5, 'local2');
  local = b.maxPool(local, { size: 2, strides: 1, name: 'local2_pool' });
  let global = maxout(input, w.global, 13, 'global');
  global = b.maxPool(global, { size: 2, strides: 1, name: 'global_pool' });
  const joined = b.concat([local, global], 'concat');
  const hidden = b.convBnRelu(joined, { filters: w.hidden, kernel: 1, name: 'fc' });
  const output = b.softmaxHead(hidden, { numClasses: spec.numClasses });
  return tf.model({ inputs: input, outputs: output, name: spec.kind });
}

/** Local path 7 + 3 (pool 4) + 4 (5x5) + 1 (pool 2) = 15; global 13 + 1 = 14. */
export function twoPathReceptiveField(): number {
  return Math.max(7 + 3 + 4 + 1, 13 + 1);
}
