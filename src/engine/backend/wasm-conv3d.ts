// Conv3D and its gradients for the wasm backend: our generated SIMD kernels where the channels allow
// (the conv and its stride-1 input gradient: wasm-conv-simd.ts; the filter gradient: wasm-filter-grad.ts),
// else sums of 2D XNNPACK convolutions over the depth taps (wasm's own Conv3D is a plain loop ~50x
// slower; its gradient kernels are wrong).
import { backend_util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

import { type ConvShape, convSimd, convSimdSupported, flippedFilter } from './wasm-conv-simd';
import { filterGradSimd, filterGradSupported } from './wasm-filter-grad';
import { conv2dFilterGradCore, conv2dInputGradCore, geometry } from './wasm-conv2d-grads';
import {
  asWasm,
  conv2dPadded,
  crop,
  detach,
  emptyOutput,
  padZeros,
  reshape,
  type Scope,
  stackFirst,
  sumAll,
  transpose,
  withScope,
} from './wasm-kernel-ops';

type Shape5 = [number, number, number, number, number];

/**
 * The depth planes a*dilation + o*stride - front (o < count) of x [B,D,H,W,C] for each tap a,
 * as [B*count, H, W, C]; planes outside [0, D) read as `fill`.
 */
export function depthTaps(
  s: Scope,
  x: TensorInfo,
  p: { front: number; taps: number; dilation: number; stride: number; count: number; fill: number },
): TensorInfo[] {
  const [b, d, h, w, c] = x.shape;
  const hwc = h * w * c;
  const st = p.stride;
  let groups = 0;
  for (let a = 0; a < p.taps; a++) groups = Math.max(groups, Math.floor((a * p.dilation) / st) + p.count);
  const needed = groups * st;
  const cropFront = Math.max(0, -p.front);
  const padFront = Math.max(0, p.front);
  const take = Math.max(0, Math.min(d - cropFront, needed - padFront));
  let x3 = reshape(s, x, [b, d, hwc]);
  if (cropFront > 0 || take < d) x3 = crop(s, x3, [0, cropFront, 0], [b, take, hwc]);
  const padBack = needed - padFront - take;
  if (padFront > 0 || padBack > 0)
    x3 = padZeros(
      s,
      x3,
      [
        [0, 0],
        [padFront, padBack],
        [0, 0],
      ],
      p.fill,
    );
  const view = reshape(s, x3, [b, groups, st, hwc]);
  const out: TensorInfo[] = [];
  for (let a = 0; a < p.taps; a++) {
    const q = Math.floor((a * p.dilation) / st);
    const r = (a * p.dilation) % st;
    const whole = st === 1 && q === 0 && groups === p.count;
    const planes = whole ? x3 : crop(s, view, [0, q, r, 0], [b, p.count, 1, hwc]);
    out.push(reshape(s, planes, [b * p.count, h, w, c]));
  }
  return out;
}

/** Puts planes [B, n, HWC] at depth offset `shift` of a [B, depth, HWC] zero tensor. */
function placeDepth(s: Scope, v: TensorInfo, shift: number, depth: number): TensorInfo {
  const [b, n, hwc] = v.shape;
  const cropFront = Math.max(0, -shift);
  const take = Math.max(0, Math.min(n - cropFront, depth - Math.max(0, shift)));
  const kept = cropFront > 0 || take < n ? crop(s, v, [0, cropFront, 0], [b, take, hwc]) : v;
  const front = Math.max(0, shift);
  const back = depth - front - take;
  return front > 0 || back > 0
    ? padZeros(s, kept, [
        [0, 0],
        [front, back],
        [0, 0],
      ])
    : kept;
}

function filterTap(s: Scope, filter: TensorInfo, a: number): TensorInfo {
  const [, kh, kw, ci, co] = filter.shape;
  return reshape(s, crop(s, filter, [a, 0, 0, 0, 0], [1, kh, kw, ci, co]), [kh, kw, ci, co]);
}

function conv3dInfo(xShape: number[], filterShape: number[], attrs: NamedAttrMap, dilations: unknown = 1) {
  const { strides, pad } = attrs as unknown as { strides: [number, number, number]; pad: 'same' | 'valid' };
  return backend_util.computeConv3DInfo(
    xShape as Shape5,
    filterShape as Shape5,
    strides,
    dilations as [number, number, number],
    pad,
  );
}

/** y[od] = sum_a conv2d(x[od*sd + a*dd - front], W[a]). */
function conv3dCore(s: Scope, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv3DInfo): TensorInfo {
  const taps = depthTaps(s, x, {
    front: info.padInfo.front,
    taps: info.filterDepth,
    dilation: info.dilationDepth,
    stride: info.strideDepth,
    count: info.outDepth,
    fill: 0,
  });
  const { top, bottom, left, right } = info.padInfo;
  const parts = taps.map((xa, a) =>
    conv2dPadded(s, xa, filterTap(s, filter, a), {
      strides: [info.strideHeight, info.strideWidth],
      dilations: [info.dilationHeight, info.dilationWidth],
      pads: { top, bottom, left, right },
    }),
  );
  return reshape(s, sumAll(s, parts), info.outShape);
}

/** dW[a] = 2D filter gradient of the depth taps a against dy, all (batch, depth) pairs as batch. */
function conv3dFilterGradCore(s: Scope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv3DInfo): TensorInfo {
  const [b, od, oh, ow, co] = dy.shape;
  const taps = depthTaps(s, x, {
    front: info.padInfo.front,
    taps: info.filterDepth,
    dilation: 1,
    stride: info.strideDepth,
    count: od,
    fill: 0,
  });
  const dyT = transpose(s, reshape(s, dy, [b * od, oh, ow, co]), [1, 2, 0, 3]);
  return stackFirst(
    s,
    taps.map((xa) => conv2dFilterGradCore(s, xa, dyT, geometry(info))),
  );
}

/** dx = sum_a (2D input gradient of tap a) placed at depth planes od*sd + a - front. */
function conv3dInputGradCore(s: Scope, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv3DInfo): TensorInfo {
  const [b, od, oh, ow, co] = dy.shape;
  const { inDepth: d, inHeight: h, inWidth: w, inChannels: ci, strideDepth: sd } = info;
  const dy4 = reshape(s, dy, [b * od, oh, ow, co]);
  const parts: TensorInfo[] = [];
  for (let a = 0; a < info.filterDepth; a++) {
    const t = conv2dInputGradCore(s, dy4, filterTap(s, filter, a), [b * od, h, w, ci], geometry(info));
    let v = reshape(s, t, [b, od, 1, h * w * ci]);
    if (sd > 1)
      v = padZeros(s, v, [
        [0, 0],
        [0, 0],
        [0, sd - 1],
        [0, 0],
      ]);
    parts.push(placeDepth(s, reshape(s, v, [b, od * sd, h * w * ci]), a - info.padInfo.front, d));
  }
  return reshape(s, sumAll(s, parts), [b, d, h, w, ci]);
}

/** The SIMD kernel's description of a conv of x with `info`'s geometry. */
function simdShape(x: number[], info: backend_util.Conv3DInfo): ConvShape {
  const [n, d, h, w, ci] = x;
  const { outDepth: od, outHeight: oh, outWidth: ow, outChannels: co, padInfo } = info;
  const [kd, kh, kw] = [info.filterDepth, info.filterHeight, info.filterWidth];
  const [sd, sh, sw] = [info.strideDepth, info.strideHeight, info.strideWidth];
  const [dd, dh, dw] = [info.dilationDepth, info.dilationHeight, info.dilationWidth];
  const { front, top, left } = padInfo;
  return { n, d, h, w, ci, od, oh, ow, co, kd, kh, kw, sd, sh, sw, dd, dh, dw, front, top, left };
}

const conv3D: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const info = conv3dInfo(x.shape, filter.shape, attrs as NamedAttrMap, (attrs as { dilations?: unknown }).dilations);
  const wasm = asWasm(backend);
  const empty = emptyOutput(wasm, info.outShape);
  if (empty) return empty;
  if (convSimdSupported({ co: info.outChannels })) {
    const weights = () => wasm.typedArrayFromHeap(filter) as Float32Array;
    const out = convSimd(wasm, x, weights, simdShape(x.shape, info), info.outShape);
    if (out) return out;
  }
  return withScope(wasm, (s) => detach(s, conv3dCore(s, x, filter, info)));
};

