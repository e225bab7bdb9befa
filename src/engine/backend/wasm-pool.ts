// Max pooling for wasm training: MaxPool3D from 2D XNNPACK pools over depth taps (the stock one is
// wrong when D, H, W differ), and both max-pool gradients as one pass over the wasm heap (the
// stock ones are wrong for several channels or uncovered borders). Ties (frequent after ReLU) are
// broken as the cpu backend does: first maximum of a window in 2D, last maximum in 3D.
import { backend_util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

import { depthTaps } from './wasm-conv3d';
import { asWasm, callKernel, crop, detach, emptyOutput, maximum, reshape, type WasmBackend, withScope } from './wasm-kernel-ops';

type PoolAttrs = {
  filterSize: number | number[];
  strides: number | number[];
  pad: 'same' | 'valid' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** A pooling window geometry in 3D; 2D pools use depth 1. */
interface PoolGeometry {
  batch: number;
  channels: number;
  inShape: [number, number, number];
  outShape: [number, number, number];
  strides: [number, number, number];
  filter: [number, number, number];
  pads: [number, number, number];
  /** cpu's MaxPool3DGrad keeps the last of equal maxima (>=), its MaxPoolGrad the first (>). */
  lastTieWins: boolean;
}

/** dx[argmax of each window] += dy: one scan, channels innermost (contiguous in NDHWC). */
function maxPoolGradOnHeap(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: PoolGeometry): TensorInfo {
  const out = backend.makeOutput([...x.shape], 'float32');
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  if (isPlain2x2(g)) {
    maxPoolGrad2x2(xv as Float32Array, dyv as Float32Array, dx as Float32Array, g);
    return out;
  }
  const c = g.channels;
  const [D, H, W] = g.inShape;
  const [OD, OH, OW] = g.outShape;
  const last = g.lastTieWins;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  const [sd, sh, sw] = g.strides;
  const [fd, fh, fw] = g.filter;
  const rowStride = W * c;
  const planeStride = H * rowStride;
  let o = 0;
  for (let n = 0; n < g.batch; n++) {
    const nBase = n * D * planeStride;
    for (let od = 0; od < OD; od++) {
      const d0 = od * sd - g.pads[0];
      const dLo = Math.max(0, d0);
      const dHi = Math.min(D, d0 + fd);
      for (let oh = 0; oh < OH; oh++) {
        const h0 = oh * sh - g.pads[1];
        const hLo = Math.max(0, h0);
        const hHi = Math.min(H, h0 + fh);
        for (let ow = 0; ow < OW; ow++, o += c) {
          const w0 = ow * sw - g.pads[2];
          const wLo = Math.max(0, w0);
          const wHi = Math.min(W, w0 + fw);
          best.fill(Number.NEGATIVE_INFINITY);
          where.fill(-1);
          for (let d = dLo; d < dHi; d++) {
            for (let h = hLo; h < hHi; h++) {
              let base = nBase + d * planeStride + h * rowStride + wLo * c;
              for (let w = wLo; w < wHi; w++, base += c) {
                for (let k = 0; k < c; k++) {
                  const v = xv[base + k];
                  if (v > best[k] || (last && v === best[k])) {
                    best[k] = v;
                    where[k] = base + k;
                  }
                }
              }
            }
          }
          for (let k = 0; k < c; k++) if (where[k] >= 0) dx[where[k]] += dyv[o + k];
        }
      }
    }
  }
  return out;
}

/** The U-Nets' pool: 2D, 2x2 windows at stride 2, unpadded, inside the image (each input voxel in one window). */
function isPlain2x2(g: PoolGeometry): boolean {
  const [, H, W] = g.inShape;
  const [, OH, OW] = g.outShape;
  return (
    g.inShape[0] === 1 &&
    g.filter[1] === 2 &&
    g.filter[2] === 2 &&
    g.strides[1] === 2 &&
    g.strides[2] === 2 &&
    g.pads[1] === 0 &&
    g.pads[2] === 0 &&
    2 * OH <= H &&
    2 * OW <= W &&
    !g.lastTieWins
  );
}

/**
 * maxPoolGradOnHeap for isPlain2x2 windows, the four taps unrolled in the general scan's order (row by
 * row), with its rules: the first strict maximum above -Infinity wins, NaN never does.
 */
function maxPoolGrad2x2(xv: Float32Array, dyv: Float32Array, dx: Float32Array, g: PoolGeometry): void {
  const c = g.channels;
  const [, H, W] = g.inShape;
  const [, OH, OW] = g.outShape;
  const rowStride = W * c;
  let o = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      let base = n * H * rowStride + 2 * oh * rowStride;
      for (let ow = 0; ow < OW; ow++, base += 2 * c) {
        for (let k = 0; k < c; k++, o++) {
          const i0 = base + k;
          const i1 = i0 + c;
          const i2 = i0 + rowStride;
          const i3 = i2 + c;
          let best = Number.NEGATIVE_INFINITY;
          let where = -1;
          if (xv[i0] > best) {
            best = xv[i0];
            where = i0;
          }
          if (xv[i1] > best) {
            best = xv[i1];
            where = i1;
          }
          if (xv[i2] > best) {
            best = xv[i2];
            where = i2;
          }
          if (xv[i3] > best) where = i3;
          if (where >= 0) dx[where] += dyv[o];
        }
      }
    }
  }
}

