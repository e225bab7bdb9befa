// Networks: one registry, one factory. Train with `model.apply(x, { training: true })` (batch norm uses
// batch statistics) and optimise `trainableVariables(model)`; predict with `model.predict(x)`.
import type * as tf from '@tensorflow/tfjs';
import { buildHighRes, highResReceptiveField } from './highres';
import { type NetworkSpec, resolveSpec } from '../../domain/network-spec';
import { buildTwoPath, twoPathReceptiveField } from './twopath';
import { buildUNet, unetReceptiveField } from './unet';

export { ChannelBatchNorm } from './batch-norm';
export { DilatedConv, dilatedConv } from './dilated-conv';
export { UpConv, upConv2x } from './up-conv';
export type { NetworkKind, NetworkSpec, ResolvedSpec } from '../../domain/network-spec';
export {
  DEFAULT_SPECS,
  nearestValidSize,
  resolveSpec,
  sizeMultiple,
  sizeRule,
  validSpatialSize,
} from '../../domain/network-spec';
export { NETWORK_IDS, NETWORKS, type NetworkInfo, SPATIAL_DIMS } from '../../domain/networks';

/** Builds a fresh, seeded model; the output is a softmax over numClasses, shaped like the input's space. */
export function createNetwork(spec: NetworkSpec): tf.LayersModel {
  const r = resolveSpec(spec);
  switch (r.kind) {
    case 'unet2d':
      return buildUNet({ spec: r, dims: 2 });
    case 'unet3d':
      return buildUNet({ spec: r, dims: 3 });
    case 'twopath2d':
      return buildTwoPath({ spec: r });
    case 'highres3d':
      return buildHighRes({ spec: r });
  }
}

/** Number of scalar weights: all of them (batch-norm moving statistics included) or only the trainable ones. */
export function countParams(model: tf.LayersModel, options: { trainableOnly?: boolean } = {}): number {
  const weights = options.trainableOnly ? model.trainableWeights : model.weights;
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
}

/** The variables an optimizer should update. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Receptive field per axis, in voxels, of an output voxel. */
export function receptiveField(spec: NetworkSpec): number {
  const r = resolveSpec(spec);
  if (r.kind === 'twopath2d') return twoPathReceptiveField();
  if (r.kind === 'highres3d') return highResReceptiveField(r);
  return unetReceptiveField(r);
}