const conv3DBackpropFilterV2: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: number[] };
  const info = conv3dInfo(x.shape, filterShape, attrs as NamedAttrMap);
  const empty = emptyOutput(asWasm(backend), filterShape);
  if (empty) return empty;
  if (filterGradSupported({ co: info.outChannels })) {
    const out = filterGradSimd(asWasm(backend), x, dy, simdShape(x.shape, info), filterShape);
    if (out) return out;
  }
  return withScope(asWasm(backend), (s) => detach(s, conv3dFilterGradCore(s, x, dy, info)));
};

const conv3DBackpropInputV2: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: number[] };
  const info = conv3dInfo(inputShape, filter.shape, attrs as NamedAttrMap);
  const wasm = asWasm(backend);
  const empty = emptyOutput(wasm, inputShape);
  if (empty) return empty;
  const [kd, kh, kw, ci, co] = filter.shape;
  const unitStride = info.strideDepth === 1 && info.strideHeight === 1 && info.strideWidth === 1;
  if (unitStride && convSimdSupported({ co: ci })) {
    // dx = dy, padded by the taps left of each output, correlated with the reversed filter.
    const [n, d, h, w] = inputShape;
    const { front, top, left } = info.padInfo;
    const [, od, oh, ow] = dy.shape;
    const ones = { sd: 1, sh: 1, sw: 1, dd: 1, dh: 1, dw: 1 };
    const shape: ConvShape = {
      n,
      d: od,
      h: oh,
      w: ow,
      ci: co,
      od: d,
      oh: h,
      ow: w,
      co: ci,
      kd,
      kh,
      kw,
      ...ones,
      front: kd - 1 - front,
      top: kh - 1 - top,
      left: kw - 1 - left,
    };
    const weights = () => flippedFilter(wasm.typedArrayFromHeap(filter) as Float32Array, { kd, kh, kw, ci, co });
    const out = convSimd(wasm, dy, weights, shape, inputShape);
    if (out) return out;
  }
  return withScope(wasm, (s) => detach(s, conv3dInputGradCore(s, dy, filter, info)));
};

export const conv3dKernels: KernelConfig[] = [
  { kernelName: 'Conv3D', backendName: 'wasm', kernelFunc: conv3D },
  { kernelName: 'Conv3DBackpropFilterV2', backendName: 'wasm', kernelFunc: conv3DBackpropFilterV2 },
  { kernelName: 'Conv3DBackpropInputV2', backendName: 'wasm', kernelFunc: conv3DBackpropInputV2 },
];
