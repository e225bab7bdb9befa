// Conv2D gradients for the wasm backend: the filter gradient as our generated SIMD kernel where the
// output channels are a multiple of 4 (wasm-filter-grad.ts), else as one XNNPACK convolution of the
// input (as one wide image) with the output gradient as filter; the input gradient as a stride-1 XNNPACK
// convolution with a sub-pixel rearranged filter + a pixel shuffle.
import { backend_util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

import { filterGradSimd, filterGradSupported } from './wasm-filter-grad';
import { asWasm, conv2dPadded, crop, detach, emptyOutput, reshape, type Scope, transpose, withScope } from './wasm-kernel-ops';

/** What the gradients need from a forward conv's geometry (dilation is 1 in tfjs gradients). */
export interface Conv2DGeometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

/** In-plane geometry of a 2D conv, or of each depth tap of a 3D conv (Conv3DInfo has the same fields). */
export function geometry(
  info: Pick<backend_util.Conv2DInfo, 'filterHeight' | 'filterWidth' | 'strideHeight' | 'strideWidth'> & {
    padInfo: { top: number; left: number };
  },
): Conv2DGeometry {
  return {
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/**
 * dW[a,b,ci,co] = sum_{n,i,j} x[n, i*sh - top + a, j*sw - left + b, ci] * dy[n,i,j,co], with
 * dyT = dy as [Ho,Wo,N,Co]: one XNNPACK conv of x as a single wide image [1, H, W*Ci, N] (column
 * w*Ci + ci) with dyT as its filter, strides turned into dilations and the width's dilated by Ci.
 * Output column b*Ci + ci is dW[., b, ci, .], so the output [1, kh, kw*Ci, Co] is dW's own layout.
 * (x^T [Ci,H,W,N] as Ci images gives the same sums, but its rank-3 transpose is ~3x slower on wasm
 * than this 2D one: steps 2-4% faster in 2D, 9% in 3D.)
 */
export function conv2dFilterGradCore(s: Scope, x: TensorInfo, dyT: TensorInfo, g: Conv2DGeometry): TensorInfo {
  const [n, h, w, ci] = x.shape;
  const [ho, wo, , co] = dyT.shape;
  const xw = reshape(s, transpose(s, reshape(s, x, [n, h * w * ci]), [1, 0]), [1, h, w * ci, n]);
  const pads = {
    top: g.top,
    bottom: (ho - 1) * g.sh + g.kh - h - g.top,
    left: g.left * ci,
    right: ((wo - 1) * g.sw + g.kw - w - g.left) * ci,
  };
  const out = conv2dPadded(s, xw, dyT, { strides: [1, 1], dilations: [g.sh, g.sw * ci], pads });
  return reshape(s, out, [g.kh, g.kw, ci, co]);
}

/**
 * Sub-pixel filter G[i,j,co,(r*sw+q)*Ci+ci] = W[sh*(Th-1-i)+r, sw*(Tw-1-j)+q, ci, co] (0 past the
 * kernel): one stride-1 conv of dy with G yields every output phase (r,q) as a channel block.
 */
function subPixelFilter(s: Scope, filter: TensorInfo, sh: number, sw: number): TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const th = Math.ceil(kh / sh);
  const tw = Math.ceil(kw / sw);
  const depth = sh * sw * ci;
  const out = s.track(s.backend.makeOutput([th, tw, co, depth], 'float32'));
  const src = s.backend.typedArrayFromHeap(filter);
  const dst = s.backend.typedArrayFromHeap(out);
  dst.fill(0);
  for (let i = 0; i < th; i++) {
    for (let r = 0; r < sh; r++) {
      const a = sh * (th - 1 - i) + r;
      if (a >= kh) continue;
      for (let j = 0; j < tw; j++) {
        for (let q = 0; q < sw; q++) {
          const b = sw * (tw - 1 - j) + q;
          if (b >= kw) continue;
          for (let c = 0; c < ci; c++) {
            const from = ((a * kw + b) * ci + c) * co;
            const to = (i * tw + j) * co * depth + (r * sw + q) * ci + c;
            for (let o = 0; o < co; o++) dst[to + o * depth] = src[from + o];
          }
        }
      }
    }
  }
  return out;
}

/**
 * dx[y] = sum_{i,a: i*s - top + a = y} dy[i] W[a]. Writing y + top = s*m + r gives, per phase r,
 * a stride-1 correlation of dy with the taps W[s*t + r]; a transpose interleaves the phases.
 */
export function conv2dInputGradCore(
  s: Scope,
  dy: TensorInfo,
  filter: TensorInfo,
  xShape: number[],
  g: Conv2DGeometry,
): TensorInfo {
  const [n, h, w, ci] = xShape;
  const [, ho, wo] = dy.shape;
  const th = Math.ceil(g.kh / g.sh);
  const tw = Math.ceil(g.kw / g.sw);
  const m0 = Math.floor(g.top / g.sh);
  const mh = Math.floor((h - 1 + g.top) / g.sh) - m0 + 1;
  const n0 = Math.floor(g.left / g.sw);
  const mw = Math.floor((w - 1 + g.left) / g.sw) - n0 + 1;
  const top = th - 1 - m0;
  const left = tw - 1 - n0;
  const pads = { top, bottom: mh + th - 1 - ho - top, left, right: mw + tw - 1 - wo - left };
  const z = conv2dPadded(s, dy, subPixelFilter(s, filter, g.sh, g.sw), { strides: [1, 1], dilations: [1, 1], pads });
  if (g.sh === 1 && g.sw === 1) return z;
  // Depth-to-space as one rank-4 transpose ([N*Mh, Mw, sh, sw*Ci] -> [N*Mh, sh, Mw, sw*Ci]):
  // wasm's DepthToSpace kernel is ~10x slower and needs sh == sw.
  const z4 = reshape(s, z, [n * mh, mw, g.sh, g.sw * ci]);
  const u = reshape(s, transpose(s, z4, [0, 2, 1, 3]), [n, mh * g.sh, mw * g.sw, ci]);
  const u0 = g.top - g.sh * m0;
  const v0 = g.left - g.sw * n0;
  if (u0 === 0 && v0 === 0 && u.shape[1] === h && u.shape[2] === w) return u;
  return crop(s, u, [0, u0, v0, 0], [n, h, w, ci]);
}

function channelsLastInfo(xShape: number[], filterShape: number[], attrs: NamedAttrMap, kernel: string): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error(`wasm ${kernel} supports channels-last (NHWC) only`);
  return info;
}

const conv2DBackpropFilter: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: number[] };
  const info = channelsLastInfo(x.shape, filterShape, attrs as NamedAttrMap, 'Conv2DBackpropFilter');
  const empty = emptyOutput(asWasm(backend), filterShape);
  if (empty) return empty;
  const [n, h, w, ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  if (filterGradSupported({ co })) {
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
    const { top, left } = padInfo;
    const shape = { n, d: 1, h, w, ci, od: 1, oh, ow, co, kd: 1, kh, kw, sd: 1, sh, sw, front: 0, top, left };
    const out = filterGradSimd(asWasm(backend), x, dy, shape, filterShape);
    if (out) return out;
  }
  return withScope(asWasm(backend), (s) => detach(s, conv2dFilterGradCore(s, x, transpose(s, dy, [1, 2, 0, 3]), geometry(info))));
};

const conv2DBackpropInput: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: number[] };
  const info = channelsLastInfo(inputShape, filter.shape, attrs as NamedAttrMap, 'Conv2DBackpropInput');
  const empty = emptyOutput(asWasm(backend), inputShape);
  if (empty) return empty;
  return withScope(asWasm(backend), (s) => detach(s, conv2dInputGradCore(s, dy, filter, inputShape, geometry(info))));
};

export const conv2dGradKernels: KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput },
];
