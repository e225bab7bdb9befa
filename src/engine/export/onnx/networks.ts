// The four networks as ONNX graphs, layer for layer as python/models.py (and src/engine/networks) build them.
import type { ResolvedSpec } from '../../../domain/network-spec';
import { SPATIAL_DIMS } from '../../../domain/networks';
import { GraphBuilder, type NamedWeight } from './graph-builder';
import type { OnnxGraph } from './onnx-proto';

/** highres.ts's dilation groups. */
const HIGHRES_DILATIONS = [1, 2, 4];
export const ONNX_INPUT = 'image';
export const ONNX_OUTPUT = 'probabilities';

type Build = (g: GraphBuilder, spec: ResolvedSpec, x: string) => string;

/** conv -> [batch norm] -> ReLU (with batch norm the conv has no bias). */
function convBnRelu(g: GraphBuilder, spec: ResolvedSpec, name: string, x: string, dilation = 1): string {
  const y = g.conv(name, x, dilation);
  return g.relu(spec.batchNorm ? g.batchNorm(`${name}_bn`, y) : y);
}

const unet: Build = (g, spec, input) => {
  const step = (name: string, x: string) => convBnRelu(g, spec, `${name}_conv2`, convBnRelu(g, spec, `${name}_conv1`, x));
  const skips: string[] = [];
  let x = input;
  for (let level = 0; level < spec.depth; level++) {
    x = step(`down${level}`, x);
    skips.push(x);
    x = g.maxPool(x, 2, 2);
  }
  x = step('bottom', x);
  for (let level = spec.depth - 1; level >= 0; level--) {
    const up = g.upConv(`up${level}_upconv`, x);
    x = step(`up${level}`, g.concat([skips.pop() as string, up]));
  }
  return x;
};

const twopath: Build = (g, spec, x) => {
  const maxout = (name: string, input: string) => {
    const pieces = Array.from({ length: spec.maxoutPieces }, (_, i) => g.conv(`${name}_piece${i}`, input));
    const y = g.max(pieces);
    return spec.batchNorm ? g.batchNorm(`${name}_bn`, y) : y;
  };
  const local = g.maxPool(maxout('local2', g.maxPool(maxout('local1', x), 4, 1)), 2, 1);
  const global = g.maxPool(maxout('global', x), 2, 1);
  return convBnRelu(g, spec, 'fc', g.concat([local, global]));
};

const highres: Build = (g, spec, input) => {
  const pre = (layer: string, x: string) => g.relu(spec.batchNorm ? g.batchNorm(layer, x) : x);
  let x = convBnRelu(g, spec, 'stem', input);
  let channels = spec.baseFilters;
  HIGHRES_DILATIONS.forEach((dilation, group) => {
    const f = spec.baseFilters * 2 ** group;
    for (let block = 0; block < spec.blocks; block++) {
      const name = `res${group}_${block}`;
      const shortcut = channels === f ? x : g.conv(`${name}_proj`, x);
      const y = g.conv(`${name}_conv2`, pre(`${name}_b_bn`, g.conv(`${name}_conv1`, pre(`${name}_a_bn`, x), dilation)), dilation);
      x = g.sum(shortcut, y);
      channels = f;
    }
  });
  return pre('final_bn', x);
};

const BUILDS: Record<ResolvedSpec['kind'], Build> = { unet2d: unet, unet3d: unet, twopath2d: twopath, highres3d: highres };

/** The network of `spec` with the given weights (by tfjs name), ending in the softmax over classes. */
export function networkGraph(spec: ResolvedSpec, weight: (name: string) => NamedWeight): OnnxGraph {
  const g = new GraphBuilder(SPATIAL_DIMS[spec.kind] as 2 | 3, weight);
  const features = BUILDS[spec.kind](g, spec, ONNX_INPUT);
  g.softmax(g.conv('head', features), ONNX_OUTPUT);
  return g.graph({
    name: spec.kind,
    input: ONNX_INPUT,
    output: ONNX_OUTPUT,
    inChannels: spec.inChannels,
    classes: spec.numClasses,
  });
}
