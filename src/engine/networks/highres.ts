// HighResNet-style (Li 2017): full resolution throughout, residual blocks of 3x3x3 convs in three
// groups with dilation 1, 2 and 4 (filters b, 2b, 4b), pre-activation, 1x1x1 softmax head.
import * as tf from '@tensorflow/tfjs';
import { NetBuilder } from './builder';
import type { ResolvedSpec } from '../../domain/network-spec';

type Sym = tf.SymbolicTensor;

export const HIGHRES_DILATIONS = [1, 2, 4] as const;
export const HIGHRES_HEAD_GAIN = 0.1;

export function buildHighRes(params: { spec: ResolvedSpec }): tf.LayersModel {
  const { spec } = params;
  const b = new NetBuilder({ spec, dims: 3 });
  const input = b.input({ spec });
  let x = b.convBnRelu(input, { filters: spec.baseFilters, kernel: 3, name: 'stem' });
  let channels = spec.baseFilters;
  HIGHRES_DILATIONS.forEach((dilation, group) => {
    const filters = spec.baseFilters * 2 ** group;
    for (let block = 0; block < spec.blocks; block++) {
      const name = `res${group}_${block}`;
      // A 1x1x1 projection where the width grows, identity elsewhere.
      const shortcut = channels === filters ? x : b.conv(x, { filters, kernel: 1, name: `${name}_proj` });
      let y = preActivate(b, x, `${name}_a`);
      y = b.conv(y, { filters, kernel: 3, dilation, name: `${name}_conv1`, init: 'he', useBias: !spec.batchNorm });
      y = preActivate(b, y, `${name}_b`);
      y = b.conv(y, { filters, kernel: 3, dilation, name: `${name}_conv2`, init: 'he' });
      x = b.add([shortcut, y], `${name}_add`);
      channels = filters;
    }
  });
  x = preActivate(b, x, 'final');
  // Six unnormalised residual blocks leave features of sd ~1.1-1.6 (the U-Nets' are ~0.2-0.3): a glorot head
  // then saturates 31% of the softmax at initialisation, where Dice-type gradients vanish and GDL collapses
  // within a few steps at lr 1e-3 (scripts/highres-collapse.ts). A head at 0.1x starts unsaturated.
  const output = b.softmaxHead(x, { numClasses: spec.numClasses, gain: HIGHRES_HEAD_GAIN });
  return tf.model({ inputs: input, outputs: output, name: spec.kind });
}

function preActivate(b: NetBuilder, x: Sym, name: string): Sym {
  return b.activation(b.batchNorm ? b.bn(x, `${name}_bn`) : x, 'relu', `${name}_relu`);
}

/** Stem 3x3x3 adds 2; each block's two convs of dilation d add 4d. */
export function highResReceptiveField(params: { blocks: number }): number {
  return 1 + 2 + HIGHRES_DILATIONS.reduce((sum, d) => sum + 4 * d * params.blocks, 0);
}
