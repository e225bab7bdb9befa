// Networks: one registry, one factory. Train with `model.apply(x, { training: true })` (batch norm uses
// batch statistics) and optimise `trainableVariables(model)`; predict with `model.predict(x)`.
import type * as tf from '@tensorflow/tfjs';
import { buildHighRes, highResReceptiveField } from './highres';
import { type NetworkKind, type NetworkSpec, resolveSpec, sizeRule } from '../../domain/network-spec';
import { NETWORKS, SPATIAL_DIMS } from '../../domain/networks';
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

export interface NetworkDescription {
  kind: NetworkKind;
  label: string;
  dims: 2 | 3;
  params: number;
  trainableParams: number;
  receptiveField: number;
  sizeRule: string;
  text: string;
}

/** Summary for the UI; builds the model once to count its weights, then frees it. */
export function describeNetwork(spec: NetworkSpec): NetworkDescription {
  const r = resolveSpec(spec);
  const info = NETWORKS.find((n) => n.id === r.kind)!;
  const model = createNetwork(r);
  const params = countParams(model);
  const trainableParams = countParams(model, { trainableOnly: true });
  model.dispose();
  const rf = receptiveField(r);
  const shape: string[] = [`${r.baseFilters} base filters`];
  if (r.kind === 'unet2d' || r.kind === 'unet3d') shape.unshift(`depth ${r.depth}`);
  if (r.kind === 'highres3d') shape.unshift(`${r.blocks} blocks per dilation`);
  if (r.kind === 'twopath2d') shape.push(`maxout x${r.maxoutPieces}`);
  if (r.batchNorm) shape.push('batch norm');
  const unit = SPATIAL_DIMS[r.kind] === 2 ? 'px' : 'voxels';
  const text = [
    `${info.label}: ${shape.join(', ')}`,
    `${r.inChannels} input channel${r.inChannels === 1 ? '' : 's'} -> softmax over ${r.numClasses} classes`,
    `${params.toLocaleString('en-US')} parameters${params === trainableParams ? '' : ` (${trainableParams.toLocaleString('en-US')} trainable)`}`,
    `receptive field ${rf} ${unit} per axis`,
    `input size: ${sizeRule(r)}`,
  ].join('\n');
  return {
    kind: r.kind,
    label: info.label,
    dims: info.dims,
    params,
    trainableParams,
    receptiveField: rf,
    sizeRule: sizeRule(r),
    text,
  };
}