const maxPoolGrad: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
  const i = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize as [number, number],
    strides as [number, number],
    1,
    pad,
    dimRoundingMode,
  );
  return maxPoolGradOnHeap(asWasm(backend), input, dy, {
    batch: i.batchSize,
    channels: i.inChannels,
    inShape: [1, i.inHeight, i.inWidth],
    outShape: [1, i.outHeight, i.outWidth],
    strides: [1, i.strideHeight, i.strideWidth],
    filter: [1, i.effectiveFilterHeight, i.effectiveFilterWidth],
    pads: [0, i.padInfo.top, i.padInfo.left],
    lastTieWins: false,
  });
};

function pool3dInfo(shape: number[], attrs: NamedAttrMap): backend_util.Conv3DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
  return backend_util.computePool3DInfo(
    shape as [number, number, number, number, number],
    filterSize as [number, number, number],
    strides as [number, number, number],
    1,
    pad,
    dimRoundingMode,
  );
}

const maxPool3DGrad: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const i = pool3dInfo(input.shape, attrs as NamedAttrMap);
  return maxPoolGradOnHeap(asWasm(backend), input, dy, {
    batch: i.batchSize,
    channels: i.inChannels,
    inShape: [i.inDepth, i.inHeight, i.inWidth],
    outShape: [i.outDepth, i.outHeight, i.outWidth],
    strides: [i.strideDepth, i.strideHeight, i.strideWidth],
    filter: [i.effectiveFilterDepth, i.effectiveFilterHeight, i.effectiveFilterWidth],
    pads: [i.padInfo.front, i.padInfo.top, i.padInfo.left],
    lastTieWins: true,
  });
};

/** max over depth taps of 2D max pools; depth padding reads as -Infinity. */
const maxPool3D: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  const i = pool3dInfo(x.shape, attrs as NamedAttrMap);
  const { top, bottom, left, right } = i.padInfo;
  const empty = emptyOutput(asWasm(backend), i.outShape);
  if (empty) return empty;
  return withScope(asWasm(backend), (s) => {
    const taps = depthTaps(s, x, {
      front: i.padInfo.front,
      taps: i.filterDepth,
      dilation: 1,
      stride: i.strideDepth,
      count: i.outDepth,
      fill: Number.NEGATIVE_INFINITY,
    });
    // tfjs's 3D 'same' padding can be negative (k < s): crop those rows/cols first.
    const [ct, cb, cl, cr] = [top, bottom, left, right].map((v) => Math.max(0, -v));
    const [pt, pb, pl, pr] = [top, bottom, left, right].map((v) => Math.max(0, v));
    const pooled = taps.map((tap) => {
      const [n, h, w, c] = tap.shape;
      const t = ct + cb + cl + cr > 0 ? crop(s, tap, [0, ct, cl, 0], [n, h - ct - cb, w - cl - cr, c]) : tap;
      const p = s.track(
        callKernel(s.backend, 'MaxPool', { x: t }, {
          filterSize: [i.filterHeight, i.filterWidth],
          strides: [i.strideHeight, i.strideWidth],
          pad: [
            [0, 0],
            [pt, pb],
            [pl, pr],
            [0, 0],
          ],
        } as unknown as NamedAttrMap),
      );
      if (p.shape[1] !== i.outHeight || p.shape[2] !== i.outWidth) throw new Error('MaxPool3D: 2D pool shape mismatch');
      return p;
    });
    let acc = pooled[0];
    for (let k = 1; k < pooled.length; k++) acc = maximum(s, acc, pooled[k]);
    return detach(s, reshape(s, acc, i.outShape));
  });
};

export const poolKernels: KernelConfig[] = [
  { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad },
  { kernelName: 'MaxPool3D', backendName: 'wasm', kernelFunc: maxPool3D },
  { kernelName: 'MaxPool3DGrad', backendName: 'wasm', kernelFunc: maxPool3DGrad },
];
